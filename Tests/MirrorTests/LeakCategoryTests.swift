import Mirror
import Testing

/// Leftover categories (issue 16, defect 5): what krm-mirror must never
/// rewrite is not a leftover, and each leftover's advice fits the run.
struct LeakCategoryTests {
  /// A whole-domain mapping meets its domain in API groups and in label
  /// and annotation keys everywhere; none of them may fail the run.
  static let apiMachinery = """
    apiVersion: apps.example.com/v1
    kind: Widget
    metadata:
      name: web
      labels: {example.com/tier: web}
      annotations: {example.com/owner: platform}
      ownerReferences: [{apiVersion: apps.example.com/v1, kind: Gadget, name: g, uid: "1"}]
    spec:
      roleRef: {apiGroup: rbac.example.com, kind: Role, name: r}
      parentRefs: [{group: gateways.example.com, kind: Edge, name: e}]
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: {name: r}
    rules: [{apiGroups: [apps.example.com], resources: [widgets], verbs: [get]}]
    ---
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.apps.example.com}
    spec: {group: apps.example.com, names: {kind: Widget, plural: widgets}}
    ---
    apiVersion: apiregistration.k8s.io/v1
    kind: APIService
    metadata: {name: v1.metrics.example.com}
    spec: {group: metrics.example.com, version: v1}

    """

  static func run(_ input: String, text: Bool) -> Outcome {
    Runner(
      invocation: Invocation(
        from: "example.com", to: "example.org",
        settings: [("leaks", "error"), ("text", text ? "true" : "false")]),
      readFile: { _ in nil }
    ).run(input: Array(input.utf8))
  }

  @Test(
    "API groups, CRDs, APIServices, label and annotation keys are not leftovers",
    arguments: [false, true])
  func apiMachineryIsNotLeftover(text: Bool) {
    let outcome = Self.run(Self.apiMachinery, text: text)
    #expect(outcome.status == .success, "\(outcome.stderr)")
    // Nothing to rewrite there either, text mode included.
    #expect(outcome.stdout == Array(Self.apiMachinery.utf8))
  }

  @Test("each leftover names its category; text mode is never advised when it is on")
  func adviceFitsTheRun() {
    let input = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: web.example.com
        labels: {site: web.example.com}
      data:
        web.example.com: enabled
        url: https://web.example.com/

      """
    let off = Self.run(input, text: false)
    #expect(off.status == .failure)
    #expect(
      off.stderr.contains(
        "metadata.name: web.example.com is under source domain example.com in this name, namespace or label value (leftover: identity)"
      ))
    #expect(
      off.stderr.contains(
        "metadata.labels.site: web.example.com is under source domain example.com in this name, namespace or label value (leftover: identity)"
      ))
    #expect(
      off.stderr.contains("(leftover: key); not rewritten: krm-mirror never rewrites mapping keys"))
    #expect(
      off.stderr.contains(
        "data.url: web.example.com is under source domain example.com in this value (leftover: value); not rewritten: no host field covers it (add a field, or set text: true)"
      ))
    let on = Self.run(input, text: true)
    #expect(on.status == .failure)
    #expect(!on.stderr.contains("set text: true"))
    #expect(!on.stderr.contains("data.url"))
    #expect(on.stderr.contains("(leftover: identity)") && on.stderr.contains("(leftover: key)"))
  }
}
