import Mirror
import Testing
import YAMLSplice

/// Field paths reach nodes and name them as results print them.
struct FieldPathTests {
  static let document =
    (try? StreamParser.parse(
      Array(
        """
        spec:
          rules:
          - host: a
          - host: b
            http: {paths: [{backend: x}, {backend: y}]}
        metadata:
          annotations: {a.b/c: d}
        deep: [[[[[[z]]]]]]

        """.utf8)))?.first

  static func paths(_ text: String) -> [String] {
    guard let path = FieldPath(text) else { return ["malformed"] }
    guard let document else { return ["unparsed"] }
    return path.resolve(in: document, from: document.root).map {
      document.string(of: $0.0) + "@" + $0.1.description
    }
  }

  @Test("every item, one item, keys with dots and slashes, more than four indices")
  func concretePaths() {
    #expect(Self.paths("spec.rules[].host") == ["a@spec.rules[0].host", "b@spec.rules[1].host"])
    #expect(
      Self.paths("spec.rules[1].http.paths[].backend") == [
        "x@spec.rules[1].http.paths[0].backend", "y@spec.rules[1].http.paths[1].backend",
      ])
    #expect(Self.paths("metadata.annotations[a.b/c]") == ["d@metadata.annotations[a.b/c]"])
    #expect(Self.paths("deep[][][][][][]") == ["z@deep[0][0][0][0][0][0]"])
    #expect(Self.paths("spec.missing[].host").isEmpty)
    #expect(Self.paths("spec..host") == ["malformed"])
  }

  @Test(
    "selectors by value, wildcards and other syntax are refused, saying what is supported",
    arguments: [
      "spec.containers[name=web].env", "spec.containers[?(@.name=='web')].env", "spec.*.host",
      "spec.rules[-1].host", "spec.rules['x']", "spec.host name",
    ])
  func refused(text: String) {
    #expect(FieldPath(text) == nil)
    #expect(throws: FieldPathError.self) { try FieldPath(parsing: text) }
  }
}
