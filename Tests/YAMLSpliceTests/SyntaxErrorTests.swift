import Testing

@testable import YAMLSplice

/// Malformed input gives libyaml's problem at the right line and column.
struct SyntaxErrorTests {
  static func error(_ bytes: [UInt8]) -> YAMLSyntaxError? {
    do {
      _ = try StreamParser.parse(bytes)
      return nil
    } catch {
      return error
    }
  }

  @Test(
    "problems and positions",
    arguments: [
      (Array("a: \"x\nb: 1\n".utf8), "found unexpected end of stream", 3, 1),
      (Array("a:\n  b: 1\n c: 2\n".utf8), "did not find expected key", 3, 2),
      (Array("a: b: c\n".utf8), "mapping values are not allowed in this context", 1, 5),
      (Array("a: [1, 2\nb: 3\n".utf8), "did not find expected ',' or ']'", 2, 2),
      ([0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A], "invalid leading UTF-8 octet #xFF", 1, 4),
      ([0x61, 0x3A, 0x20, 0x78, 0x00, 0x0A], "control characters are not allowed #x00", 1, 5),
      (Array("a:\n\tb: 1\n".utf8), "found character that cannot start any token", 2, 1),
      (Array("héllo: [\n".utf8), "did not find expected node content", 2, 1),
    ])
  func positions(input: [UInt8], problem: String, line: Int, column: Int) throws {
    let error = try #require(Self.error(input))
    #expect(error.problem == problem)
    #expect(error.line == line)
    #expect(error.column == column)
  }

  @Test("rendered with a caret under the column")
  func rendering() throws {
    let source = Array("key: value\nbad: [1, 2\n".utf8)
    let error = try #require(Self.error(source))
    let text = error.rendered(name: "stdin", source: source)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines[0].hasPrefix(
        "stdin:3:1: error: did not find expected ',' or ']' (while parsing a flow sequence)"))
    #expect(lines.count == 3)
    #expect(lines[2] == "^")
  }
}
