import Mirror
import MirrorProperties
import Testing
import YAMLSplice

/// The checkers the properties rely on: resolved trees, strict JSON, the
/// meaning invariants and the configuration drawing. A checker that cannot
/// see a defect would let the fuzzer pass over it.
struct PropertyCheckerTests {
  static func trees(_ yaml: String) throws -> [ResolvedTree?] {
    try #require(MirrorProperties.resources(Array(yaml.utf8)))
  }

  static func tree(_ yaml: String) throws -> ResolvedTree {
    try #require(try trees(yaml).first ?? nil)
  }

  @Test("aliases resolve to their anchored node, tags and line breaks around anchors included")
  func aliases() throws {
    let resolved = try Self.tree(
      """
      a: !!map &first {x: 1}
      b: &second
        y: 2
      c: [*first, *second]
      d: &first "redefined"
      e: *first

      """)
    #expect(
      resolved["c"]
        == .sequence([
          .mapping([.init(key: .scalar("x"), value: .scalar("1"))]),
          .mapping([.init(key: .scalar("y"), value: .scalar("2"))]),
        ]))
    #expect(resolved["e"] == .scalar("redefined"))
  }

  @Test("merge keys fold in; own keys and earlier sources win")
  func mergeKeys() throws {
    let resolved = try Self.tree(
      """
      base: &base {host: a.example.com, port: 80}
      other: &other {port: 81, tls: true}
      one: {<<: *base, port: 8080}
      two:
        <<: [*other, *base]

      """)
    #expect(resolved["one"]?["host"] == .scalar("a.example.com"))
    #expect(resolved["one"]?["port"] == .scalar("8080"))
    #expect(resolved["two"]?["port"] == .scalar("81"))
    #expect(resolved["two"]?["host"] == .scalar("a.example.com"))
    #expect(resolved["two"]?["<<"] == nil)
  }

  @Test("an alias bomb is cut off, not expanded")
  func aliasBomb() throws {
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1..<10 {
      let previous = "*a\(level - 1)"
      yaml +=
        "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
    }
    let resolved = try Self.trees(yaml)
    #expect(resolved.count == 1 && resolved[0] == nil)
  }

  @Test("strict JSON: documents and concatenated values pass, YAML-only syntax does not")
  func strictJSON() {
    let valid = [
      #"{"a": [1, -2.5e3, true, null, "x\u00e9\n"]}"#, "\u{FEFF}{}", #"{"a":1}{"b":2}"#,
      "[]\n [ ] ",
    ]
    for text in valid { #expect(StrictJSON.isValueSequence(Array(text.utf8)) == true, "\(text)") }
    let invalid = [
      #"{"metadata": {"annotations": {"a": "b"}"labels": {"c": "d"}}}"#,  // issue 16, defect 2
      #"{"a": 1,}"#, "{'a': 1}", "{a: 1}", #"{"a": 01}"#, "{\"a\": \"tab\u{09}\"}", "", "a: 1",
    ]
    for text in invalid {
      #expect(StrictJSON.isValueSequence(Array(text.utf8)) == false, "\(text)")
    }
  }

  /// Issue 16, defect 1: the tag label lands in the anchored labels that
  /// the selector aliases.
  @Test("a tag label reaching an aliased selector is a violation; a split anchor is not")
  func selectorsThroughAliases() throws {
    let before = try Self.trees(
      """
      kind: Service
      metadata: {name: web, labels: &labels {app: web}}
      spec: {selector: *labels}

      """)
    let broken = try Self.trees(
      """
      kind: Service
      metadata: {name: web, labels: &labels {app: web, env: mirror}}
      spec: {selector: *labels}

      """)
    let split = try Self.trees(
      """
      kind: Service
      metadata: {name: web, labels: {app: web, env: mirror}}
      spec: {selector: {app: web}}

      """)
    #expect(
      MirrorProperties.selectorViolation(before: before, after: broken, sources: ["example.com"])
        == "resource 0: spec.selector changed without a source host in it")
    #expect(
      MirrorProperties.selectorViolation(before: before, after: split, sources: ["example.com"])
        == nil)
    // A selector that held a source host may change.
    let hosted = try Self.trees("spec: {selector: {host: a.example.com}}\n")
    let moved = try Self.trees("spec: {selector: {host: a.example.org}}\n")
    #expect(
      MirrorProperties.selectorViolation(before: hosted, after: moved, sources: ["example.com"])
        == nil)
    // Pod-template labels, created where there were none.
    let template = try Self.trees("spec: {template: {metadata: {name: p}}}\n")
    let tagged = try Self.trees("spec: {template: {metadata: {name: p, labels: {env: m}}}}\n")
    #expect(
      MirrorProperties.selectorViolation(before: template, after: tagged, sources: [])
        == "resource 0: spec.template.metadata.labels changed without a source host in it")
  }

  /// Issue 16, defect 3: the Secret is renamed, a pod's volume is not.
  @Test("a reference to a renamed Secret is a violation")
  func secretReferences() throws {
    let before = try Self.trees(
      """
      kind: Secret
      metadata: {name: api-staging-example-com-tls}
      ---
      kind: Deployment
      spec: {template: {spec: {volumes: [{name: certs, secret: {secretName: api-staging-example-com-tls}}]}}}
      ---
      kind: ExternalSecret
      spec: {target: {name: api-staging-example-com-tls}}

      """)
    let dangling = try Self.trees(
      """
      kind: Secret
      metadata: {name: api-mirror-example-com-tls}
      ---
      kind: Deployment
      spec: {template: {spec: {volumes: [{name: certs, secret: {secretName: api-staging-example-com-tls}}]}}}
      ---
      kind: ExternalSecret
      spec: {target: {name: api-mirror-example-com-tls}}

      """)
    #expect(
      MirrorProperties.secretReferenceViolation(before: before, after: dangling)
        == "resource 1: spec.template.spec.volumes[0].secret.secretName still names a Secret the run renamed"
    )
    let followed = try Self.trees(
      """
      kind: Secret
      metadata: {name: api-mirror-example-com-tls}
      ---
      kind: Deployment
      spec: {template: {spec: {volumes: [{name: certs, secret: {secretName: api-mirror-example-com-tls}}]}}}
      ---
      kind: ExternalSecret
      spec: {target: {name: api-staging-example-com-tls}}

      """)
    #expect(
      MirrorProperties.secretReferenceViolation(before: before, after: followed)
        == "resource 2: spec.target.name still names a Secret the run renamed")
  }

  @Test("the configuration comes from a trailing #~ line, else from the length; drawing is stable")
  func drawing() throws {
    let input = Array("a: 1\n#~xyz".utf8)
    let (payload, drawing) = DrawnConfiguration.split(input)
    #expect(payload == Array("a: 1\n".utf8))
    #expect(drawing == Array("xyz".utf8))
    #expect(DrawnConfiguration.split(Array("a: 1\n".utf8)).payload == Array("a: 1\n".utf8))
    #expect(
      DrawnConfiguration(drawingFrom: drawing).description
        == DrawnConfiguration(drawingFrom: drawing).description)
    var modes: Set<String> = []
    var multiple = false
    for seed in 0..<200 {
      let configuration = DrawnConfiguration(drawingFrom: [UInt8(seed)])
      modes.insert(configuration.mode.rawValue)
      multiple = multiple || configuration.mappings.count > 1
      // Every drawn configuration is well-formed YAML (the product may
      // still refuse it).
      #expect((try? StreamParser.parse(Array(configuration.json.utf8))) != nil)
    }
    #expect(modes.count == 3 && multiple)
  }

  @Test("a refused configuration fails cleanly in every mode")
  func refusedConfiguration() {
    let input = Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n".utf8)
    for mode in DrawnConfiguration.Mode.allCases {
      var configuration = DrawnConfiguration(drawingFrom: [1], mode: mode)
      configuration.mappings = [("example.com", "example.com")]
      configuration.configMapForm = false
      #expect(MirrorProperties.violation(in: input, configuration: configuration) == nil)
    }
  }
}
