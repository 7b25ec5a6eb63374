import Mirror
import Testing
import YAMLSplice

/// Insertions into flow mappings (issue 16, defect 2): `metadata` written
/// as a flow mapping of any shape (empty, one entry, several, nested, over
/// several lines, JSON-quoted keys, comments, a trailing comma, keys
/// without a value) receives any set of annotations and labels at once,
/// nested creation included. The output must parse, hold exactly the
/// original entries plus the inserted ones (read back through the node
/// table), stay JSON when the input is JSON, and not change on a second run.
struct FlowInsertionPropertyTests {
  static let cases = 400

  @Test("any annotations and labels inserted into any flow metadata give a valid document")
  func metadataInsertions() throws {
    var random = GeneratedYAML(seed: 16_002)
    for index in 0..<Self.cases {
      let sample = FlowMetadataSample(&random)
      let outcome = Runner(invocation: sample.invocation, readFile: { _ in nil })
        .run(input: Array(sample.text.utf8))
      let context =
        "case \(index):\n\(sample.text)\n->\n\(String(decoding: outcome.stdout, as: UTF8.self))"
      #expect(outcome.status == .success, "\(context)\n\(outcome.stderr)")
      guard outcome.status == .success else { continue }
      let documents = try? StreamParser.parse(outcome.stdout)
      #expect(documents?.count == 1, "output does not parse: \(context)")
      guard let document = documents?.first else { continue }
      guard let metadata = document.value("metadata", in: document.root) else {
        Issue.record("no metadata: \(context)")
        continue
      }
      #expect(document.style(of: metadata) == .flow, "metadata left flow style: \(context)")
      for (key, value) in sample.otherEntries {
        #expect(document.string(key, in: metadata) == value, "\(key) changed: \(context)")
      }
      for (name, expected) in [
        ("annotations", sample.expectedAnnotations), ("labels", sample.expectedLabels),
      ] {
        let found = Self.strings(in: document, document.value(name, in: metadata))
        #expect(found?.count == expected?.count, "\(name) entries: \(context)")
        #expect(
          found.map { Dictionary($0, uniquingKeysWith: { first, _ in first }) }
            == expected.map { Dictionary($0, uniquingKeysWith: { first, _ in first }) },
          "\(name): \(context)")
      }
      if sample.json {
        #expect(Self.isJSONShaped(document, document.root), "not JSON: \(context)")
      }
      let second = Runner(invocation: sample.invocation, readFile: { _ in nil })
        .run(input: outcome.stdout)
      #expect(second.stdout == outcome.stdout, "second run changed: \(context)")
    }
  }

  @Test("several entries appended at once to any flow mapping: all there, the rest kept")
  func documentAppends() throws {
    var random = GeneratedYAML(seed: 16_020)
    for index in 0..<Self.cases {
      let sample = FlowMetadataSample(&random)
      let input = Array(sample.text.utf8)
      let document = try #require(try StreamParser.parse(input).first)
      let metadata = try #require(document.value("metadata", in: document.root))
      var entries: [(String, YAMLFragment)] = []
      for number in 0..<1 + random.below(3) {
        switch random.below(4) {
        case 0: entries.append(("new\(number)", .scalar(random.pick(["v", "a b", "x: y", ""]))))
        case 1:
          entries.append(("new\(number)", .mapping([("k", .scalar("v")), ("n", .integer(1))])))
        case 2: entries.append(("new\(number)", .mapping([])))
        default:
          entries.append(
            ("new\(number)", .sequence([.scalar("a"), .mapping([("b", .scalar("c"))])])))
        }
      }
      let edit = document.edit(appending: entries, to: metadata)
      let output = try Splicer.apply([edit], to: input)
      let context = "case \(index):\n\(sample.text)\n->\n\(String(decoding: output, as: UTF8.self))"
      let parsed = try? StreamParser.parse(output)
      guard let result = parsed?.first, let after = result.value("metadata", in: result.root) else {
        Issue.record("output does not parse: \(context)")
        continue
      }
      let before = document.entries(of: metadata).map { document.string(of: $0.key) }
      let keys = result.entries(of: after).map { result.string(of: $0.key) }
      #expect(keys == before + entries.map(\.0), "keys: \(context)")
      for (key, fragment) in entries {
        if case .scalar(let text) = fragment {
          #expect(result.string(key, in: after) == text, "\(key): \(context)")
        }
      }
      if sample.json {
        #expect(Self.isJSONShaped(result, result.root), "not JSON: \(context)")
      }
    }
  }

  /// The string entries of the mapping at `node`, in order; nil when absent
  /// or null.
  static func strings(in document: Document, _ node: NodeID?) -> [(String, String)]? {
    guard let node, document.kind(of: node) == .mapping else { return nil }
    return document.entries(of: node).map {
      (document.string(of: $0.key), document.string(of: $0.value))
    }
  }

  /// Whether every collection under `node` is in flow style and every
  /// scalar double-quoted or a number: what a JSON reader accepts.
  static func isJSONShaped(_ document: Document, _ node: NodeID) -> Bool {
    switch document.kind(of: node) {
    case .scalar:
      return document.style(of: node) == .doubleQuoted
        || (document.style(of: node) == .plain
          && (Int(document.string(of: node)) != nil
            || ["null", "true", "false"].contains(document.string(of: node))))
    case .mapping, .sequence:
      return document.style(of: node) == .flow
        && document.children(of: node).allSatisfy { isJSONShaped(document, $0) }
    default:
      return false
    }
  }
}

/// One generated input for the flow insertion properties: an Ingress whose
/// `metadata` is a random flow mapping, and a random set of tags.
struct FlowMetadataSample {
  var text = ""
  var json: Bool
  var invocation: Invocation
  /// Metadata entries other than annotations and labels, with their values.
  var otherEntries: [(String, String)] = []
  var expectedAnnotations: [(String, String)]?
  var expectedLabels: [(String, String)]?

  static let host = "api.staging.mycompany.com"

  init(_ random: inout GeneratedYAML) {
    json = random.chance(35)
    let multiLine = random.chance(40)
    let rewritten = random.chance(60)
    var settings: [(String, String)] = [("tag-scope", "all")]
    var tagAnnotations: [(String, String)] = []
    var tagLabels: [(String, String)] = []
    for _ in 0..<random.below(4) {
      let key = random.pick(["team", "example.com/purpose", "note", "k"])
      let value = random.pick(["mirror", "pen test", "a,b", "x"])
      settings.append(("tag-annotation", "\(key)=\(value)"))
      Self.set(key, value, in: &tagAnnotations)
    }
    for _ in 0..<random.below(4) {
      let key = random.pick(["env", "example.com/tier", "app"])
      let value = random.pick(["mirror", "web", "v1"])
      settings.append(("tag-label", "\(key)=\(value)"))
      Self.set(key, value, in: &tagLabels)
    }
    invocation = Invocation(
      from: "staging.mycompany.com", to: "mirror.mycompany.com", settings: settings)

    var entries: [String] = []
    let quote = json || random.chance(15)
    func key(_ name: String) -> String { quote ? "\"\(name)\"" : name }
    func scalar(_ value: String) -> String {
      json || value.contains(" ") || value.contains(",") ? "\"\(value)\"" : value
    }
    var annotations: [(String, String)]?
    var labels: [(String, String)]?
    for name in ["name", "namespace", "annotations", "labels", "uid"].shuffled(using: &random)
    where random.chance(name == "name" ? 70 : 50) {
      switch name {
      case "annotations", "labels":
        let (written, value) = Self.nestedMapping(
          &random, json: json, multiLine: multiLine, key: key, scalar: scalar)
        if let written {
          entries.append("\(key(name)): \(written)")
        } else if json {
          entries.append("\(key(name)): null")
        } else {
          // A null value: `{annotations}`, `annotations: ,` or `~`.
          entries.append(random.pick([key(name), "\(key(name)): ", "\(key(name)): ~"]))
        }
        if name == "annotations" { annotations = value } else { labels = value }
      default:
        let value = "\(name)-\(random.below(10))"
        entries.append("\(key(name)): \(scalar(value))")
        otherEntries.append((name, value))
      }
    }
    var metadata = "{"
    if multiLine {
      for (offset, entry) in entries.enumerated() {
        metadata += "\n  " + entry + (offset < entries.count - 1 ? "," : "")
        if !json && random.chance(30) { metadata += " # note" }
      }
      metadata += "\n}"
    } else {
      metadata += entries.joined(separator: ", ")
      if !json && !entries.isEmpty && random.chance(15) { metadata += ", " }
      metadata += "}"
    }
    let spec =
      "{\(key("rules")): [{\(key("host")): \(scalar(rewritten ? Self.host : "www.example.org"))}]}"
    if json {
      text =
        "{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"Ingress\", \"metadata\": \(metadata), \"spec\": \(spec)}\n"
    } else {
      text =
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: \(metadata)\nspec: \(spec)\n"
    }

    if rewritten {
      Self.set("krm-mirror.dev/original-hosts", Self.host, in: &tagAnnotations)
      Self.set(
        "krm-mirror.dev/host-map", "staging.mycompany.com=mirror.mycompany.com", in: &tagAnnotations
      )
    }
    expectedAnnotations = Self.merged(annotations, tagAnnotations)
    expectedLabels = Self.merged(labels, tagLabels)
  }

  /// A nested mapping's text (nil for a key without a value) and entries.
  static func nestedMapping(
    _ random: inout GeneratedYAML, json: Bool, multiLine: Bool, key: (String) -> String,
    scalar: (String) -> String
  ) -> (String?, [(String, String)]?) {
    switch random.below(5) {
    case 0: return (nil, nil)
    case 1: return (multiLine ? "{\n  }" : (random.chance(50) ? "{}" : "{ }"), [])
    default:
      var entries: [(String, String)] = []
      for _ in 0..<1 + random.below(3) {
        set(
          random.pick(["team", "old", "app", "example.com/x"]), random.pick(["a", "b c", "web"]),
          in: &entries)
      }
      let parts = entries.map { "\(key($0.0)): \(scalar($0.1))" }
      let text =
        multiLine && random.chance(50)
        ? "{\n    " + parts.joined(separator: ",\n    ") + "\n  }"
        : "{" + parts.joined(separator: ", ") + "}"
      return (text, entries)
    }
  }

  static func set(_ key: String, _ value: String, in entries: inout [(String, String)]) {
    if let index = entries.firstIndex(where: { $0.0 == key }) {
      entries[index].1 = value
    } else {
      entries.append((key, value))
    }
  }

  /// What a mapping holds after the tags: nil stays nil when nothing is set.
  static func merged(_ original: [(String, String)]?, _ tags: [(String, String)]) -> [(
    String, String
  )]? {
    guard !tags.isEmpty else { return original }
    var result = original ?? []
    for (key, value) in tags { set(key, value, in: &result) }
    return result
  }
}

extension GeneratedYAML: RandomNumberGenerator {}
