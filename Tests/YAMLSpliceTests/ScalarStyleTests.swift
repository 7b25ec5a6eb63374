import Testing

@testable import YAMLSplice

/// Rewriting a scalar keeps its style wherever the new text is valid in it
/// (issue 16, defect 8), and new lines at an input's open end join without
/// blank lines.
struct ScalarStyleTests {
  /// The input with the root mapping's value under `key` given `value`
  /// (a whole-token rewrite).
  static func rewritten(_ input: String, key: String = "k", value: String) throws -> String {
    let document = try #require(try StreamParser.parse(Array(input.utf8)).first)
    let node = try #require(document.value(key, in: document.root))
    let edit = document.edit(replacingValueOf: node, with: Array(value.utf8))
    let output = try Splicer.apply([edit], to: document.source)
    // The rewrite must read back as the value.
    let reread = try #require(try StreamParser.parse(output).first)
    #expect(
      reread.string(key, in: reread.root) == value, "\(String(decoding: output, as: UTF8.self))")
    return String(decoding: output, as: UTF8.self)
  }

  @Test(
    "a plain scalar may start with -, ? or : where libyaml reads it as plain",
    arguments: [
      ("--redirect-url=https://a.example.com/x", false, true),
      ("-u", true, true),
      (":auth.example.com", false, true),
      (":auth.example.com", true, false),
      ("?next=1", false, true),
      ("?next=1", true, false),
      ("- x", false, false),
      ("-", false, false),
      (": x", false, false),
      ("---", false, false),
      ("--- x", false, false),
      ("---x", false, true),
      ("-5", false, false),
    ])
  func plainIndicators(value: String, inFlow: Bool, plain: Bool) {
    #expect(ScalarWriter.isPlainSafe(Array(value.utf8), inFlow: inFlow) == plain)
  }

  @Test("a plain scalar starting with an indicator stays plain when rewritten")
  func plainStaysPlain() throws {
    #expect(try Self.rewritten("k: --a=x\n", value: "--a=y") == "k: --a=y\n")
    #expect(try Self.rewritten("k: :x\n", value: ":y") == "k: :y\n")
    #expect(try Self.rewritten("{k: -a}\n", value: "-b") == "{k: -b}\n")
    #expect(try Self.rewritten("{k: x}\n", value: ":y") == "{k: ':y'}\n")
  }

  @Test(
    "a block scalar rewritten stays a block: same style, indicator and column",
    arguments: [
      // Clip kept when the value ends with one line break.
      ("k: |\n  a\n  b\nn: 1\n", "x\ny\n", "k: |\n  x\n  y\nn: 1\n"),
      // Strip when it ends without one; a comment after the header stays.
      ("k: | # note\n  a\nn: 1\n", "x", "k: |- # note\n  x\nn: 1\n"),
      // Keep for several final breaks.
      ("k: |\n  a\nn: 1\n", "x\n\n", "k: |+\n  x\n\nn: 1\n"),
      // The indentation indicator and column stay.
      ("k: |2\n    a\n  b\nn: 1\n", "  x\ny\n", "k: |2\n    x\n  y\nn: 1\n"),
      // A first line starting with a blank gets an indicator.
      ("k: |\n    a\n", " x\n", "k: |4\n     x\n"),
      // Folded on one line.
      ("k: >-\n  a\n  b\n", "x y", "k: >-\n  x y\n"),
      // Blank lines after the content are layout: they stay.
      ("k: |\n  a\n\nn: 1\n", "x\n", "k: |\n  x\n\nn: 1\n"),
      // An empty value.
      ("k: |\n  a\nn: 1\n", "", "k: |-\nn: 1\n"),
      // In a sequence item under an indentless sequence.
      ("k:\n- |1\n  a\n", " x\n", "k:\n- |1\n  x\n"),
    ])
  func blockStaysBlock(input: String, value: String, expected: String) throws {
    if input.hasPrefix("k:\n- ") {
      let document = try #require(try StreamParser.parse(Array(input.utf8)).first)
      let sequence = try #require(document.value("k", in: document.root))
      var items = document.children(of: sequence).makeIterator()
      let first = items.next()
      let node = try #require(first)
      let edit = document.edit(replacingValueOf: node, with: Array(value.utf8))
      let output = try Splicer.apply([edit], to: document.source)
      #expect(String(decoding: output, as: UTF8.self) == expected)
      let reread = try #require(try StreamParser.parse(output).first)
      let after = try #require(reread.value("k", in: reread.root))
      var rereadItems = reread.children(of: after).makeIterator()
      let rereadFirst = rereadItems.next()
      let item = try #require(rereadFirst)
      #expect(reread.string(of: item) == value)
    } else {
      #expect(try Self.rewritten(input, value: value) == expected)
    }
  }

  @Test("a value a block scalar cannot hold falls back to double quotes")
  func blockFallsBack() throws {
    #expect(try Self.rewritten("k: |\n  a\n", value: "x\ry") == "k: \"x\\ry\"\n")
    #expect(try Self.rewritten("k: >\n  a\n", value: "x\ny\n") == "k: \"x\\ny\\n\"\n")
  }

  @Test("a host inside a block scalar with an indentation indicator is spliced in place")
  func indicatorSplice() throws {
    let input = "env:\n  value: |2\n      deep a.example.com\n    b.example.com\n"
    let document = try #require(try StreamParser.parse(Array(input.utf8)).first)
    let env = try #require(document.value("env", in: document.root))
    let node = try #require(document.value("value", in: env))
    let value = document.value(of: node)
    let start = try #require(
      (0..<value.count).first { value[$0...].starts(with: Array("b.example.com".utf8)) })
    let edits = document.edits(
      substituting: [(start..<start + 1, Array("c".utf8))], in: node)
    #expect(edits.count == 1 && edits.first?.range.count == 1)
    let output = try Splicer.apply(edits, to: document.source)
    #expect(
      String(decoding: output, as: UTF8.self)
        == "env:\n  value: |2\n      deep a.example.com\n    c.example.com\n")
  }

  @Test("entries of a nested mapping and of its parent inserted at an open end: no blank line")
  func openEnd() throws {
    let input = "metadata:\n  annotations:\n    a: 1"
    let document = try #require(try StreamParser.parse(Array(input.utf8)).first)
    let metadata = try #require(document.value("metadata", in: document.root))
    let annotations = try #require(document.value("annotations", in: metadata))
    let edits = [
      document.edit(appending: [("b", .scalar("two"))], to: annotations),
      document.edit(appending: [("labels", .mapping([("c", .scalar("three"))]))], to: metadata),
    ]
    let output = try Splicer.apply(edits, to: document.source)
    #expect(
      String(decoding: output, as: UTF8.self)
        == "metadata:\n  annotations:\n    a: 1\n    b: two\n  labels:\n    c: three")
  }
}
