public import YAMLSplice

/// Decodes a krm-mirror configuration strictly: the typed kinds of
/// `krm-mirror.dev/v1alpha1`, or a `ConfigMap` (kpt's `-- key=value` form).
///
/// Every problem is collected with its field and line; an unknown field is
/// an error, never ignored.
public struct ConfigDecoder {
  /// The API group and version of the typed kinds.
  public static let apiVersion = "krm-mirror.dev/v1alpha1"
  /// The typed kinds this version decodes.
  public static let supportedKinds: Set<String> = ["Mirror", "ReplaceHosts"]
  /// Kinds of the contract that this version does not implement yet.
  public static let plannedKinds: Set<String> = ["SyncTLS", "TagMirror", "CheckHosts"]
  /// `Mirror.spec` fields of the contract that this version does not
  /// implement yet: rejected with a clear message rather than ignored.
  static let plannedSpecFields: Set<String> = [
    "tls", "text", "fields", "leaks", "selectors", "exclude",
  ]
  static let plannedTagFields: Set<String> = ["annotations", "labels", "scope"]
  static let plannedConfigMapKeys: Set<String> = [
    "leaks", "text", "cluster-issuer", "secret-names", "cover-rule-hosts", "tag-scope",
  ]

  let document: Document
  private(set) var errors: [ConfigError] = []

  /// Creates a decoder over a parsed configuration document.
  public init(document: Document) {
    self.document = document
  }

  /// Whether `node` looks like a krm-mirror configuration (its apiVersion is
  /// in the `krm-mirror.dev` group).
  public static func isMirrorConfig(_ document: Document, _ node: NodeID) -> Bool {
    guard document.kind(of: node) == .mapping,
      let apiVersion = document.string("apiVersion", in: node)
    else { return false }
    return apiVersion.hasPrefix("krm-mirror.dev/")
  }

  /// Decodes the configuration at `node`.
  ///
  /// Returns nil for "no configuration" (kpt's empty `function-input`
  /// ConfigMap); throws every problem found.
  public mutating func decode(_ node: NodeID) throws(ConfigErrors) -> MirrorConfig? {
    errors = []
    var config: MirrorConfig?
    guard document.kind(of: node) == .mapping else {
      throw ConfigErrors([error(node, "", "the configuration must be a mapping")])
    }
    let kind = document.string("kind", in: node) ?? ""
    let apiVersion = document.string("apiVersion", in: node) ?? ""
    if kind == "ConfigMap" {
      config = decodeConfigMap(node)
    } else if apiVersion == Self.apiVersion && Self.supportedKinds.contains(kind) {
      config = decodeTyped(node)
    } else if apiVersion == Self.apiVersion && Self.plannedKinds.contains(kind) {
      errors.append(
        error(node, "kind", "\(kind) is not implemented in this version; use Mirror"))
    } else {
      errors.append(
        error(
          node, "kind",
          "unsupported configuration \(apiVersion) \(kind); expected \(Self.apiVersion) Mirror or a ConfigMap"
        ))
    }
    if !errors.isEmpty { throw ConfigErrors(errors) }
    return config
  }

  // MARK: - ConfigMap

  private mutating func decodeConfigMap(_ node: NodeID) -> MirrorConfig? {
    guard let data = document.value("data", in: node), !document.isNull(data) else { return nil }
    guard document.kind(of: data) == .mapping else {
      errors.append(error(data, "data", "must be a mapping of strings"))
      return nil
    }
    let entries = document.entries(of: data)
    if entries.isEmpty { return nil }
    var from: (String, NodeID)?
    var to: (String, NodeID)?
    var hosts: [HostMapping] = []
    for (keyNode, valueNode) in entries {
      let key = document.string(of: keyNode)
      let field = "data.\(key)"
      guard document.kind(of: valueNode) == .scalar else {
        errors.append(error(valueNode, field, "must be a string"))
        continue
      }
      let value = document.string(of: valueNode)
      switch key {
      case "from": from = (value, valueNode)
      case "to": to = (value, valueNode)
      case "hosts":
        for pair in value.split(separator: ",") {
          let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
          guard parts.count == 2 else {
            errors.append(error(valueNode, field, "expected FROM=TO[,FROM=TO…], got \"\(pair)\""))
            continue
          }
          if let mapping = mapping(
            from: trimmed(parts[0]), to: trimmed(parts[1]), node: valueNode, field: field)
          {
            hosts.append(mapping)
          }
        }
      default:
        if Self.plannedConfigMapKeys.contains(key) {
          errors.append(error(keyNode, field, "not implemented in this version"))
        } else {
          errors.append(error(keyNode, field, "unknown key (known: from, to, hosts)"))
        }
      }
    }
    switch (from, to) {
    case (let from?, let to?):
      if let mapping = mapping(from: from.0, to: to.0, node: to.1, field: "data") {
        hosts.append(mapping)
      }
    case (let from?, nil):
      errors.append(error(from.1, "data.to", "missing: data.from needs data.to"))
    case (nil, let to?):
      errors.append(error(to.1, "data.from", "missing: data.to needs data.from"))
    case (nil, nil):
      break
    }
    if hosts.isEmpty && errors.isEmpty {
      errors.append(error(data, "data", "no hosts configured: set from and to, or hosts"))
    }
    return MirrorConfig(hosts: hosts)
  }

  // MARK: - Typed kinds

  private mutating func decodeTyped(_ node: NodeID) -> MirrorConfig? {
    for (keyNode, _) in document.entries(of: node) {
      let key = document.string(of: keyNode)
      if !["apiVersion", "kind", "metadata", "spec"].contains(key) {
        errors.append(error(keyNode, key, "unknown field"))
      }
    }
    guard let spec = document.value("spec", in: node), document.kind(of: spec) == .mapping else {
      errors.append(error(node, "spec", "missing: spec.hosts is required"))
      return nil
    }
    var hosts: [HostMapping] = []
    var provenance = true
    var sawHosts = false
    for (keyNode, valueNode) in document.entries(of: spec) {
      let key = document.string(of: keyNode)
      switch key {
      case "hosts":
        sawHosts = true
        hosts = decodeHosts(valueNode)
      case "tag":
        provenance = decodeTag(valueNode) ?? true
      default:
        if Self.plannedSpecFields.contains(key) {
          errors.append(error(keyNode, "spec.\(key)", "not implemented in this version"))
        } else {
          errors.append(error(keyNode, "spec.\(key)", "unknown field"))
        }
      }
    }
    if !sawHosts { errors.append(error(spec, "spec.hosts", "missing: at least one mapping")) }
    return MirrorConfig(hosts: hosts, provenance: provenance)
  }

  private mutating func decodeHosts(_ node: NodeID) -> [HostMapping] {
    guard document.kind(of: node) == .sequence else {
      errors.append(error(node, "spec.hosts", "must be a list of {from, to}"))
      return []
    }
    var hosts: [HostMapping] = []
    let items = Array(document.children(of: node))
    if items.isEmpty { errors.append(error(node, "spec.hosts", "empty host list")) }
    for (index, entry) in items.enumerated() {
      let field = "spec.hosts[\(index)]"
      guard document.kind(of: entry) == .mapping else {
        errors.append(error(entry, field, "must be a mapping {from, to}"))
        continue
      }
      var from: String?
      var to: String?
      for (keyNode, valueNode) in document.entries(of: entry) {
        let key = document.string(of: keyNode)
        guard key == "from" || key == "to" else {
          errors.append(error(keyNode, "\(field).\(key)", "unknown field"))
          continue
        }
        guard document.kind(of: valueNode) == .scalar, !document.isNull(valueNode) else {
          errors.append(error(valueNode, "\(field).\(key)", "must be a domain name"))
          continue
        }
        if key == "from" {
          from = document.string(of: valueNode)
        } else {
          to = document.string(of: valueNode)
        }
      }
      guard let from, let to else {
        errors.append(error(entry, field, "needs both from and to"))
        continue
      }
      if let mapping = mapping(from: from, to: to, node: entry, field: field) {
        hosts.append(mapping)
      }
    }
    return hosts
  }

  private mutating func decodeTag(_ node: NodeID) -> Bool? {
    guard document.kind(of: node) == .mapping else {
      errors.append(error(node, "spec.tag", "must be a mapping"))
      return nil
    }
    var provenance: Bool?
    for (keyNode, valueNode) in document.entries(of: node) {
      let key = document.string(of: keyNode)
      let field = "spec.tag.\(key)"
      if key == "provenance" {
        switch document.string(of: valueNode) {
        case "true" where document.style(of: valueNode) == .plain: provenance = true
        case "false" where document.style(of: valueNode) == .plain: provenance = false
        default: errors.append(error(valueNode, field, "must be true or false"))
        }
      } else if Self.plannedTagFields.contains(key) {
        errors.append(error(keyNode, field, "not implemented in this version"))
      } else {
        errors.append(error(keyNode, field, "unknown field"))
      }
    }
    return provenance
  }

  // MARK: - Helpers

  private mutating func mapping(from: String, to: String, node: NodeID, field: String)
    -> HostMapping?
  {
    do {
      return try HostMapping(from: from, to: to)
    } catch {
      let name = field == "data" ? "data.\(error.field)" : "\(field).\(error.field)"
      errors.append(self.error(node, name, error.message))
      return nil
    }
  }

  private func trimmed(_ text: Substring) -> String {
    String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }

  private func error(_ node: NodeID, _ field: String, _ message: String) -> ConfigError {
    let line = SourcePosition(byteOffset: document.span(of: node).lowerBound, in: document.source)
      .line
    return ConfigError(field: field.isEmpty ? "(config)" : field, message: message, line: line)
  }
}

/// Every problem found in one configuration.
public struct ConfigErrors: Error, Equatable, Sendable {
  /// The problems, in document order.
  public var errors: [ConfigError]

  /// Wraps a list of problems.
  public init(_ errors: [ConfigError]) { self.errors = errors }
}
