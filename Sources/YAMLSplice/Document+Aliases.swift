/// Aliases and merge keys: what a node refers to, and keys a mapping gets
/// from the mappings it merges in.
///
/// The parser records each alias's anchored node when the anchor is in the
/// same table (see ``StreamParser``); nothing is expanded. These readers
/// cost nothing for documents without aliases or merge keys.
extension Document {
  /// Whether the document holds an alias (`*name`).
  @inlinable
  public var hasAliases: Bool { nodes.hasAliases }

  /// Whether the document holds a plain `<<` scalar (a merge key).
  @inlinable
  public var hasMergeKeys: Bool { nodes.hasMergeKeys }

  /// The node an alias refers to; nil for other nodes and for an alias
  /// whose anchor is not in this document's table.
  public func aliasTarget(of alias: NodeID) -> NodeID? {
    guard kind(of: alias) == .alias, let target = table.aliasTargets[alias.index] else {
      return nil
    }
    return NodeID(target)
  }

  /// The node itself, or for an alias the node it refers to.
  public func resolved(_ node: NodeID) -> NodeID {
    aliasTarget(of: node) ?? node
  }

  /// Every alias of `anchored`, in document order. Cost: O(aliases).
  public func aliases(of anchored: NodeID) -> [NodeID] {
    guard hasAliases else { return [] }
    return table.aliasTargets.filter { $0.value == anchored.index }.keys.sorted()
      .map { NodeID($0) }
  }

  /// Every alias of the document whose anchor is in it, in document order.
  public var resolvedAliases: [(alias: NodeID, target: NodeID)] {
    guard hasAliases else { return [] }
    return table.aliasTargets.sorted { $0.key < $1.key }.map { (NodeID($0.key), NodeID($0.value)) }
  }

  /// Whether `node` is a plain `<<` key of a mapping.
  public func isMergeKey(_ node: NodeID) -> Bool {
    guard hasMergeKeys, kind(of: node) == .scalar, style(of: node) == .plain,
      valueLength(of: node) == 2
    else { return false }
    return withValue(of: node) { $0[0] == 0x3C && $0[1] == 0x3C }
  }

  /// The mappings `mapping` merges in, in precedence order: the value of
  /// each `<<` entry (resolved when an alias), or the items of a sequence
  /// there.
  public func mergedMappings(of mapping: NodeID) -> [NodeID] {
    guard hasMergeKeys, kind(of: mapping) == .mapping else { return [] }
    var merged: [NodeID] = []
    for (key, value) in entries(of: mapping) where isMergeKey(key) {
      let source = resolved(value)
      switch kind(of: source) {
      case .mapping: merged.append(source)
      case .sequence:
        for item in children(of: source) {
          let resolvedItem = resolved(item)
          if kind(of: resolvedItem) == .mapping { merged.append(resolvedItem) }
        }
      default: break
      }
    }
    return merged
  }

  /// The entry `key` that `mapping` gets through its merge keys, or nil:
  /// the merged mappings are looked up in order (each with its own
  /// explicit entries first). Merges nested deeper than 16 levels (only a
  /// mapping that merges itself gets there) are not followed.
  @usableFromInline
  func mergedEntry(_ key: String, in mapping: NodeID, depth: Int) -> (key: NodeID, value: NodeID)? {
    guard depth < 16 else { return nil }
    for merged in mergedMappings(of: mapping) where merged != mapping {
      for entry in entries(of: merged) where !isMergeKey(entry.key) {
        if scalar(entry.key, equals: key) { return entry }
      }
      if let found = mergedEntry(key, in: merged, depth: depth + 1) { return found }
    }
    return nil
  }
}
