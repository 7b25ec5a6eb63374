import Testing

@testable import YAMLSplice

/// libyaml counts characters; spans must come out as byte ranges.
struct ByteOffsetTests {
  static func span(of value: String, in yaml: String) throws -> Range<Int> {
    let document = try #require(try StreamParser.parse(Array(yaml.utf8)).first)
    for index in 0..<document.nodeCount {
      let node = NodeID(index)
      if document.kind(of: node) == .scalar && document.string(of: node) == value {
        return document.span(of: node)
      }
    }
    Issue.record("no scalar \(value)")
    return 0..<0
  }

  @Test(
    "scalar spans are byte ranges",
    arguments: [
      ("a: héllo\nb: x\n", "x", 13..<14),
      ("\u{FEFF}k: v\n", "v", 6..<7),
      ("e: \"😀\"\nk: v\n", "v", 13..<14),
      ("a: 1\r\nb: 2\r\n", "2", 9..<10),
      ("日本: 語\nk: v", "v", 15..<16),
      ("k: 'it''s'\n", "it's", 3..<10),
    ])
  func byteRanges(yaml: String, value: String, expected: Range<Int>) throws {
    #expect(try Self.span(of: value, in: yaml) == expected)
  }

  @Test("values that appear verbatim are read from the source, others from the arena")
  func valueStorage() throws {
    let yaml = "a: plain\nb: \"esc\\taped\"\nc: |\n  block\n"
    let document = try #require(try StreamParser.parse(Array(yaml.utf8)).first)
    #expect(document.string("a", in: document.root) == "plain")
    #expect(document.string("b", in: document.root) == "esc\taped")
    #expect(document.string("c", in: document.root) == "block\n")
  }

  @Test("values may hold NUL")
  func nulInValue() throws {
    let document = try #require(try StreamParser.parse(Array("k: \"a\\0b\"\n".utf8)).first)
    #expect(
      document.value(of: try #require(document.value("k", in: document.root))) == [0x61, 0, 0x62])
  }

  @Test("documents, markers and empty documents")
  func documents() throws {
    let yaml = "%YAML 1.1\n---\na: 1\n...\n---\n---\nb: 2\n"
    let documents = try StreamParser.parse(Array(yaml.utf8))
    #expect(documents.count == 3)
    #expect(documents[0].hasExplicitStart)
    #expect(documents[1].isNull(documents[1].root))
    #expect(documents[2].string("b", in: documents[2].root) == "2")
  }

  @Test("nesting beyond the limit is a positioned error, not a crash")
  func depthLimit() {
    let deep =
      Array(String(repeating: "[", count: 5000).utf8)
      + Array(String(repeating: "]", count: 5000).utf8)
    #expect(throws: YAMLSyntaxError.self) { try StreamParser.parse(deep) }
    do {
      _ = try StreamParser.parse(deep)
    } catch {
      #expect(error.problem.contains("nesting deeper than"))
      #expect(error.line == 1)
      #expect(error.column == StreamParser.defaultMaximumDepth + 1)
    }
  }
}

/// Tokens written for new or rewritten values read back as the same string.
struct ScalarWriterTests {
  @Test(
    "special characters are never written unescaped",
    arguments: [
      "a\u{8E}b", "line\u{2028}sep", "bom\u{FEFF}", "nel\u{85}", "ctl\u{1}", "tab\t", "é😀",
    ])
  func roundTrip(text: String) throws {
    for token in [
      ScalarWriter.token(for: Array(text.utf8)), ScalarWriter.doubleQuoted(Array(text.utf8)),
    ] + [ScalarWriter.singleQuoted(Array(text.utf8))].compactMap({ $0 }) {
      let yaml = Array("k: ".utf8) + token + [0x0A]
      let document = try #require(try StreamParser.parse(yaml).first)
      #expect(
        document.string("k", in: document.root) == text, "\(String(decoding: token, as: UTF8.self))"
      )
    }
  }
}
