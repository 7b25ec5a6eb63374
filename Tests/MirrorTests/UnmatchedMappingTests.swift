import KRM
import Mirror
import Testing

/// A mapping that finds no host is almost always a typo: every mode says
/// so, as a warning, or an error under `leaks: error`.
struct UnmatchedMappingTests {
  static let ingress = Array(
    """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
    spec:
      rules:
      - host: shop.staging.mycompany.com

    """.utf8)
  static let pairs = [
    "staging.mycompany.com=mirror.mycompany.com", "stagnig.mycompany.org=mirror.mycompany.org",
  ]
  static let warning =
    "mapping stagnig.mycompany.org=mirror.mycompany.org matched nothing: no host under stagnig.mycompany.org in the selected resources (a typo?)"

  static func run(_ input: [UInt8], _ invocation: Invocation, file: [UInt8]? = nil) -> Outcome {
    Runner(invocation: invocation, readFile: { _ in file }).run(input: input)
  }

  @Test("filter mode: a warning names the mapping; the output is written")
  func filterWarning() {
    let outcome = Self.run(Self.ingress, Invocation(hostPairs: Self.pairs))
    #expect(outcome.status == .success)
    #expect(outcome.stderr.contains("[warning]: \(Self.warning)"), "\(outcome.stderr)")
    #expect(!outcome.stdout.isEmpty)
    // The mapping that matched is not named.
    #expect(!outcome.stderr.contains("mapping staging.mycompany.com=mirror.mycompany.com"))
  }

  @Test("filter mode under leaks: error: still a warning (a package may lack a domain)")
  func filterUnderLeaksError() {
    let outcome = Self.run(
      Self.ingress, Invocation(hostPairs: Self.pairs, settings: [("leaks", "error")]))
    #expect(outcome.status == .success)
    #expect(outcome.stderr.contains("[warning]: \(Self.warning)"), "\(outcome.stderr)")
    #expect(!outcome.stdout.isEmpty)
  }

  @Test("KRM mode: a warning result before the summary")
  func krmWarning() {
    let list = Array(
      """
      apiVersion: config.kubernetes.io/v1
      kind: ResourceList
      items:
      - apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
        spec:
          rules:
          - host: shop.staging.mycompany.com
      functionConfig:
        apiVersion: krm-mirror.dev/v1alpha1
        kind: Mirror
        metadata:
          name: m
        spec:
          hosts:
          - {from: staging.mycompany.com, to: mirror.mycompany.com}
          - {from: stagnig.mycompany.org, to: mirror.mycompany.org}

      """.utf8)
    let outcome = Self.run(list, Invocation())
    #expect(outcome.status == .success)
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(text.contains("- message: \"\(Self.warning)\"\n  severity: warning\n"), "\(text)")
  }

  @Test("legacy plugin mode: the same warning")
  func pluginWarning() {
    let config = Array(
      """
      apiVersion: krm-mirror.dev/v1alpha1
      kind: Mirror
      metadata:
        name: m
      spec:
        hosts:
        - {from: staging.mycompany.com, to: mirror.mycompany.com}
        - {from: stagnig.mycompany.org, to: mirror.mycompany.org}

      """.utf8)
    let outcome = Self.run(
      Self.ingress, Invocation(pluginConfigFile: "mirror.yaml"), file: config)
    #expect(outcome.status == .success)
    #expect(outcome.stderr.contains(Self.warning), "\(outcome.stderr)")
  }

  @Test("a leftover counts as found: only a mapping that found nothing at all is named")
  func leftoverCounts() {
    let configMap = Array(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {url: https://x.stagnig.mycompany.org}\n"
        .utf8)
    let outcome = Self.run(
      Self.ingress + Array("---\n".utf8) + configMap, Invocation(hostPairs: Self.pairs))
    #expect(outcome.status == .success)
    #expect(!outcome.stderr.contains("matched nothing"), "\(outcome.stderr)")
  }
}
