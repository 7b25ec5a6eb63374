import KRM
import YAMLSplice

/// Runs krm-mirror over one input: detects the mode, finds the
/// configuration, applies the function and produces the output bytes.
///
/// Pure apart from `readFile`: no stdin, stdout or environment access, so
/// tests run it in-process. Output is produced only after the whole input
/// parsed and every edit was computed.
public struct Runner {
  /// The options from the command line.
  public let invocation: Invocation
  /// Reads a file's bytes, or says why it cannot.
  public let readFileOrFail: (String) -> Result<[UInt8], ReadFailure>

  /// Why a file could not be read (the system's words).
  public struct ReadFailure: Error, Sendable {
    /// `No such file or directory`, `is a directory`, …
    public var reason: String

    /// Creates a failure.
    public init(reason: String) { self.reason = reason }
  }

  /// Creates a runner whose file reads say why they fail.
  public init(
    invocation: Invocation, readFileOrFail: @escaping (String) -> Result<[UInt8], ReadFailure>
  ) {
    self.invocation = invocation
    self.readFileOrFail = readFileOrFail
  }

  /// Creates a runner whose file reads give bytes or nil (tests).
  public init(invocation: Invocation, readFile: @escaping (String) -> [UInt8]?) {
    self.init(
      invocation: invocation,
      readFileOrFail: { path in
        readFile(path).map { .success($0) } ?? .failure(ReadFailure(reason: "cannot be read"))
      })
  }

  /// Reads a file's bytes, or nil.
  func readFile(_ path: String) -> [UInt8]? { try? readFileOrFail(path).get() }

  /// A usage problem: message for stderr, exit 2, or a configuration file
  /// problem: exit 1.
  struct Failure: Error {
    var message: String
    var status: Outcome.Status
  }

  /// Output held back before a stream run starts writing as it goes (see
  /// ``StreamPass``): runs whose output stays below it are all or nothing.
  public var holdLimit = 16 << 20

  /// Input size from which a ResourceList in the kpt layout is parsed and
  /// processed in parts on two threads, and its results rendered on two
  /// (see ``runResourceListInParts(_:configRegion:config:function:io:)``
  /// and ``ResultsWriter``); nil on a machine with one processor. Tests and
  /// the fuzzer set 0 so that small lists take that path too.
  public var partsThreshold: Int? = BackgroundTask.processorCount > 1 ? 1 << 20 : nil

  /// About how large each part of such a list is (at least two parts, at
  /// most ``maximumListParts``). Tests and the fuzzer set a few bytes so
  /// that small lists are cut into many parts.
  public var listPartSize = 1 << 20

  /// Whether `input` is large enough to be worked on by two threads.
  func usesTwoThreads(for input: [UInt8]) -> Bool {
    partsThreshold.map { input.count >= $0 } ?? false
  }

  /// Whether a ResourceList in the kpt layout is processed item by item
  /// (see ``run(_:)``). Turned off only to check that both paths write the
  /// same bytes (tests, the fuzzer).
  public var processesItemByItem = true

  /// Processes `input` held in memory and returns what was written.
  /// Cost: as ``run(_:)``.
  public func run(input: [UInt8]) -> Outcome {
    var stdout: [UInt8] = []
    var stderr = ""
    let io = RunIO(
      read: { buffer in
        buffer += input
        return .end
      },
      write: { bytes in
        stdout += bytes
        return true
      },
      report: { stderr += $0 })
    let status = run(io)
    return Outcome(stdout: stdout, stderr: stderr, status: status)
  }

  /// Reads the input, processes it and writes the output; returns the exit
  /// status.
  ///
  /// A ResourceList is one document, so the input is read whole unless it
  /// continues past a document boundary (``DocumentCutter``) and flags or
  /// a configuration file configure the run: then it is a stream and is
  /// processed part by part as it arrives (``StreamPass``). Cost: one parse
  /// of the input plus the edits; a stream needs memory for one block of
  /// input and the held output, a ResourceList for its whole text.
  public func run(_ io: RunIO) -> Outcome.Status {
    var written = 0
    var read = 0
    var counted = RunIO(
      read: { buffer in
        let before = buffer.count
        defer { read += buffer.count - before }
        return io.read(&buffer)
      },
      write: { bytes in
        written += bytes.count
        return io.write(bytes)
      },
      report: io.report)
    counted.result = io.result
    let status = dispatch(counted)
    if status == .success && written == 0 && read > 0 {
      io.report("krm-mirror: internal error: empty output for non-empty input\n")
      return .failure
    }
    return status
  }

  private func dispatch(_ io: RunIO) -> Outcome.Status {
    let commandLineConfig: MirrorConfig?
    do {
      commandLineConfig = try configFromCommandLine()
    } catch {
      io.report(error.message + "\n")
      return error.status
    }
    var input: [UInt8] = []
    var status = io.read(&input)
    var cutter = DocumentCutter()
    while status == .more {
      if let config = commandLineConfig,
        let cut = input.withUnsafeBufferPointer({ cutter.lastCut(in: $0) })
      {
        return runStream(input, firstCut: cut, cutter: cutter, config: config, io: io)
      }
      status = io.read(&input)
    }
    if status == .failed {
      io.report("krm-mirror: cannot read stdin\n")
      return .failure
    }
    if let config = commandLineConfig, !config.hosts.isEmpty,
      ConcatenatedJSON.pieces(of: input) != nil
    {
      // Concatenated JSON objects: a stream whose documents libyaml can
      // read only one at a time.
      var pass = streamPass(config)
      if let stopped = pass.add(input, io: io) { return stopped }
      return pass.finish(io: io)
    }
    if processesItemByItem && commandLineConfig == nil && invocation.pluginConfigFile == nil,
      let status = runResourceListByItem(input, io: io)
    {
      return status
    }
    let documents: [Document]
    do {
      documents = try StreamParser.parse(input)
    } catch {
      io.report(error.rendered(name: "stdin", source: input) + "\n")
      return .failure
    }
    if invocation.pluginConfigFile == nil, documents.count == 1,
      let list = ResourceList(documents[0])
    {
      return runResourceList(list, input: input, commandLineConfig: commandLineConfig, io: io)
    }
    guard let config = commandLineConfig, !config.hosts.isEmpty else {
      io.report(
        "krm-mirror: no hosts configured: give --from and --to, --host FROM=TO or --config FILE, or pipe a ResourceList with a functionConfig\n"
      )
      return .usage
    }
    var pass = streamPass(config)
    if let stopped = pass.add(input, documents: documents, io: io) { return stopped }
    return pass.finish(io: io)
  }
}
