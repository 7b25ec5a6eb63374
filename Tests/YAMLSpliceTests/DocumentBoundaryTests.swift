import Testing
import YAMLSplice

/// Where a stream may be cut into independently parsed parts.
struct DocumentBoundaryTests {
  static func cut(_ text: String, searchingFrom start: Int = 0) -> Int? {
    Array(text.utf8).withUnsafeBufferPointer {
      DocumentBoundary.lastCut(in: $0, from: 0, searchingFrom: start)
    }
  }

  @Test("a marker line after content is a cut; the last one wins")
  func markers() {
    #expect(Self.cut("a: 1\n---\nb: 2\n") == 5)
    #expect(Self.cut("a\n---\nb\n--- c\n") == 8)
    #expect(Self.cut("a: 1\r\n---\r\nb: 2\r\n") == 6)
    #expect(Self.cut("a: 1\n---\tb\n") == 5)
    #expect(Self.cut("\u{FEFF}a: 1\n---\nb\n") == 8)
  }

  @Test("not a cut: no content before, a directive before, not a marker, undecided")
  func notCuts() {
    #expect(Self.cut("# only a comment\n\n---\nb: 2\n") == nil)
    #expect(Self.cut("...\n---\na\n") == nil)
    #expect(Self.cut("\u{FEFF}# x\n---\na\n") == nil)
    #expect(Self.cut("a: 1\n...\n%YAML 1.1\n---\nb: 2\n") == nil)
    #expect(Self.cut("a: 1\n---x\n") == nil)
    #expect(Self.cut("a: 1\n----\n") == nil)
    #expect(Self.cut("a: 1\n---") == nil)
    #expect(Self.cut("a: 1\n  ---\n") == nil)
    #expect(Self.cut("a: 1\r---\nb\n") == nil)
  }

  @Test("a search from an offset finds only cuts at or after it")
  func searchStart() {
    #expect(Self.cut("a\n---\nb\n", searchingFrom: 2) == 2)
    #expect(Self.cut("a\n---\nb\n", searchingFrom: 3) == nil)
  }

  @Test("the parts before and after a cut parse to the documents of the whole")
  func partsParseAsWhole() throws {
    let text = "a: 1\n---\n# c\nb: [1,\n  2]\n--- |\n  text\n--- x\n"
    let bytes = Array(text.utf8)
    let whole = try StreamParser.parse(bytes)
    var parts: [[UInt8]] = []
    var rest = bytes
    while let cut = rest.withUnsafeBufferPointer({
      DocumentBoundary.lastCut(in: $0, from: 0, searchingFrom: 0)
    }) {
      parts.insert(Array(rest[cut...]), at: 0)
      rest = Array(rest[..<cut])
    }
    parts.insert(rest, at: 0)
    #expect(parts.count == 4)
    let documents = try parts.flatMap { try StreamParser.parse($0) }
    #expect(documents.count == whole.count)
    for (part, full) in zip(documents, whole) {
      #expect(part.value(of: part.root) == full.value(of: full.root))
      #expect(part.kind(of: part.root) == full.kind(of: full.root))
    }
  }
}
