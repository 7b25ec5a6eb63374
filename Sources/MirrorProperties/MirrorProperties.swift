import KRM
public import Mirror
import YAMLSplice

/// The properties every run must have, checked on any input under any
/// configuration: by the fuzzer (`fuzz/FuzzEntry.swift`, which draws the
/// configuration from the input, see ``DrawnConfiguration``) and by the
/// property tests. Not part of the shipped binary.
public enum MirrorProperties {
  /// Groups of properties, so that a caller can leave out the ones that
  /// still fail on known defects.
  public struct Checks: OptionSet, Sendable {
    /// The raw bits.
    public let rawValue: UInt8
    /// Creates checks from bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Malformed input and refused configurations fail cleanly, exit 0
    /// never comes with empty output, output parses, block reading and the
    /// item-by-item and in-parts paths agree with the general one, a
    /// mapping that matches nothing changes nothing.
    public static let basics = Checks(rawValue: 1)
    /// A second run over the output changes nothing.
    public static let idempotence = Checks(rawValue: 2)
    /// JSON in, JSON out.
    public static let jsonSyntax = Checks(rawValue: 4)
    /// No selector, `matchLabels`, `matchExpressions` or pod-template
    /// label changes unless a source host is in it (resolved trees).
    public static let selectors = Checks(rawValue: 8)
    /// No reference in the output names a Secret the run renamed.
    public static let secretReferences = Checks(rawValue: 16)
    /// Every property.
    public static let all: Checks = [
      .basics, .idempotence, .jsonSyntax, .selectors, .secretReferences,
    ]
  }

  /// The first property a fuzz input breaks, or nil: the configuration is
  /// drawn from the input (see ``DrawnConfiguration/split(_:)``).
  public static func violation(inFuzzInput input: [UInt8], checks: Checks = .all) -> String? {
    let (payload, drawing) = DrawnConfiguration.split(input)
    return violation(
      in: payload, configuration: DrawnConfiguration(drawingFrom: drawing), checks: checks)
  }

  /// The first property `input` breaks when krm-mirror runs as
  /// `configuration` says, or nil:
  /// - a configuration the product refuses fails cleanly: in filter mode
  ///   a message and a non-zero exit, in plugin mode an error positioned
  ///   in the configuration file and exit 1, both with nothing on stdout;
  ///   in KRM mode exit 1 with a ResourceList carrying the results;
  /// - input that does not parse fails with a positioned error, exit 1 and
  ///   nothing on stdout;
  /// - exit 0 never comes with empty output for non-empty input;
  /// - successful output parses, and is JSON when the input was;
  /// - a second run over the output changes nothing (for a ResourceList,
  ///   nothing but `results`);
  /// - with a mapping that matches nothing the output is the input;
  /// - input read in small blocks (a stream processed part by part) gives
  ///   the same result as input read whole;
  /// - a ResourceList processed item by item, or cut in parts processed
  ///   on two threads, gives the same bytes as the general path;
  /// - no selector or pod-template label changes unless a source host is
  ///   in it, and no reference names a Secret the run renamed (compared on
  ///   resolved trees: aliases and merge keys expanded).
  public static func violation(
    in input: [UInt8], configuration: DrawnConfiguration, checks: Checks = .all
  ) -> String? {
    let run = PreparedRun(input: input, configuration: configuration)
    switch run.refusal() {
    case .accepted: break
    case .clean: return nil
    case .broken(let problem): return checks.contains(.basics) ? problem : nil
    }
    let first = run.runner.run(input: run.input)
    return violation(
      in: run.input, runner: run.runner, first: first, mode: configuration.mode, checks: checks)
      ?? meaningViolation(run: run, outcome: first, checks: checks)
  }

  /// The configuration-independent properties of one run, whose outcome
  /// over `input` is `first`.
  static func violation(
    in input: [UInt8], runner: Runner, first: Outcome, mode: DrawnConfiguration.Mode,
    checks: Checks
  ) -> String? {
    // Concatenated JSON objects are a stream of documents where a
    // configuration comes with the run (filter and plugin modes); a KRM
    // input must be a single document (a ResourceList).
    let parse: ([UInt8]) -> [Document]? =
      mode == .krm
      ? { try? StreamParser.parse($0) } : { try? ConcatenatedJSON.parseDocuments($0) }
    let parsed = parse(input)
    let isList = parsed.map { $0.count == 1 && ResourceList($0[0]) != nil } ?? false
    if checks.contains(.basics) {
      if let problem = pathViolation(input, parsed: parsed, runner: runner, first: first) {
        return problem
      }
      guard parsed != nil else {
        if first.status != .failure || !first.stdout.isEmpty || !first.stderr.hasPrefix("stdin:") {
          return "malformed input must fail with a positioned error and no output"
        }
        return nil
      }
      if first.status == .success && first.stdout.isEmpty && !input.isEmpty {
        return "empty output with exit 0 for non-empty input"
      }
    }
    guard parsed != nil else { return nil }
    if first.status == .success {
      guard let output = parse(first.stdout) else {
        return checks.contains(.basics) ? "output does not parse" : nil
      }
      if checks.contains(.jsonSyntax), StrictJSON.isValueSequence(input) == true,
        StrictJSON.isValueSequence(first.stdout) == false
      {
        return "JSON input gave output that is not JSON"
      }
      if checks.contains(.idempotence) {
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
    }
    if checks.contains(.basics) && mode == .filter {
      let identity = Runner(
        invocation: Invocation(from: "no-such-host.invalid", to: "mirror.invalid"),
        readFile: { _ in nil }
      ).run(input: input)
      if !isList && identity.status == .success && identity.stdout != input && !input.isEmpty {
        return "a mapping that matches nothing changed the input"
      }
    }
    return nil
  }

  /// Block reading, the item-by-item path and the in-parts path against
  /// the general one.
  static func pathViolation(
    _ input: [UInt8], parsed: [Document]?, runner: Runner, first: Outcome
  ) -> String? {
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
