import Testing

@testable import YAMLSplice

/// Giving a value to a mapping entry written without `:` — a flow `{key}`
/// or an explicit `? key` alone — in each layout libyaml reads differently.
struct KeyWithoutColonTests {
  /// The input with the root mapping's last (empty) value set to `v`.
  static func valueGiven(_ input: String) throws -> [UInt8] {
    let document = try #require(try StreamParser.parse(Array(input.utf8)).first)
    let entry = try #require(document.lastEntry(of: document.root))
    let edit = document.edit(replacingValueOf: entry.value, with: Array("v".utf8))
    return try Splicer.apply([edit], to: document.source)
  }

  @Test(
    "the value lands where libyaml reads it, byte for byte",
    arguments: [
      ("{k}\n", "{k: v}\n"),
      ("{\"a\\\n  b\"}\n", "{? \"a\\\n  b\": v}\n"),
      ("{k # note\n}\n", "{k: v # note\n}\n"),
      ("{? a\n  b}\n", "{? a\n  b: v}\n"),
      ("{x: 1, ? # note\n  a\n  b}\n", "{x: 1, ? # note\n  a\n  b: v}\n"),
      ("?\n  k\n", "?\n  k\n: v\n"),
      ("? # note\n  k\n", "? # note\n  k\n: v\n"),
      ("- ? # note\n    k\n", "- ? # note\n    k\n  : v\n"),
    ])
  func placed(input: String, expected: String) throws {
    if input.hasPrefix("- ") {
      // The mapping is the sequence's item.
      let document = try #require(try StreamParser.parse(Array(input.utf8)).first)
      var items = document.children(of: document.root).makeIterator()
      let item = items.next()
      let mapping = try #require(item)
      let entry = try #require(document.firstEntry(of: mapping))
      let edit = document.edit(replacingValueOf: entry.value, with: Array("v".utf8))
      #expect(try Splicer.apply([edit], to: document.source) == Array(expected.utf8))
    } else {
      #expect(try Self.valueGiven(input) == Array(expected.utf8))
    }
    #expect(try StreamParser.parse(Array(expected.utf8)).count == 1)
  }

  @Test("a flow key of 1,024 bytes or more becomes explicit, and the result parses")
  func longFlowKey() throws {
    let key = String(repeating: "k", count: 1100)
    let output = try Self.valueGiven("{\(key)}\n")
    #expect(output == Array("{? \(key): v}\n".utf8))
    let document = try #require(try StreamParser.parse(output).first)
    let entry = try #require(document.firstEntry(of: document.root))
    #expect(document.value(of: entry.key) == Array(key.utf8))
    #expect(document.value(of: entry.value) == Array("v".utf8))
  }
}
