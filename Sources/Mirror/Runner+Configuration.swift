import KRM
import YAMLSplice

/// The configuration flags and files describe.
extension Runner {
  /// The configuration the flags describe, or nil when they describe none.
  ///
  /// Flags are spelled like the ConfigMap form's keys, so they are decoded
  /// by building that ConfigMap: one set of rules for both.
  func configFromCommandLine() throws(Failure) -> MirrorConfig? {
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
  func configFromFlags(_ data: [(String, String)]) throws(Failure) -> MirrorConfig {
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

  func configFromFile(_ path: String, requireMirrorKind: Bool) throws(Failure)
    -> MirrorConfig
  {
    // What a positional argument is for, for a user who took it for the
    // manifests (`krm-mirror rendered.yaml`) or a command (`krm-mirror
    // version`).
    let positionalHint =
      requireMirrorKind
      ? "\nkrm-mirror: the argument is the configuration file kustomize passes to a legacy exec plugin; manifests come on stdin: krm-mirror --from A --to B < \(path) (see krm-mirror --help)"
      : ""
    let bytes: [UInt8]
    switch readFileOrFail(path) {
    case .success(let read): bytes = read
    case .failure(let failure):
      throw Failure(
        message: "krm-mirror: cannot read \(path): \(failure.reason)" + positionalHint,
        status: .usage)
    }
    let documents: [Document]
    do {
      documents = try StreamParser.parse(bytes)
    } catch {
      throw Failure(
        message: error.rendered(name: path, source: bytes) + positionalHint, status: .failure)
    }
    guard documents.count == 1, let document = documents.first else {
      let kinds = documents.compactMap { ResourceItem(document: $0, node: $0.root).kind }
      let found =
        kinds.isEmpty ? "" : " (\(Set(kinds).sorted().prefix(3).joined(separator: ", ")), …)"
      throw Failure(
        message:
          "\(path): error: expected one configuration document, found \(documents.count)\(found)"
          + positionalHint,
        status: .failure)
    }
    if requireMirrorKind && !ConfigDecoder.isMirrorConfig(document, document.root) {
      let kind = ResourceItem(document: document, node: document.root).kind.map { " (kind \($0))" }
      throw Failure(
        message:
          "krm-mirror: \(path)\(kind ?? "") is not a krm-mirror configuration (apiVersion \(ConfigDecoder.apiVersion))"
          + positionalHint,
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
}

extension String {
  /// The string with `prefix` replaced by `replacement` when it starts with it.
  func replacingPrefix(_ prefix: String, with replacement: String) -> String {
    hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
  }
}
