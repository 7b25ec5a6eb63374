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

  /// Processes `input` and returns what to write. Cost: one parse of the
  /// input plus the edits; the output is one copy of the input with edits.
  public func run(input: [UInt8]) -> Outcome {
    let commandLineConfig: MirrorConfig?
    do {
      commandLineConfig = try configFromCommandLine()
    } catch {
      return Outcome(stdout: [], stderr: error.message + "\n", status: error.status)
    }
    let documents: [Document]
    do {
      documents = try StreamParser.parse(input)
    } catch {
      return Outcome(
        stdout: [], stderr: error.rendered(name: "stdin", source: input) + "\n", status: .failure)
    }
    if invocation.pluginConfigFile == nil, documents.count == 1,
      let list = ResourceList(documents[0])
    {
      return runResourceList(list, input: input, commandLineConfig: commandLineConfig)
    }
    guard let config = commandLineConfig else {
      return Outcome(
        stdout: [],
        stderr:
          "krm-mirror: no hosts configured: give --from and --to, --host FROM=TO or --config FILE, or pipe a ResourceList with a functionConfig\n",
        status: .usage)
    }
    return runStream(documents, input: input, config: config)
  }

  // MARK: - KRM function mode

  private func runResourceList(
    _ list: ResourceList, input: [UInt8], commandLineConfig: MirrorConfig?
  ) -> Outcome {
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
      let function = MirrorFunction(config: config)
      var rewritten = 0
      var changed = 0
      for node in list.items {
        let outcome = function.process(ResourceItem(document: list.document, node: node))
        edits += outcome.edits
        results += outcome.results
        rewritten += outcome.rewrites.count
        if !outcome.rewrites.isEmpty { changed += 1 }
      }
      results.append(summary(config: config, rewritten: rewritten, changed: changed))
    }
    edits.append(list.resultsEdit(results))
    let failed = results.contains { $0.severity == .error }
    do {
      let output = try Splicer.apply(edits, to: input)
      return Outcome(
        stdout: output, stderr: failed ? stderrLines(results, minimum: .warning) : "",
        status: failed ? .failure : .success)
    } catch {
      return internalError(error)
    }
  }

  // MARK: - Filter and legacy plugin mode

  private func runStream(_ documents: [Document], input: [UInt8], config: MirrorConfig)
    -> Outcome
  {
    let function = MirrorFunction(config: config)
    var edits: [Edit] = []
    var results: [KRMResult] = []
    var rewritten = 0
    var changed = 0
    for document in documents {
      let outcome = function.process(ResourceItem(document: document, node: document.root))
      edits += outcome.edits
      results += outcome.results
      rewritten += outcome.rewrites.count
      if !outcome.rewrites.isEmpty { changed += 1 }
    }
    results.append(summary(config: config, rewritten: rewritten, changed: changed))
    let failed = results.contains { $0.severity == .error }
    do {
      let output = try Splicer.apply(edits, to: input)
      let stderr = stderrLines(results, minimum: invocation.verbose ? .info : .warning)
      return Outcome(
        stdout: failed ? [] : output, stderr: stderr, status: failed ? .failure : .success)
    } catch {
      return internalError(error)
    }
  }

  // MARK: - Configuration from the command line

  private func configFromCommandLine() throws(Failure) -> MirrorConfig? {
    var hosts: [HostMapping] = []
    switch (invocation.from, invocation.to) {
    case (let from?, let to?):
      hosts.append(try flagMapping(from: from, to: to, flag: "--from/--to"))
    case (.some, nil):
      throw Failure(message: "krm-mirror: --from needs --to", status: .usage)
    case (nil, .some):
      throw Failure(message: "krm-mirror: --to needs --from", status: .usage)
    case (nil, nil):
      break
    }
    for pair in invocation.hostPairs {
      let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
      guard parts.count == 2 else {
        throw Failure(
          message: "krm-mirror: --host expects FROM=TO, got \"\(pair)\"", status: .usage)
      }
      hosts.append(try flagMapping(from: String(parts[0]), to: String(parts[1]), flag: "--host"))
    }
    let files = [invocation.configFile, invocation.pluginConfigFile].compactMap { $0 }
    if files.count > 1 {
      throw Failure(
        message: "krm-mirror: give one configuration file, not --config and a file argument",
        status: .usage)
    }
    if let path = files.first {
      guard hosts.isEmpty else {
        throw Failure(
          message: "krm-mirror: give hosts either by flags or in \(path), not both",
          status: .usage)
      }
      return try configFromFile(path, requireMirrorKind: invocation.pluginConfigFile != nil)
    }
    return hosts.isEmpty ? nil : MirrorConfig(hosts: hosts)
  }

  private func flagMapping(from: String, to: String, flag: String) throws(Failure) -> HostMapping {
    do {
      return try HostMapping(from: from, to: to)
    } catch {
      throw Failure(message: "krm-mirror: \(flag): \(error.message)", status: .usage)
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

  private func summary(config: MirrorConfig, rewritten: Int, changed: Int) -> KRMResult {
    let mappings = config.hosts.map(\.pair).joined(separator: ", ")
    let message =
      rewritten == 0
      ? "no host matched (\(mappings))"
      : "rewrote \(rewritten) host field\(rewritten == 1 ? "" : "s") in \(changed) resource\(changed == 1 ? "" : "s") (\(mappings))"
    return KRMResult(message: message, severity: .info)
  }

  private func stderrLines(_ results: [KRMResult], minimum: KRMResult.Severity) -> String {
    results.filter { $0.severity >= minimum }.map { "krm-mirror: " + $0.line + "\n" }.joined()
  }

  private func internalError(_ error: EditConflict) -> Outcome {
    Outcome(
      stdout: [],
      stderr:
        "krm-mirror: internal error: overlapping edits at bytes \(error.first) and \(error.second); nothing written\n",
      status: .failure)
  }
}
