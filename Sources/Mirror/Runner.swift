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
  /// Reads a file's bytes, or nil when it cannot be read.
  public let readFile: (String) -> [UInt8]?

  /// Creates a runner.
  public init(invocation: Invocation, readFile: @escaping (String) -> [UInt8]?) {
    self.invocation = invocation
    self.readFile = readFile
  }

  /// A usage problem: message for stderr, exit 2, or a configuration file
  /// problem: exit 1.
  struct Failure: Error {
    var message: String
    var status: Outcome.Status
  }

  /// Output held back before a stream run starts writing as it goes (see
  /// ``StreamPass``): runs whose output stays below it are all or nothing.
  public var holdLimit = 16 << 20

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
    let counted = RunIO(
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

  // MARK: - KRM function mode

  /// Processes a ResourceList and writes it with results: messages first,
  /// then the list, spliced straight to the output.
  private func runResourceList(
    _ list: ResourceList, input: [UInt8], commandLineConfig: MirrorConfig?, io: RunIO
  ) -> Outcome.Status {
    var results: [KRMResult] = []
    var config: MirrorConfig?
    if let node = list.functionConfig {
      var decoder = ConfigDecoder(document: list.document)
      do {
        let decoded = try decoder.decode(node)
        if decoded != nil && commandLineConfig != nil {
          results.append(
            KRMResult(
              message:
                "configuration given twice: by functionConfig and on the command line; use one",
              severity: .error))
        }
        config = commandLineConfig ?? decoded
      } catch {
        let item = ResourceItem(document: list.document, node: node)
        results += error.errors.map { problem in
          KRMResult(
            message: problem.messageWithLine, severity: .error, resourceRef: item.resourceRef,
            field: .init(path: problem.field))
        }
      }
    } else {
      config = commandLineConfig
    }
    if config == nil && results.isEmpty {
      results.append(
        KRMResult(
          message:
            "no hosts configured: give a functionConfig (krm-mirror.dev/v1alpha1 Mirror, or a ConfigMap with from and to; kpt: -- from=A to=B)",
          severity: .error))
    }
    if list.hasMalformedItems {
      results.append(
        KRMResult(message: "items must be a sequence of resources", severity: .error))
    }
    var edits: [Edit] = []
    if let config, results.isEmpty {
      let pass = process(list.items.map { ResourceItem(document: list.document, node: $0) }, config)
      edits = pass.edits
      results += pass.results
    }
    return writeList(list, input: input, edits: edits, results: results, io: io)
  }

  /// The kpt layout, item by item: `functionConfig` is read first from its
  /// region (``ResourceList/functionConfigRegion(in:)``), then each item is
  /// processed as soon as it is parsed and its table dropped, so memory
  /// holds one item's table, not the list's. Nil when the layout is
  /// different, the configuration does not decode, or the full parse
  /// disagrees with the guess (then the general path runs, from scratch).
  private func runResourceListByItem(_ input: [UInt8], io: RunIO) -> Outcome.Status? {
    guard let region = ResourceList.functionConfigRegion(in: input),
      let regionDocument = try? StreamParser.parse(Array(input[region])).first,
      regionDocument.kind(of: regionDocument.root) == .mapping,
      let configNode = regionDocument.value("functionConfig", in: regionDocument.root)
    else { return nil }
    var regionDecoder = ConfigDecoder(document: regionDocument)
    guard let config = try? regionDecoder.decode(configNode), !config.hosts.isEmpty
    else { return nil }
    let function = MirrorFunction(config: config)
    var edits: [Edit] = []
    var results: [KRMResult] = []
    var tally = RunTally()
    var itemCount = 0
    var documents: [Document] = []
    do {
      try StreamParser.forEachDocument(
        in: input, detachingItemsOf: "items",
        item: { item in
          itemCount += 1
          let outcome = function.process(ResourceItem(document: item, node: item.root))
          edits += outcome.edits
          results += outcome.results
          tally.add(outcome)
        },
        document: { documents.append($0) })
    } catch {
      return nil
    }
    // The guess holds only if the real parse reads the same configuration
    // from a single ResourceList whose items were all detached.
    guard documents.count == 1, let list = ResourceList(documents[0]), !list.hasMalformedItems,
      list.items.count == itemCount, let listConfig = list.functionConfig
    else { return nil }
    var listDecoder = ConfigDecoder(document: list.document)
    guard let confirmed = try? listDecoder.decode(listConfig), confirmed == config else {
      return nil
    }
    results.append(tally.summary(config))
    return writeList(list, input: input, edits: edits, results: results, io: io)
  }

  /// Writes the list with `edits` and its `results`: messages first (when a
  /// result is an error), then the list, spliced straight to the output.
  private func writeList(
    _ list: ResourceList, input: [UInt8], edits: [Edit], results: [KRMResult], io: RunIO
  ) -> Outcome.Status {
    var edits = edits
    edits.append(list.resultsEdit(results))
    let failed = results.contains { $0.severity == .error }
    let ordered: [Edit]
    do {
      ordered = try Splicer.order(edits, within: 0..<input.count)
    } catch {
      io.report(
        "krm-mirror: internal error: overlapping edits at bytes \(error.first.lowerBound) and \(error.second.lowerBound); nothing written\n"
      )
      return .failure
    }
    if failed { io.report(stderrLines(results, minimum: .warning)) }
    var output = BufferedOutput(write: io.write)
    Splicer.emit(input, range: 0..<input.count, ordered: ordered) { output.append($0) }
    guard output.flush() else {
      io.report("krm-mirror: cannot write stdout\n")
      return .failure
    }
    return failed ? .failure : .success
  }

  // MARK: - Filter and legacy plugin mode

  private func streamPass(_ config: MirrorConfig) -> StreamPass {
    StreamPass(
      config: config, minimum: invocation.verbose ? .info : .warning, holdLimit: holdLimit)
  }

  /// Processes a stream part by part: `input` holds the first bytes read,
  /// with a document boundary at `firstCut` that `cutter` found.
  private func runStream(
    _ first: [UInt8], firstCut: Int, cutter: DocumentCutter, config: MirrorConfig, io: RunIO
  ) -> Outcome.Status {
    var pass = streamPass(config)
    var input = first
    var cutter = cutter
    var cut: Int? = firstCut
    var status = RunIO.ReadStatus.more
    while true {
      if let cut, status == .more {
        let part = Array(input[..<cut])
        input.removeFirst(cut)
        cutter.removeFirst(cut)
        if let stopped = pass.add(part, io: io) { return stopped }
      }
      if status == .end {
        if !input.isEmpty, let stopped = pass.add(input, io: io) { return stopped }
        return pass.finish(io: io)
      }
      status = io.read(&input)
      if status == .failed {
        io.report("krm-mirror: cannot read stdin\n")
        return .failure
      }
      cut = input.withUnsafeBufferPointer { cutter.lastCut(in: $0) }
    }
  }

  // MARK: - Configuration from the command line

  /// The configuration the flags describe, or nil when they describe none.
  ///
  /// Flags are spelled like the ConfigMap form's keys, so they are decoded
  /// by building that ConfigMap: one set of rules for both.
  private func configFromCommandLine() throws(Failure) -> MirrorConfig? {
    var data: [(String, String)] = []
    switch (invocation.from, invocation.to) {
    case (let from?, let to?):
      data += [("from", from), ("to", to)]
    case (.some, nil):
      throw Failure(message: "krm-mirror: --from needs --to", status: .usage)
    case (nil, .some):
      throw Failure(message: "krm-mirror: --to needs --from", status: .usage)
    case (nil, nil):
      break
    }
    for pair in invocation.hostPairs where pair.split(separator: "=").count != 2 {
      throw Failure(
        message: "krm-mirror: --host expects FROM=TO, got \"\(pair)\"", status: .usage)
    }
    if !invocation.hostPairs.isEmpty {
      data.append(("hosts", invocation.hostPairs.joined(separator: ",")))
    }
    let tagFlags = ["tag-annotation", "tag-label"]
    let tags = invocation.settings.filter { tagFlags.contains($0.0) }
    data += invocation.settings.filter { !tagFlags.contains($0.0) }
    let files = [invocation.configFile, invocation.pluginConfigFile].compactMap { $0 }
    if files.count > 1 {
      throw Failure(
        message: "krm-mirror: give one configuration file, not --config and a file argument",
        status: .usage)
    }
    if let path = files.first {
      guard data.isEmpty && tags.isEmpty else {
        throw Failure(
          message: "krm-mirror: give settings either by flags or in \(path), not both",
          status: .usage)
      }
      return try configFromFile(path, requireMirrorKind: invocation.pluginConfigFile != nil)
    }
    if data.isEmpty && tags.isEmpty { return nil }
    var config = try configFromFlags(data)
    for (flag, pair) in tags {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, KubernetesName.isValidKey(String(parts[0])),
        flag == "tag-annotation" || KubernetesName.isValidLabelValue(String(parts[1]))
      else {
        throw Failure(
          message: "krm-mirror: --\(flag) expects KEY=VALUE, got \"\(pair)\"", status: .usage)
      }
      if flag == "tag-annotation" {
        config.tagAnnotations.append((String(parts[0]), String(parts[1])))
      } else {
        config.tagLabels.append((String(parts[0]), String(parts[1])))
      }
    }
    return config
  }

  /// Decodes flag settings through the ConfigMap form; problems name the flag.
  private func configFromFlags(_ data: [(String, String)]) throws(Failure) -> MirrorConfig {
    var yaml = Array("kind: ConfigMap\ndata:\n".utf8)
    for (key, value) in data {
      yaml += Array("  ".utf8) + ScalarWriter.doubleQuoted(Array(key.utf8)) + Array(": ".utf8)
      yaml += ScalarWriter.doubleQuoted(Array(value.utf8)) + [0x0A]
    }
    guard let document = try? StreamParser.parse(yaml).first else {
      throw Failure(message: "krm-mirror: cannot read the flags", status: .usage)
    }
    var decoder = ConfigDecoder(document: document)
    do throws(ConfigErrors) {
      if let config = try decoder.decode(document.root) { return config }
      throw ConfigErrors([ConfigError(field: "data", message: "no hosts configured")])
    } catch {
      let lines = error.errors.map { problem in
        let flag = problem.field.replacingPrefix("data.hosts", with: "--host")
          .replacingPrefix("data.", with: "--")
        return "krm-mirror: \(flag == "data" ? "flags" : flag): \(problem.message)"
      }
      throw Failure(message: lines.joined(separator: "\n"), status: .usage)
    }
  }

  private func configFromFile(_ path: String, requireMirrorKind: Bool) throws(Failure)
    -> MirrorConfig
  {
    guard let bytes = readFile(path) else {
      throw Failure(message: "krm-mirror: cannot read \(path)", status: .usage)
    }
    let documents: [Document]
    do {
      documents = try StreamParser.parse(bytes)
    } catch {
      throw Failure(message: error.rendered(name: path, source: bytes), status: .failure)
    }
    guard documents.count == 1, let document = documents.first else {
      throw Failure(
        message: "\(path): error: expected one configuration document, found \(documents.count)",
        status: .failure)
    }
    if requireMirrorKind && !ConfigDecoder.isMirrorConfig(document, document.root) {
      throw Failure(
        message:
          "krm-mirror: \(path) is not a krm-mirror configuration (apiVersion \(ConfigDecoder.apiVersion))",
        status: .usage)
    }
    var decoder = ConfigDecoder(document: document)
    do throws(ConfigErrors) {
      guard let config = try decoder.decode(document.root) else {
        throw ConfigErrors([ConfigError(field: "data", message: "no hosts configured")])
      }
      return config
    } catch {
      let lines = error.errors.map { problem in
        "\(path):\(problem.line.map(String.init) ?? "1"): error: \(problem.field): \(problem.message)"
      }
      throw Failure(message: lines.joined(separator: "\n"), status: .failure)
    }
  }

  // MARK: - Reporting

  /// Runs the function over `items`: their edits, their results and a
  /// summary result.
  private func process(_ items: [ResourceItem], _ config: MirrorConfig) -> (
    edits: [Edit], results: [KRMResult]
  ) {
    let function = MirrorFunction(config: config)
    var edits: [Edit] = []
    var results: [KRMResult] = []
    var tally = RunTally()
    for item in items {
      let outcome = function.process(item)
      edits += outcome.edits
      results += outcome.results
      tally.add(outcome)
    }
    results.append(tally.summary(config))
    return (edits, results)
  }

  private func stderrLines(_ results: [KRMResult], minimum: KRMResult.Severity) -> String {
    results.filter { $0.severity >= minimum }.map { "krm-mirror: " + $0.line + "\n" }.joined()
  }

}

extension String {
  /// The string with `prefix` replaced by `replacement` when it starts with it.
  func replacingPrefix(_ prefix: String, with replacement: String) -> String {
    hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
  }
}
