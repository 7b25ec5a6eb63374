public import KRM
public import YAMLSplice

/// Applies a ``MirrorConfig`` to resources: rewrites hosts in the built-in
/// fields and tags what changed.
public struct MirrorFunction: Sendable {
  /// What one resource came out as.
  public struct ItemOutcome {
    /// Edits to the resource's document.
    public var edits: [Edit] = []
    /// The fields rewritten.
    public var rewrites: [HostRewrite] = []
    /// Results to report for the resource.
    public var results: [KRMResult] = []
  }

  /// The configuration.
  public let config: MirrorConfig
  let matcher: HostMatcher

  /// Creates the function for `config`.
  public init(config: MirrorConfig) {
    self.config = config
    self.matcher = HostMatcher(config.hosts)
  }

  /// Processes one resource. Items that a mutator must leave alone (see
  /// ``ResourceItem/passThroughReason``) come out untouched.
  /// Cost: O(size of the host-bearing fields) beyond identifying the kind.
  public func process(_ item: ResourceItem) -> ItemOutcome {
    var outcome = ItemOutcome()
    guard item.passThroughReason == nil, let kind = item.kind else { return outcome }
    let document = item.document
    for field in HostFieldTable.fields(apiVersion: item.apiVersion ?? "", kind: kind) {
      for (node, path) in field.path.resolve(in: document, from: item.node)
      where document.kind(of: node) == .scalar {
        let value = document.value(of: node)
        let matches = matcher.matches(in: value)
        guard !matches.isEmpty else { continue }
        let substitutions = matches.map {
          (range: $0.range, replacement: Array(matcher.mappings[$0.mapping].to.utf8))
        }
        outcome.edits += document.edits(substituting: substitutions, in: node)
        var newValue: [UInt8] = []
        var position = 0
        for substitution in substitutions {
          newValue += value[position..<substitution.range.lowerBound] + substitution.replacement
          position = substitution.range.upperBound
        }
        newValue += value[position...]
        var used: [HostMapping] = []
        for match in matches where !used.contains(matcher.mappings[match.mapping]) {
          used.append(matcher.mappings[match.mapping])
        }
        outcome.rewrites.append(
          HostRewrite(
            path: path, currentValue: String(decoding: value, as: UTF8.self),
            proposedValue: String(decoding: newValue, as: UTF8.self),
            originalHosts: matches.map { String(decoding: value[$0.host], as: UTF8.self) },
            mappings: used))
      }
    }
    outcome.results = outcome.rewrites.map { $0.result(for: item) }
    if config.provenance && !outcome.rewrites.isEmpty {
      outcome.edits += Provenance.edits(for: item, rewrites: outcome.rewrites)
    }
    return outcome
  }
}
