import Mirror
import Testing

/// Bad input gets a positioned error, exit 1, and nothing on stdout; bad
/// ResourceList framing gets error results.
struct MalformedInputTests {
  static let invocation = Invocation(from: "staging.mycompany.com", to: "mirror.mycompany.com")

  static func run(_ input: [UInt8], _ invocation: Invocation = invocation) -> Outcome {
    Runner(invocation: invocation, readFile: { _ in nil }).run(input: input)
  }

  static let ingress = Array(
    """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
    spec:
      rules:
      - host: app.staging.mycompany.com

    """.utf8)

  @Test(
    "syntax errors: exit 1, empty stdout, LINE:COLUMN and a caret",
    arguments: [
      (
        "unterminated quote", ingress + Array("  - host: \"a.staging.mycompany.com\n".utf8),
        "stdin:9:1: error: found unexpected end of stream (while scanning a quoted scalar)"
      ),
      (
        "tab indentation", ingress + Array("\t- host: b\n".utf8),
        "stdin:8:1: error: found a tab character that violates indentation (while scanning a plain scalar)"
      ),
      (
        "invalid UTF-8", ingress + [0x23, 0x20, 0xC3, 0x28, 0x0A],
        "stdin:8:4: error: invalid trailing UTF-8 octet #x28"
      ),
      (
        "NUL byte", ingress + [0x61, 0x3A, 0x20, 0x00, 0x0A],
        "stdin:8:4: error: control characters are not allowed #x00"
      ),
      (
        "unclosed flow", Array("metadata: {name: web, labels: [a, b}\n".utf8),
        "stdin:1:36: error: did not find expected ',' or ']' (while parsing a flow sequence)"
      ),
      (
        "truncated ResourceList",
        Array(
          "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {apiVersion: v1, kind: Config"
            .utf8),
        "stdin:4:32: error: did not find expected ',' or '}' (while parsing a flow mapping)"
      ),
      (
        "binary", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00],
        "stdin:1:1: error: control characters are not allowed #x7F"
      ),
      (
        "UTF-16", [0xFF, 0xFE, 0x61, 0x00, 0x3A, 0x00, 0x20, 0x00, 0x62, 0x00, 0x0A, 0x00],
        "stdin:1:1: error: UTF-16 input is not supported (convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8)"
      ),
    ])
  func syntaxErrors(name: String, input: [UInt8], summary: String) {
    let outcome = Self.run(input)
    #expect(outcome.status == .failure, "\(name)")
    #expect(outcome.stdout.isEmpty, "\(name): nothing may be written")
    let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first.map(String.init) == summary, "\(name)")
    #expect(lines.count >= 3 && lines[2].hasSuffix("^"), "\(name): caret line in \(outcome.stderr)")
  }

  @Test("an error late in the input still writes nothing")
  func lateError() {
    var input: [UInt8] = []
    for _ in 0..<2000 { input += Self.ingress + Array("---\n".utf8) }
    input += [0xFF]
    let outcome = Self.run(input)
    #expect(outcome.status == .failure)
    #expect(outcome.stdout.isEmpty)
  }

  @Test("a ResourceList whose items is not a sequence: error result, exit 1, input kept")
  func itemsNotSequence() {
    let input = Array(
      """
      apiVersion: config.kubernetes.io/v1
      kind: ResourceList
      items: {a: b}
      functionConfig: {apiVersion: v1, kind: ConfigMap, data: {from: a.example.com, to: b.example.com}}

      """.utf8)
    let outcome = Self.run(input, Invocation())
    #expect(outcome.status == .failure)
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(text.hasPrefix(String(decoding: input, as: UTF8.self)))
    #expect(text.contains("message: items must be a sequence of resources\n  severity: error"))
  }

  @Test("a functionConfig that is a scalar: error result naming it")
  func scalarConfig() {
    let input = Array(
      "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: hello\n"
        .utf8)
    let outcome = Self.run(input, Invocation())
    #expect(outcome.status == .failure)
    #expect(String(decoding: outcome.stdout, as: UTF8.self).contains("must be a mapping"))
  }

  @Test("flags and functionConfig together are refused")
  func configTwice() {
    let input = Array(
      "kind: ResourceList\nitems: []\nfunctionConfig: {kind: ConfigMap, data: {from: a.example.com, to: b.example.com}}\n"
        .utf8)
    let outcome = Self.run(input)
    #expect(outcome.status == .failure)
    #expect(String(decoding: outcome.stdout, as: UTF8.self).contains("configuration given twice"))
  }

  @Test(
    "command-line usage errors exit 2 and write nothing",
    arguments: [
      Invocation(from: "staging.mycompany.com"),
      Invocation(to: "mirror.mycompany.com"),
      Invocation(from: "a.example.com", to: "A.example.com."),
      Invocation(hostPairs: ["staging.mycompany.com"]),
      Invocation(hostPairs: ["x=mirror.example.com"]),
      Invocation(),
      Invocation(configFile: "/nonexistent/config.yaml"),
    ])
  func usage(invocation: Invocation) {
    let outcome = Self.run(Self.ingress, invocation)
    #expect(outcome.status == .usage)
    #expect(outcome.stdout.isEmpty)
    #expect(outcome.stderr.hasPrefix("krm-mirror: "))
  }

  @Test("items that are not resources pass through untouched")
  func nonResources() {
    let input = Array(
      """
      apiVersion: config.kubernetes.io/v1
      kind: ResourceList
      items:
      - just a string with app.staging.mycompany.com
      - [a, list]
      - resources: [app.staging.mycompany.com]
      - apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: local
          annotations: {config.kubernetes.io/local-config: "true"}
        spec: {rules: [{host: app.staging.mycompany.com}]}
      - kind: Ingress
        spec: {rules: [{host: noversion.staging.mycompany.com}]}
      - apiVersion: networking.k8s.io/v1
        kind: Ingress
        spec: {rules: [{host: nometa.staging.mycompany.com}]}
      functionConfig: {kind: ConfigMap, data: {from: staging.mycompany.com, to: mirror.mycompany.com}}

      """.utf8)
    let outcome = Self.run(input, Invocation())
    #expect(outcome.status == .success)
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(text.contains("- just a string with app.staging.mycompany.com\n"))
    #expect(text.contains("- resources: [app.staging.mycompany.com]\n"))
    #expect(text.contains("spec: {rules: [{host: app.staging.mycompany.com}]}"))
    // Without apiVersion the group is unknown: not an Ingress we know.
    #expect(text.contains("spec: {rules: [{host: noversion.staging.mycompany.com}]}"))
    // Without metadata it is still a resource: rewritten, metadata created.
    #expect(text.contains("spec: {rules: [{host: nometa.mirror.mycompany.com}]}\n  metadata:\n"))
  }
}
