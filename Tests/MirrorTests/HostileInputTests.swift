import Mirror
import Testing

/// The hostile-input catalogue (SPEC §6): each input gets a clear error or
/// passes through unchanged; nothing is lost, nothing is half-written.
struct HostileInputTests {
  static let invocation = Invocation(from: "staging.mycompany.com", to: "mirror.mycompany.com")

  static func run(_ input: [UInt8], _ invocation: Invocation = invocation) -> Outcome {
    Runner(invocation: invocation, readFile: { _ in nil }).run(input: input)
  }

  @Test("a 100 MB single scalar passes through; a host inside it is still found")
  func hugeScalar() {
    var input = Array("key: \"".utf8)
    input += repeatElement(UInt8(ascii: "a"), count: 100_000_000)
    input += Array("\"\nother: x\n".utf8)
    let outcome = Self.run(input)
    #expect(outcome.status == .success)
    let identical = outcome.stdout == input
    #expect(identical)
  }

  @Test(
    "nesting 200,000 levels deep: a positioned depth error, no stack overflow",
    arguments: [
      Array(repeating: UInt8(ascii: "["), count: 200_000),
      Array(String(repeating: "- ", count: 200_000).utf8) + [0x61, 0x0A],
      Array(String(repeating: "{a: ", count: 200_000).utf8),
    ])
  func deepNesting(input: [UInt8]) {
    let outcome = Self.run(input)
    #expect(outcome.status == .failure)
    #expect(outcome.stdout.isEmpty)
    #expect(outcome.stderr.hasPrefix("stdin:1:"))
    #expect(outcome.stderr.contains("nesting deeper than 1000 levels"))
  }

  @Test("billion laughs: aliases pass through without expansion, fast")
  func billionLaughs() {
    var text =
      "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
    for level in 1...9 {
      let previous = "*a\(level - 1)"
      let items = Array(repeating: previous, count: 9).joined(separator: ", ")
      text += "a\(level): &a\(level) [\(items)]\n"
    }
    let input = Array(text.utf8)
    let clock = ContinuousClock()
    var outcome: Outcome?
    let elapsed = clock.measure { outcome = Self.run(input) }
    #expect(outcome?.status == .success)
    #expect(outcome?.stdout == input)
    // Expanded, this would be 10^9 strings; unexpanded it is instant.
    #expect(elapsed < .seconds(5))
  }

  @Test("duplicate keys pass through; the first occurrence is the one read")
  func duplicateKeys() {
    let input = Array(
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: dup}
      spec:
        rules:
        - host: a.staging.mycompany.com
        rules:
        - host: b.staging.mycompany.com

      """.utf8)
    let outcome = Self.run(input)
    #expect(outcome.status == .success)
    let text = String(decoding: outcome.stdout, as: UTF8.self)
    #expect(text.contains("- host: a.mirror.mycompany.com"))
    #expect(text.contains("- host: b.staging.mycompany.com"))
  }

  @Test("ResourceList documents inside a stream are resources like any other")
  func listsInAStream() {
    let input = Array(
      """
      apiVersion: config.kubernetes.io/v1
      kind: ResourceList
      items: [{apiVersion: networking.k8s.io/v1, kind: Ingress, spec: {rules: [{host: a.staging.mycompany.com}]}}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: c}

      """.utf8)
    let withFlags = Self.run(input)
    #expect(withFlags.status == .success)
    #expect(withFlags.stdout == input)
    let withoutFlags = Self.run(input, Invocation())
    #expect(withoutFlags.status == .usage)
    #expect(withoutFlags.stdout.isEmpty)
  }

  @Test(
    "inputs that are not resources pass through unchanged",
    arguments: [
      "", "# only a comment\n", "---\n", "---\n...\n", "just a scalar\n", "- a\n- b\n", "~\n",
      "[1, 2, 3]\n", "{}\n", "kind: Ingress\n", "metadata: {name: x}\n",
    ])
  func nonResources(text: String) {
    let input = Array(text.utf8)
    let outcome = Self.run(input)
    #expect(outcome.status == .success)
    #expect(outcome.stdout == input)
  }
}
