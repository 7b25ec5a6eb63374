import Mirror
import Testing

/// krm-mirror's own configuration among the resources (a package that keeps
/// its `Mirror` file without the local-config annotation) names the source
/// domain by design: it is neither rewritten nor reported as a leftover,
/// even with `text: true` and `leaks: error`.
struct OwnConfigItemTests {
  static let config = """
    apiVersion: krm-mirror.dev/v1alpha1
    kind: Mirror
    metadata:
      name: mirror
    spec:
      hosts:
      - from: staging.mycompany.com
        to: mirror.mycompany.com
      text: true
      leaks: error

    """

  @Test("filter mode: the configuration document passes through untouched")
  func filterMode() {
    let invocation = Invocation(
      from: "staging.mycompany.com", to: "mirror.mycompany.com",
      settings: [("text", "true"), ("leaks", "error")])
    let outcome = Runner(invocation: invocation, readFile: { _ in nil }).run(
      input: Array(Self.config.utf8))
    #expect(outcome.status == .success, "\(outcome.stderr)")
    #expect(String(decoding: outcome.stdout, as: UTF8.self) == Self.config)
  }

  @Test("KRM mode: the configuration item passes through untouched, with no leftover")
  func krmMode() {
    let item = Self.config.split(separator: "\n").enumerated()
      .map { ($0.offset == 0 ? "- " : "  ") + $0.element + "\n" }.joined()
    let list =
      "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n" + item
      + "functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: function-input\n"
      + "  data: {from: staging.mycompany.com, to: mirror.mycompany.com, text: \"true\", leaks: error}\n"
    let outcome = Runner(invocation: Invocation(), readFile: { _ in nil }).run(
      input: Array(list.utf8))
    #expect(outcome.status == .success, "\(outcome.stderr)")
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(text.hasPrefix(list), "\(text)")
    #expect(!text.contains("severity: error"), "\(text)")
  }
}
