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
    guard let config = commandLineConfig, !config.hosts.isEmpty else {
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
      let pass = process(list.items.map { ResourceItem(document: list.document, node: $0) }, config)
      edits = pass.edits
      results += pass.results
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
    let (edits, results) = process(
      documents.map { ResourceItem(document: $0, node: $0.root) }, config)
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
    var processed = 0
    var changed = 0
    var rewritten = 0
    var leftovers = 0
    for item in items {
      let outcome = function.process(item)
      edits += outcome.edits
      results += outcome.results
      rewritten += outcome.rewrites.count
      if outcome.processed { processed += 1 }
      if outcome.changed { changed += 1 }
      leftovers += outcome.leftovers
    }
    let mappings = config.hosts.map(\.pair).joined(separator: ", ")
    var parts: [String] = []
    if config.steps.contains(.replaceHosts) {
      parts.append(
        rewritten == 0
          ? "no host matched"
          : "rewrote \(rewritten) host field\(rewritten == 1 ? "" : "s")")
    }
    parts.append("changed \(changed) of \(processed) resource\(processed == 1 ? "" : "s")")
    if config.steps.contains(.checkLeaks) && config.leaks != .ignore {
      parts.append("\(leftovers) leftover\(leftovers == 1 ? "" : "s")")
    }
    results.append(
      KRMResult(message: parts.joined(separator: "; ") + " (\(mappings))", severity: .info))
    return (edits, results)
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

extension String {
  /// The string with `prefix` replaced by `replacement` when it starts with it.
  func replacingPrefix(_ prefix: String, with replacement: String) -> String {
    hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
  }
}
