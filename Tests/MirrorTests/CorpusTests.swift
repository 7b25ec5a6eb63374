import Foundation
import Mirror
import TestSupport
import Testing
import YAMLSplice

/// Real manifests from public repositories (`Tests/Corpus`, see its
/// SOURCES.md): nobody here wrote them, so they catch what hand-made
/// fixtures miss.
struct CorpusTests {

  static func run(_ input: [UInt8], _ invocation: Invocation) -> Outcome {
    Runner(invocation: invocation, readFile: { _ in nil }).run(input: input)
  }

  @Test("the vendored corpus holds exactly the files and bytes SOURCES.md lists")
  func corpusMatchesSources() throws {
    let sources = Corpus.listedSources()
    try #require(sources.count == 8, "SOURCES.md lists \(sources.count) repositories, expected 8")
    var listed = 0
    for source in sources {
      let folder = Corpus.root.appendingPathComponent(source.folder)
      let files = Fixtures.files(under: folder, suffixes: [".yaml", ".yml"])
      let bytes = files.compactMap(Fixtures.bytes).reduce(0) { $0 + $1.count }
      #expect(files.count == source.files, "\(source.repository): \(files.count) files")
      #expect(bytes == source.bytes, "\(source.repository): \(bytes) bytes")
      listed += source.files
    }
    // Nothing outside the listed folders is read as a manifest.
    #expect(Corpus.manifests.count == listed)
    #expect(listed >= Corpus.minimumCount)
  }

  @Test("every license text SOURCES.md names is in Tests/Corpus/LICENSES")
  func licenseTexts() throws {
    let names = Corpus.listedLicenseTexts()
    try #require(names.count == 3, "SOURCES.md names \(names)")
    for name in names {
      let text = try #require(
        Fixtures.bytes(at: Corpus.root.appendingPathComponent(name)), "missing \(name)")
      #expect(text.count > 400, "\(name) is too short to be a license text")
    }
  }

  @Test("no matching host: output is the input, byte for byte, over the whole corpus")
  func identity() throws {
    let invocation = Invocation(from: "no-such-domain.invalid", to: "mirror.invalid")
    var parsed = 0
    var rejected: [String] = []
    for file in try Corpus.requireManifests() {
      let input = try #require(Fixtures.bytes(at: file))
      let outcome = Self.run(input, invocation)
      if outcome.status == .success {
        parsed += 1
        let identical = outcome.stdout == input || (input.isEmpty && outcome.stdout.isEmpty)
        #expect(
          identical,
          "\(file.path): \(ByteDiff.describe(expected: input, actual: outcome.stdout) ?? "")")
      } else {
        // Input libyaml rejects: a positioned error and nothing on stdout.
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.hasPrefix("stdin:"), "\(file.path): \(outcome.stderr)")
        rejected.append(file.lastPathComponent)
      }
    }
    #expect(parsed > 1000, "only \(parsed) corpus files parsed; rejected: \(rejected)")
  }

  @Test("real mappings over the corpus: output parses, second run changes nothing")
  func rewriteIsIdempotent() throws {
    let invocation = Invocation(
      hostPairs: ["example.com=mirror.example.net", "example.org=mirror.example.net"])
    var changedFiles = 0
    for file in try Corpus.requireManifests() {
      let input = try #require(Fixtures.bytes(at: file))
      let first = Self.run(input, invocation)
      guard first.status == .success else { continue }
      if first.stdout != input { changedFiles += 1 }
      #expect(throws: Never.self, "\(file.path) output does not parse") {
        _ = try StreamParser.parse(first.stdout)
      }
      let second = Self.run(first.stdout, invocation)
      let unchanged = second.stdout == first.stdout
      #expect(
        unchanged,
        "\(file.path): \(ByteDiff.describe(expected: first.stdout, actual: second.stdout) ?? "")")
    }
    #expect(changedFiles > 0, "no corpus file had an Ingress host under example.com/org")
  }
}
