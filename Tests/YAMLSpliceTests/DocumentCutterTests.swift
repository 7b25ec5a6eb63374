import Testing
import YAMLSplice

/// Where a stream may be cut into independently parsed parts.
struct DocumentCutterTests {
  static func cut(_ text: String) -> Int? {
    var cutter = DocumentCutter()
    return Array(text.utf8).withUnsafeBufferPointer { cutter.lastCut(in: $0) }
  }

  /// The cuts found feeding `text` `blockSize` bytes at a time, removing
  /// each part as the runner does; offsets are in the whole text.
  static func cuts(_ text: String, blockSize: Int) -> [Int] {
    let bytes = Array(text.utf8)
    var cutter = DocumentCutter()
    var buffer: [UInt8] = []
    var removed = 0
    var found: [Int] = []
    var offset = 0
    while offset < bytes.count {
      buffer += bytes[offset..<min(bytes.count, offset + blockSize)]
      offset += blockSize
      if let cut = buffer.withUnsafeBufferPointer({ cutter.lastCut(in: $0) }) {
        found.append(removed + cut)
        buffer.removeFirst(cut)
        cutter.removeFirst(cut)
        removed += cut
      }
    }
    return found
  }

  @Test("a marker line after content is a cut; the last one wins")
  func markers() {
    #expect(Self.cut("a: 1\n---\nb: 2\n") == 5)
    #expect(Self.cut("a\n---\nb\n--- c\n") == 8)
    #expect(Self.cut("a: 1\r\n---\r\nb: 2\r\n") == 6)
    #expect(Self.cut("a: 1\n---\tb\n") == 5)
    #expect(Self.cut("\u{FEFF}a: 1\n---\nb\n") == 8)
    // Comments before the marker, and a `%` that is not at a line start.
    #expect(Self.cut("a: 1\n# c\n\n---\nb\n") == 10)
    #expect(Self.cut("a: \"%x\"\n---\nb\n") == 8)
    #expect(Self.cut("a: 1\n # %x\n---\nb\n") == 11)
  }

  @Test("not a cut: no content before, a directive before, not a marker, undecided")
  func notCuts() {
    #expect(Self.cut("# only a comment\n\n---\nb: 2\n") == nil)
    #expect(Self.cut("...\n---\na\n") == nil)
    #expect(Self.cut("\u{FEFF}# x\n---\na\n") == nil)
    #expect(Self.cut("a: 1\n...\n%YAML 1.1\n---\nb: 2\n") == nil)
    // Directives with comments or blank lines between them and the marker,
    // or after a line break libyaml knows but the cut does not (found by
    // the fuzzer: a part ended in a directive without its document).
    #expect(Self.cut("a: 1\n%YAML 1.1\n# c\n\n  # d\n---\nb: 2\n") == nil)
    #expect(Self.cut("a: 1\r%YAML 1.1\n---\nb: 2\n") == nil)
    #expect(Self.cut("a: 1\r\n%TAG ! tag:x,1:\r\n# c\r\n---\r\nb\r\n") == nil)
    #expect(Self.cut("a: 1\u{85}%YAML 1.1\n---\nb\n") == nil)
    #expect(Self.cut("a: 1\u{2028}%YAML 1.1\n---\nb\n") == nil)
    #expect(Self.cut("a: 1\n---x\n") == nil)
    #expect(Self.cut("a: 1\n----\n") == nil)
    #expect(Self.cut("a: 1\n---") == nil)
    #expect(Self.cut("a: 1\n  ---\n") == nil)
    #expect(Self.cut("a: 1\r---\nb\n") == nil)
    // UTF-16 (a byte order mark first): libyaml decodes the whole stream.
    let utf16 = [UInt8]([0xFE, 0xFF]) + Array("a\n---\nb\n".utf8)
    var cutter = DocumentCutter()
    #expect(utf16.withUnsafeBufferPointer { cutter.lastCut(in: $0) } == nil)
  }

  @Test("fed in blocks of any size (long lines and comments across blocks), the same cuts")
  func blocks() {
    let text =
      "# head\n%YAML 1.1\n---\na: 1\n--- |\n  x\n...\n# tail " + String(repeating: "c", count: 300)
      + "\n---\nb: " + String(repeating: "v", count: 300) + "\n---\nc\n---x\n"
    let whole = Self.cuts(text, blockSize: text.utf8.count)
    #expect(whole == [656])
    for size in [1, 2, 3, 4, 5, 7, 64] {
      let pieces = Self.cuts(text, blockSize: size)
      // Block by block every boundary is found as it becomes decidable; the
      // last one found is the whole text's last cut.
      #expect(pieces.last == whole.last, "block size \(size)")
      #expect(Set(pieces).isSubset(of: [26, 348, 656]), "block size \(size): \(pieces)")
    }
  }

  @Test("the parts before and after a cut parse to the documents of the whole")
  func partsParseAsWhole() throws {
    let text = "a: 1\n---\n# c\nb: [1,\n  2]\n--- |\n  text\n--- x\n"
    let bytes = Array(text.utf8)
    let whole = try StreamParser.parse(bytes)
    var parts: [[UInt8]] = []
    var rest = bytes
    while let cut = rest.withUnsafeBufferPointer({
      var cutter = DocumentCutter()
      return cutter.lastCut(in: $0)
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

  @Test("concatenated JSON objects are cut where each next object starts, in blocks of any size")
  func concatenatedObjects() {
    let text =
      "\u{FEFF}{\"a\": \"}{\\\"}{\", \"b\": [{}]}{\"c\": 'x''}{'}\n\n  {\"d\": {\"e\": 1}}\n{\"f\": 2 # }{\n}\n"
    let bytes = Array(text.utf8)
    let starts = ConcatenatedJSON.boundaries(in: bytes)
    let expected = [Array("{\"c\"".utf8), Array("{\"d\"".utf8), Array("{\"f\"".utf8)].map {
      prefix in
      (0..<bytes.count).first { bytes[$0...].starts(with: prefix) } ?? -1
    }
    #expect(starts == expected)
    for size in [1, 2, 3, 5, 7, 64, bytes.count] {
      #expect(Self.cuts(text, blockSize: size).allSatisfy { expected.contains($0) }, "\(size)")
      #expect(Self.cuts(text, blockSize: size).last == expected.last, "\(size)")
    }
  }

  @Test(
    "not concatenated objects: YAML, a marker, a top-level list, one object",
    arguments: [
      "a: {b: 1}\n{c: 2}\n", "{a: 1}\n---\n{b: 2}\n", "[1]\n[2]\n", "{\"a\": 1}\n",
      "{a: b\"c}\n---\n{d: 1}\n", "# c\n{a: 1}{b: 2}\n",
    ])
  func notConcatenatedObjects(text: String) {
    #expect(ConcatenatedJSON.boundaries(in: Array(text.utf8)).isEmpty)
  }
}
