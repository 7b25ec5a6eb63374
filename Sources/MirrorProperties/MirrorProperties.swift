import KRM
public import Mirror
import YAMLSplice

/// The properties every run must have, checked on any input: by the fuzzer
/// (`fuzz/FuzzEntry.swift`) and by the property tests. Not part of the
/// shipped binary.
public enum MirrorProperties {
  /// The configurations inputs are checked with: a plain mapping; several
  /// mappings (one a parent of its own `to`) with text mode, secret renaming
  /// and a cluster issuer; and none (so only ResourceLists carrying their
  /// own `functionConfig` get past configuration).
  public static let invocations = [
    Invocation(from: "staging.mycompany.com", to: "mirror.mycompany.com"),
    Invocation(
      hostPairs: ["mycompany.com=mirror.mycompany.com", "example.org=mirror.example.net"],
      settings: [("text", "true"), ("secret-names", "rename"), ("cluster-issuer", "le-staging")]),
    Invocation(),
  ]

  /// The first property `input` breaks under `invocation`, or nil:
  /// - input that does not parse fails with a positioned error, exit 1 and
  ///   nothing on stdout;
  /// - exit 0 never comes with empty output for non-empty input;
  /// - successful output parses;
  /// - a second run over the output changes nothing (for a ResourceList,
  ///   nothing but `results`);
  /// - bytes outside the edits are the input's (checked through the
  ///   no-match identity below and the golden tests);
  /// - with a mapping that matches nothing the output is the input;
  /// - input read in small blocks (a stream processed part by part) gives
  ///   the same result as input read whole;
  /// - a ResourceList processed item by item, or cut in parts processed
  ///   on two threads, gives the same bytes as the general path.
  public static func violation(in input: [UInt8], invocation: Invocation) -> String? {
    // Concatenated JSON objects are a stream of documents when a
    // configuration comes with the run (filter and plugin modes); without
    // one the input must be a single document (a ResourceList).
    let configured =
      invocation.from != nil || invocation.to != nil || !invocation.hostPairs.isEmpty
      || invocation.configFile != nil || invocation.pluginConfigFile != nil
      || !invocation.settings.isEmpty
    let parsed =
      configured
      ? try? ConcatenatedJSON.parseDocuments(input) : try? StreamParser.parse(input)
    let runner = Runner(invocation: invocation, readFile: { _ in nil })
    let first = runner.run(input: input)
    // Block reading can only differ where the stream can be cut, and the
    // item-by-item path only runs for a ResourceList: the other checks
    // would compare a path with itself.
    var cutter = DocumentCutter()
    if input.withUnsafeBufferPointer({ cutter.lastCut(in: $0) }) != nil {
      let pieces = runInBlocks(input, runner: runner, blockSize: 7)
      if pieces.status != first.status || pieces.stdout != first.stdout
        || (first.status == .success && pieces.stderr != first.stderr)
      {
        return "reading the input in blocks changed the outcome"
      }
    }
    if let documents = parsed, documents.count == 1, ResourceList(documents[0]) != nil {
      var general = runner
      general.processesItemByItem = false
      if general.run(input: input) != first {
        return "item by item and the general path differ"
      }
      if Runner.mayCutInParts(input) {
        var inParts = runner
        inParts.partsThreshold = 0
        // Two to eight parts, depending on the input's length.
        inParts.listPartSize = max(1, input.count / (2 + input.count % 7))
        if inParts.run(input: input) != first {
          return "a list processed in parts and the general path differ"
        }
      }
    }
    guard let documents = parsed else {
      if first.status != .failure || !first.stdout.isEmpty || !first.stderr.hasPrefix("stdin:") {
        return "malformed input must fail with a positioned error and no output"
      }
      return nil
    }
    let isList = documents.count == 1 && ResourceList(documents[0]) != nil
    if first.status == .success && first.stdout.isEmpty && !input.isEmpty {
      return "empty output with exit 0 for non-empty input"
    }
    if first.status == .success {
      guard let output = try? ConcatenatedJSON.parseDocuments(first.stdout) else {
        return "output does not parse"
      }
      let second = runner.run(input: first.stdout)
      if second.status == .success {
        if isList {
          if items(output) != (try? StreamParser.parse(second.stdout)).flatMap(items) {
            return "second run changed the items"
          }
        } else if second.stdout != first.stdout {
          return "second run changed the output"
        }
      }
    }
    let identity = Runner(
      invocation: Invocation(from: "no-such-host.invalid", to: "mirror.invalid"),
      readFile: { _ in nil }
    ).run(input: input)
    if !isList && identity.status == .success && identity.stdout != input && !input.isEmpty {
      return "a mapping that matches nothing changed the input"
    }
    return nil
  }

  /// Runs `runner` over `input` fed in blocks of `blockSize` bytes.
  public static func runInBlocks(_ input: [UInt8], runner: Runner, blockSize: Int) -> Outcome {
    var offset = 0
    var stdout: [UInt8] = []
    var stderr = ""
    let status = runner.run(
      RunIO(
        read: { buffer in
          let end = min(input.count, offset + blockSize)
          buffer += input[offset..<end]
          offset = end
          return offset == input.count ? .end : .more
        },
        write: { bytes in
          stdout += bytes
          return true
        },
        report: { stderr += $0 }))
    return Outcome(stdout: stdout, stderr: stderr, status: status)
  }

  /// The bytes of a ResourceList's `items`, or nil.
  static func items(_ documents: [Document]) -> [UInt8]? {
    guard documents.count == 1, let list = ResourceList(documents[0]),
      let items = list.itemsNode
    else { return nil }
    return Array(list.document.source[list.document.span(of: items)])
  }
}
