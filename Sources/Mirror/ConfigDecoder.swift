import KRM
public import YAMLSplice

/// Decodes a krm-mirror configuration strictly: the typed kinds of
/// `krm-mirror.dev/v1alpha1`, or a `ConfigMap` (kpt's `-- key=value` form).
///
/// Every problem is collected with its field and line; an unknown field or
/// a wrong type is an error, never ignored.
public struct ConfigDecoder {
  /// The API group and version of the typed kinds.
  public static let apiVersion = "krm-mirror.dev/v1alpha1"

  /// The spec fields each typed kind takes, and the steps it runs.
  static let kinds: [String: (fields: Set<String>, steps: MirrorConfig.Steps)] = [
    "Mirror": (
      ["hosts", "tls", "tag", "text", "fields", "leaks", "selectors", "exclude"], .all
    ),
    "ReplaceHosts": (["hosts", "text", "fields", "selectors", "exclude"], .replaceHosts),
    "SyncTLS": (["hosts", "tls", "selectors", "exclude"], .syncTLS),
    "TagMirror": (["hosts", "tag", "selectors", "exclude"], .tag),
    "CheckHosts": (["hosts", "text", "fields", "leaks", "selectors", "exclude"], .checkLeaks),
  ]

  /// The keys of the ConfigMap form.
  static let configMapKeys = [
    "from", "to", "hosts", "leaks", "text", "cluster-issuer", "secret-names", "cover-rule-hosts",
    "tag-scope",
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
    } else if apiVersion == Self.apiVersion, let shape = Self.kinds[kind] {
      config = decodeTyped(node, fields: shape.fields, steps: shape.steps)
    } else {
      let kinds = Self.kinds.keys.sorted().joined(separator: ", ")
      errors.append(
        error(
          document.value("kind", in: node) ?? node, "kind",
          "unsupported configuration \(apiVersion) \(kind); expected \(Self.apiVersion) (\(kinds)) or a ConfigMap"
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
    var config = MirrorConfig(hosts: [])
    var places: [(NodeID, String)] = []
    var from: (String, NodeID)?
    var to: (String, NodeID)?
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
            from: String(parts[0]).trimmingSpaces(), to: String(parts[1]).trimmingSpaces(),
            node: valueNode, field: field)
          {
            config.hosts.append(mapping)
            places.append((valueNode, field))
          }
        }
      case "leaks": config.leaks = choice(value, valueNode, field) ?? config.leaks
      case "text": config.text = boolean(value, valueNode, field) ?? config.text
      case "cluster-issuer": config.clusterIssuer = issuer(value, valueNode, field)
      case "secret-names": config.secretNames = choice(value, valueNode, field) ?? .keep
      case "cover-rule-hosts":
        config.coverRuleHosts = boolean(value, valueNode, field) ?? config.coverRuleHosts
      case "tag-scope": config.tagScope = choice(value, valueNode, field) ?? .changed
      default:
        errors.append(
          error(
            keyNode, field,
            "unknown key (known: \(Self.configMapKeys.joined(separator: ", ")))"))
      }
    }
    switch (from, to) {
    case (let from?, let to?):
      if let mapping = mapping(from: from.0, to: to.0, node: to.1, field: "data") {
        config.hosts.append(mapping)
        places.append((to.1, "data"))
      }
    case (let from?, nil):
      errors.append(error(from.1, "data.to", "missing: data.from needs data.to"))
    case (nil, let to?):
      errors.append(error(to.1, "data.from", "missing: data.to needs data.from"))
    case (nil, nil):
      break
    }
    if config.hosts.isEmpty && errors.isEmpty {
      errors.append(error(data, "data", "no hosts configured: set from and to, or hosts"))
    }
    config.hosts = checkedSet(config.hosts, places: places)
    return config
  }

  // MARK: - Typed kinds

  private mutating func decodeTyped(
    _ node: NodeID, fields allowed: Set<String>, steps: MirrorConfig.Steps
  ) -> MirrorConfig? {
    checkKeys(node, allowed: ["apiVersion", "kind", "metadata", "spec"], prefix: "")
    guard let spec = document.value("spec", in: node), document.kind(of: spec) == .mapping else {
      errors.append(error(node, "spec", "missing: spec.hosts is required"))
      return nil
    }
    var config = MirrorConfig(hosts: [])
    config.steps = steps
    if steps == .checkLeaks { config.leaks = .error }
    var sawHosts = false
    for (keyNode, value) in document.entries(of: spec) {
      let key = document.string(of: keyNode)
      let field = "spec.\(key)"
      guard allowed.contains(key) else {
        let known = allowed.sorted().joined(separator: ", ")
        errors.append(error(keyNode, field, "unknown field (known: \(known))"))
        continue
      }
      switch key {
      case "hosts":
        sawHosts = true
        config.hosts = decodeHosts(value)
      case "tls": decodeTLS(value, into: &config)
      case "tag": decodeTag(value, into: &config)
      case "text": config.text = boolean(value, field) ?? false
      case "leaks": config.leaks = choice(value, field) ?? config.leaks
      case "fields": config.fields = decodeFields(value)
      case "selectors": config.selectors = decodeSelectors(value, field)
      case "exclude": config.exclude = decodeSelectors(value, field)
      default: break
      }
    }
    if !sawHosts { errors.append(error(spec, "spec.hosts", "missing: at least one mapping")) }
    return config
  }

  private mutating func decodeHosts(_ node: NodeID) -> [HostMapping] {
    guard document.kind(of: node) == .sequence else {
      errors.append(error(node, "spec.hosts", "must be a list of {from, to}"))
      return []
    }
    var hosts: [HostMapping] = []
    var places: [(NodeID, String)] = []
    let items = Array(document.children(of: node))
    if items.isEmpty { errors.append(error(node, "spec.hosts", "empty host list")) }
    for (index, entry) in items.enumerated() {
      let field = "spec.hosts[\(index)]"
      guard document.kind(of: entry) == .mapping else {
        errors.append(error(entry, field, "must be a mapping {from, to}"))
        continue
      }
      checkKeys(entry, allowed: ["from", "to"], prefix: field)
      guard let fromNode = document.value("from", in: entry),
        let toNode = document.value("to", in: entry)
      else {
        errors.append(error(entry, field, "needs both from and to"))
        continue
      }
      guard let from = string(fromNode, "\(field).from"), let to = string(toNode, "\(field).to")
      else { continue }
      if let mapping = mapping(from: from, to: to, node: entry, field: field) {
        hosts.append(mapping)
        places.append((entry, field))
      }
    }
    return checkedSet(hosts, places: places)
  }

  private mutating func decodeTLS(_ node: NodeID, into config: inout MirrorConfig) {
    guard mapping(node, "spec.tls") else { return }
    checkKeys(
      node, allowed: ["coverRuleHosts", "secretNames", "clusterIssuer"], prefix: "spec.tls")
    for (keyNode, value) in document.entries(of: node) {
      switch document.string(of: keyNode) {
      case "coverRuleHosts":
        config.coverRuleHosts = boolean(value, "spec.tls.coverRuleHosts") ?? config.coverRuleHosts
      case "secretNames": config.secretNames = choice(value, "spec.tls.secretNames") ?? .keep
      case "clusterIssuer":
        if let text = string(value, "spec.tls.clusterIssuer") {
          config.clusterIssuer = issuer(text, value, "spec.tls.clusterIssuer")
        }
      default: break
      }
    }
  }

  private mutating func decodeTag(_ node: NodeID, into config: inout MirrorConfig) {
    guard mapping(node, "spec.tag") else { return }
    checkKeys(node, allowed: ["provenance", "annotations", "labels", "scope"], prefix: "spec.tag")
    for (keyNode, value) in document.entries(of: node) {
      switch document.string(of: keyNode) {
      case "provenance": config.provenance = boolean(value, "spec.tag.provenance") ?? true
      case "annotations":
        config.tagAnnotations = stringMap(value, "spec.tag.annotations", labelValues: false)
      case "labels": config.tagLabels = stringMap(value, "spec.tag.labels", labelValues: true)
      case "scope": config.tagScope = choice(value, "spec.tag.scope") ?? .changed
      default: break
      }
    }
  }

  private mutating func decodeFields(_ node: NodeID) -> [MirrorConfig.Field] {
    guard document.kind(of: node) == .sequence else {
      errors.append(error(node, "spec.fields", "must be a list"))
      return []
    }
    var fields: [MirrorConfig.Field] = []
    for (index, entry) in document.children(of: node).enumerated() {
      let prefix = "spec.fields[\(index)]"
      guard mapping(entry, prefix) else { continue }
      checkKeys(entry, allowed: ["apiVersion", "kind", "path", "format"], prefix: prefix)
      let apiVersion = document.value("apiVersion", in: entry).flatMap {
        string($0, "\(prefix).apiVersion")
      }
      let kind = document.value("kind", in: entry).flatMap { string($0, "\(prefix).kind") }
      var format = "host"
      if let node = document.value("format", in: entry), let text = string(node, "\(prefix).format")
      {
        if ["host", "url", "list", "text"].contains(text) {
          format = text
        } else {
          errors.append(error(node, "\(prefix).format", "must be host, url, list or text"))
        }
      }
      guard let pathNode = document.value("path", in: entry) else {
        errors.append(error(entry, "\(prefix).path", "missing"))
        continue
      }
      guard let text = string(pathNode, "\(prefix).path") else { continue }
      let path: FieldPath
      do {
        path = try FieldPath(parsing: text)
      } catch {
        errors.append(
          self.error(
            pathNode, "\(prefix).path",
            "unsupported path \"\(text)\": \(error.message); a path is \(FieldPath.syntax)"))
        continue
      }
      if path.steps.first == .key("status") {
        errors.append(error(pathNode, "\(prefix).path", "status is never rewritten"))
        continue
      }
      fields.append(.init(apiVersion: apiVersion, kind: kind, path: path, format: format))
    }
    return fields
  }

  private mutating func decodeSelectors(_ node: NodeID, _ field: String) -> [ResourceSelector] {
    guard document.kind(of: node) == .sequence else {
      errors.append(error(node, field, "must be a list of selectors"))
      return []
    }
    var selectors: [ResourceSelector] = []
    for (index, entry) in document.children(of: node).enumerated() {
      let prefix = "\(field)[\(index)]"
      guard mapping(entry, prefix) else { continue }
      checkKeys(
        entry, allowed: ["apiVersion", "kind", "name", "namespace", "labels", "annotations"],
        prefix: prefix)
      var selector = ResourceSelector()
      for (keyNode, value) in document.entries(of: entry) {
        let key = document.string(of: keyNode)
        switch key {
        case "apiVersion": selector.apiVersion = string(value, "\(prefix).\(key)")
        case "kind": selector.kind = string(value, "\(prefix).\(key)")
        case "name": selector.name = string(value, "\(prefix).\(key)")
        case "namespace": selector.namespace = string(value, "\(prefix).\(key)")
        case "labels":
          selector.labels = Dictionary(
            stringMap(value, "\(prefix).labels", labelValues: false), uniquingKeysWith: { $1 })
        case "annotations":
          selector.annotations = Dictionary(
            stringMap(value, "\(prefix).annotations", labelValues: false), uniquingKeysWith: { $1 })
        default: break
        }
      }
      if selector.isEmpty {
        errors.append(error(entry, prefix, "an empty selector would match everything"))
      }
      selectors.append(selector)
    }
    return selectors
  }

  // MARK: - Value helpers

  private mutating func checkKeys(_ mapping: NodeID, allowed: Set<String>, prefix: String) {
    for (keyNode, _) in document.entries(of: mapping) {
      let key = document.string(of: keyNode)
      if !allowed.contains(key) {
        let field = prefix.isEmpty ? key : "\(prefix).\(key)"
        errors.append(
          error(
            keyNode, field, "unknown field (known: \(allowed.sorted().joined(separator: ", ")))"))
      }
    }
  }

  private mutating func mapping(_ node: NodeID, _ field: String) -> Bool {
    if document.kind(of: node) == .mapping { return true }
    errors.append(error(node, field, "must be a mapping"))
    return false
  }

  private mutating func string(_ node: NodeID, _ field: String) -> String? {
    guard document.kind(of: node) == .scalar, !document.isNull(node) else {
      errors.append(error(node, field, "must be a string"))
      return nil
    }
    return document.string(of: node)
  }

  /// A YAML boolean: plain `true`/`false` (any case).
  private mutating func boolean(_ node: NodeID, _ field: String) -> Bool? {
    let text = document.kind(of: node) == .scalar ? document.string(of: node).lowercased() : ""
    if document.style(of: node) == .plain && (text == "true" || text == "false") {
      return text == "true"
    }
    errors.append(error(node, field, "must be true or false"))
    return nil
  }

  /// A boolean written as a string (ConfigMap values).
  private mutating func boolean(_ text: String, _ node: NodeID, _ field: String) -> Bool? {
    switch text.lowercased() {
    case "true": return true
    case "false": return false
    default:
      errors.append(error(node, field, "must be true or false, got \"\(text)\""))
      return nil
    }
  }

  private mutating func choice<T: RawRepresentable & CaseIterable>(_ node: NodeID, _ field: String)
    -> T? where T.RawValue == String
  {
    guard let text = string(node, field) else { return nil }
    return choice(text, node, field)
  }

  private mutating func choice<T: RawRepresentable & CaseIterable>(
    _ text: String, _ node: NodeID, _ field: String
  ) -> T? where T.RawValue == String {
    if let value = T(rawValue: text) { return value }
    let allowed = T.allCases.map(\.rawValue).joined(separator: " | ")
    errors.append(error(node, field, "must be \(allowed), got \"\(text)\""))
    return nil
  }

  private mutating func issuer(_ text: String, _ node: NodeID, _ field: String) -> String {
    if text.isEmpty || KubernetesName.isValidSubdomain(text) { return text }
    errors.append(error(node, field, "not a valid Kubernetes object name: \"\(text)\""))
    return ""
  }

  private mutating func stringMap(_ node: NodeID, _ field: String, labelValues: Bool)
    -> [(String, String)]
  {
    guard mapping(node, field) else { return [] }
    var result: [(String, String)] = []
    for (keyNode, value) in document.entries(of: node) {
      let key = document.string(of: keyNode)
      guard KubernetesName.isValidKey(key) else {
        errors.append(error(keyNode, "\(field)[\(key)]", "not a valid annotation or label key"))
        continue
      }
      guard let text = document.kind(of: value) == .scalar ? document.string(of: value) : nil
      else {
        errors.append(error(value, "\(field)[\(key)]", "must be a string"))
        continue
      }
      if labelValues && !KubernetesName.isValidLabelValue(text) {
        errors.append(error(value, "\(field)[\(key)]", "not a valid label value: \"\(text)\""))
        continue
      }
      result.append((key, text))
    }
    return result
  }

  private mutating func mapping(from: String, to: String, node: NodeID, field: String)
    -> HostMapping?
  {
    do {
      return try HostMapping(from: from, to: to)
    } catch {
      errors.append(self.error(node, "\(field).\(error.field)", error.message))
      return nil
    }
  }

  /// `hosts` with exact repeats dropped; every pair that cannot be used
  /// together (see ``HostMapping/checked(_:)``) is an error at the later
  /// mapping's place (its node and field).
  private mutating func checkedSet(_ hosts: [HostMapping], places: [(NodeID, String)])
    -> [HostMapping]
  {
    let checked = HostMapping.checked(hosts)
    for conflict in checked.conflicts {
      let (node, field) = places[conflict.later]
      errors.append(error(node, field, conflict.message))
    }
    return checked.mappings
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
