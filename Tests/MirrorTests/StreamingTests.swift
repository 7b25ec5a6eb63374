import Foundation
import Mirror
import MirrorProperties
import TestSupport
import Testing
import YAMLSplice

/// Filter mode reads a stream block by block and processes it part by part:
/// neither the block size nor where output starts flowing may change a byte
/// of what comes out, and errors keep their whole-input positions.
struct StreamingTests {
  /// Runs `input` fed in blocks of `blockSize` bytes, with `holdLimit`.
  static func run(
    _ input: [UInt8], _ invocation: Invocation, blockSize: Int, holdLimit: Int = 16 << 20
  ) -> Outcome {
    var runner = Runner(invocation: invocation, readFile: { _ in nil })
    runner.holdLimit = holdLimit
    return MirrorProperties.runInBlocks(input, runner: runner, blockSize: blockSize)
  }

  static let mapping = Invocation(
    hostPairs: ["example.com=mirror.example.net", "example.org=mirror.example.net"],
    verbose: true)

  static let fixtures: [URL] = Fixtures.files(
    under: Fixtures.directory(of: #filePath).appendingPathComponent("Fixtures"),
    suffixes: [".yaml"])

  @Test(
    "block size and hold limit change nothing for fixtures and the corpus",
    arguments: [7, 64, 4096])
  func blockSizeIndependence(blockSize: Int) throws {
    let corpus = try Corpus.requireManifests()
    var streamed = 0
    for file in Self.fixtures + corpus {
      let input = try #require(Fixtures.bytes(at: file))
      let whole = Runner(invocation: Self.mapping, readFile: { _ in nil }).run(input: input)
      for holdLimit in [0, 16 << 20] {
        let pieces = Self.run(input, Self.mapping, blockSize: blockSize, holdLimit: holdLimit)
        #expect(pieces.status == whole.status, "\(file.path)")
        if whole.status == .success {
          #expect(
            pieces.stdout == whole.stdout,
            "\(file.path): \(ByteDiff.describe(expected: whole.stdout, actual: pieces.stdout) ?? "")"
          )
          #expect(pieces.stderr == whole.stderr, "\(file.path)")
        } else if holdLimit > 0 {
          // All or nothing below the hold limit: the same bytes (none in
          // filter mode, a ResourceList with error results in KRM mode).
          #expect(pieces.stdout == whole.stdout, "\(file.path)")
        }
      }
      if input.count > blockSize, input.contains(0x0A) { streamed += 1 }
    }
    #expect(streamed > 50)
  }

  static let threeDocuments = Array(
    """
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: one}
    spec:
      rules:
      - host: a.example.com
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: two
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: three
      labels: {broken: [}

    """.utf8)

  @Test("concatenated JSON objects: each a document, an error placed in the whole input")
  func concatenatedObjects() throws {
    let good = Array(
      "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"a\"}}{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"Ingress\",\n \"metadata\": {\"name\": \"b\"}, \"spec\": {\"rules\": [{\"host\": \"b.example.com\"}]}}\n"
        .utf8)
    let bad = good + Array("{\"kind\": \"ConfigMap\",\n \"data\": [}\n".utf8)
    for blockSize in [5, 64, 1 << 20] {
      let once = Self.run(good, Self.mapping, blockSize: blockSize)
      #expect(once.status == .success, "\(once.stderr)")
      #expect(
        String(decoding: once.stdout, as: UTF8.self).contains("\"host\": \"b.mirror.example.net\""))
      let twice = Self.run(once.stdout, Self.mapping, blockSize: blockSize)
      #expect(twice.stdout == once.stdout)
      let failed = Self.run(bad, Self.mapping, blockSize: blockSize)
      #expect(failed.status == .failure)
      #expect(failed.stdout.isEmpty)
      #expect(failed.stderr.hasPrefix("stdin:4:"), "\(failed.stderr)")
    }
  }

  @Test("a parse error in a later part has its whole-input position; held output is not written")
  func laterPartErrorHeld() throws {
    let whole = Runner(invocation: Self.mapping, readFile: { _ in nil }).run(
      input: Self.threeDocuments)
    let pieces = Self.run(Self.threeDocuments, Self.mapping, blockSize: 16)
    #expect(whole.status == .failure)
    #expect(pieces.status == .failure)
    #expect(pieces.stdout.isEmpty)
    #expect(whole.stderr.hasPrefix("stdin:17:"), "\(whole.stderr)")
    #expect(pieces.stderr == whole.stderr)
  }

  @Test("past the hold limit, the parts before an error are written, whole, and the run fails")
  func laterPartErrorStreaming() throws {
    let pieces = Self.run(Self.threeDocuments, Self.mapping, blockSize: 16, holdLimit: 0)
    #expect(pieces.status == .failure)
    let text = String(decoding: pieces.stdout, as: UTF8.self)
    #expect(text.hasPrefix("apiVersion: networking.k8s.io/v1"))
    #expect(text.contains("host: a.mirror.example.net"))
    #expect(text.hasSuffix("  name: two\n"), "\(text)")
    #expect(pieces.stderr.contains("stdin:17:"), "\(pieces.stderr)")
  }
}

/// All or nothing below the hold limit, on a stream large enough for the
/// held output to be reserved in one block (past 1 MiB), which must not be
/// mistaken for reaching the limit.
struct HoldLimitTests {
  /// About `size` bytes of Ingress documents, each with a rewritten host,
  /// then one document with a syntax error.
  static func streamEndingInError(size: Int) -> [UInt8] {
    var text = ""
    var index = 0
    while text.utf8.count < size {
      text += """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web-\(index)
        spec:
          rules:
          - host: web-\(index).example.com

        ---

        """
      index += 1
    }
    text += "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n  labels: {broken: [}\n"
    return Array(text.utf8)
  }

  @Test("a 3 MiB stream under the 16 MiB hold limit ending in a syntax error writes nothing")
  func lateErrorBelowHoldLimit() throws {
    let input = Self.streamEndingInError(size: 3 << 20)
    let pieces = StreamingTests.run(input, StreamingTests.mapping, blockSize: 64 << 10)
    #expect(pieces.status == .failure)
    #expect(pieces.stdout.isEmpty, "\(pieces.stdout.count) bytes written before the error")
    #expect(pieces.stderr.hasPrefix("stdin:"), "\(pieces.stderr.prefix(200))")
  }
}
