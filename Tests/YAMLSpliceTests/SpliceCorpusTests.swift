import Foundation
import TestSupport
import Testing

@testable import YAMLSplice

/// Properties of the splicing layer over every document of the vendored
/// corpus (`Tests/Corpus`) and the fixtures: nobody here wrote that input.
struct SpliceCorpusTests {
  static let fixtures = Fixtures.files(
    under: Fixtures.packageRoot().appendingPathComponent("Tests/MirrorTests/Fixtures"),
    suffixes: [".yaml"])

  /// The corpus and the fixtures; fails the test when the corpus is missing.
  static func files() throws -> [URL] {
    try Corpus.requireManifests() + fixtures
  }

  /// The file's documents (concatenated JSON objects each parsed on its
  /// own, as filter mode reads them); none for a UTF-16 fixture (refused by
  /// design, see MalformedInputTests), any other parse error fails the test.
  static func documents(_ file: URL) throws -> [Document] {
    let bytes = try #require(Fixtures.bytes(at: file))
    if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) { return [] }
    return try ConcatenatedJSON.parseDocuments(bytes)
  }

  static func scalarValues(_ document: Document) -> [[UInt8]] {
    (0..<document.nodeCount).map(NodeID.init).filter { document.kind(of: $0) == .scalar }
      .map { document.value(of: $0) }
  }

  @Test("spans are ordered, in bounds, and verbatim values equal their source bytes")
  func spans() throws {
    var scalars = 0
    var mapped = 0
    for file in try Self.files() {
      for document in try Self.documents(file) {
        var previousStart = document.span.lowerBound
        for index in 0..<document.nodeCount {
          let node = NodeID(index)
          let span = document.span(of: node)
          #expect(span.lowerBound >= previousStart && span.upperBound <= document.source.count)
          previousStart = span.lowerBound
          guard document.kind(of: node) == .scalar else { continue }
          scalars += 1
          if let map = ScalarSourceMap(document: document, node: node) {
            mapped += 1
            let value = document.value(of: node)
            for segment in map.segments {
              let fromSource = document.source[segment.source..<segment.source + segment.length]
              let fromValue = value[segment.value..<segment.value + segment.length]
              #expect(fromSource.elementsEqual(fromValue), "\(file.lastPathComponent)")
            }
          }
        }
      }
    }
    // Every scalar style is decoded; only exotic escapes fall back.
    #expect(Double(mapped) > Double(scalars) * 0.999, "\(mapped) of \(scalars) scalars mapped")
  }

  @Test("substituting inside every scalar re-parses to exactly the intended values")
  func substitutions() throws {
    for file in try Self.files() {
      for document in try Self.documents(file) {
        var edits: [Edit] = []
        var expected: [[UInt8]] = []
        for index in 0..<document.nodeCount where document.kind(of: NodeID(index)) == .scalar {
          let node = NodeID(index)
          var value = document.value(of: node)
          // An ASCII letter or digit near the middle: hosts are ASCII.
          if let middle = value.indices.dropFirst(value.count / 2).first(where: {
            value[$0] < 0x80 && (value[$0] | 0x20) >= 0x61 && (value[$0] | 0x20) <= 0x7A
          }) {
            let range = middle..<middle + 1
            edits += document.edits(substituting: [(range, Array("Zq".utf8))], in: node)
            value.replaceSubrange(range, with: Array("Zq".utf8))
          }
          expected.append(value)
        }
        let output = try Splicer.apply(edits, to: document.source)
        let reparsed = try StreamParser.parse(output)
        let actual = reparsed.flatMap(Self.scalarValues)
        let before = try StreamParser.parse(document.source).flatMap(Self.scalarValues)
        // Only this document's scalars changed; compare the whole stream.
        let all = before.count == actual.count
        #expect(all, "\(file.lastPathComponent): scalar count changed")
        let mine = actual.filter { expected.contains($0) }.count
        #expect(mine >= expected.count, "\(file.lastPathComponent): substituted values not found")
      }
    }
  }

  @Test("rewriting every scalar's whole value keeps the document valid and the values exact")
  func wholeValues() throws {
    let awkward = Array("a: b # c, 'q' \"d\" \\ ü [x] {y}\n".utf8)
    for file in try Self.files() {
      for document in try Self.documents(file) {
        var edits: [Edit] = []
        var expected: [[UInt8]] = []
        for index in 0..<document.nodeCount where document.kind(of: NodeID(index)) == .scalar {
          let node = NodeID(index)
          // Keys keep their text so that the structure stays comparable.
          if let parent = document.parent(of: node), document.kind(of: parent) == .mapping,
            document.entries(of: parent).contains(where: { $0.key == node })
          {
            expected.append(document.value(of: node))
            continue
          }
          edits.append(document.edit(replacingValueOf: node, with: awkward))
          expected.append(awkward)
        }
        let output = try Splicer.apply(edits, to: document.source)
        let reparsed: [Document]
        do {
          reparsed = try StreamParser.parse(Array(output[document.span.lowerBound...]))
        } catch {
          Issue.record(
            "\(file.lastPathComponent): \(error.rendered(name: "out", source: Array(output[document.span.lowerBound...])))"
          )
          continue
        }
        let actual = try #require(reparsed.first.map(Self.scalarValues))
        #expect(actual == expected, "\(file.lastPathComponent)")
      }
    }
  }

  @Test("appending an entry to any mapping keeps every other value and adds exactly that entry")
  func appendEntries() throws {
    for file in try Self.files() {
      for document in try Self.documents(file) {
        let mappings = (0..<document.nodeCount).map(NodeID.init)
          .filter { document.kind(of: $0) == .mapping }.prefix(12)
        let before = Self.scalarValues(document)
        for mapping in mappings {
          let edit = document.edit(
            appending: [("zz-new", .scalar("v 1")), ("zz-list", .sequence([.scalar("x")]))],
            to: mapping)
          let output = try Splicer.apply([edit], to: document.source)
          let reparsed = try #require(
            try StreamParser.parse(Array(output[document.span.lowerBound...])).first,
            "\(file.lastPathComponent)")
          let entries = reparsed.entries(of: mapping)
          #expect(entries.count == document.entries(of: mapping).count + 2)
          guard entries.count >= 2 else { continue }
          let added = entries[entries.count - 2]
          #expect(reparsed.string(of: added.key) == "zz-new", "\(file.lastPathComponent)")
          #expect(reparsed.string(of: added.value) == "v 1")
          var after = Self.scalarValues(reparsed)
          after.removeAll {
            $0 == Array("zz-new".utf8) || $0 == Array("v 1".utf8) || $0 == Array("zz-list".utf8)
              || $0 == Array("x".utf8)
          }
          #expect(after == before.filter { $0 != Array("x".utf8) }, "\(file.lastPathComponent)")
        }
      }
    }
  }
}
