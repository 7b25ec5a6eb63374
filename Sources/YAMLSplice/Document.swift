#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

/// One parsed YAML document: a flat table of nodes with byte spans into the
/// original input, and the decoded values of its scalars.
///
/// The table is plain data (one 32-byte entry per node, no class, no `String`
/// per node). Scalar values that appear verbatim in the source are not
/// copied; others (escapes, folded lines) live in a small arena.
/// Aliases are recorded, never expanded.
public struct Document: Sendable {
  /// The whole input the document was parsed from (shared, never copied).
  public let source: [UInt8]
  /// Bytes from the document's first token (or `---`) to its end
  /// (after `...`, or where the next document starts). For an item parsed
  /// on its own (detached), from its enclosing document's start to the end
  /// of the input. Layout lookups stay inside it, so a document edits the
  /// same whether the stream around it is parsed whole or in parts.
  public let span: Range<Int>
  /// Whether the document starts with an explicit `---`.
  public let hasExplicitStart: Bool
  /// The node table and value arena (shared, read only).
  let nodes: NodeTable

  init(source: [UInt8], span: Range<Int>, hasExplicitStart: Bool, table: NodeTable) {
    self.source = source
    self.span = span
    self.hasExplicitStart = hasExplicitStart
    self.nodes = table
  }

  /// The root node; every document libyaml emits has one (an empty document
  /// has an empty plain scalar).
  public var root: NodeID { NodeID(Int32(0)) }

  /// Number of nodes in the table.
  public var nodeCount: Int { nodes.count }

  /// The node's kind.
  public func kind(of node: NodeID) -> NodeKind { nodes[node.index].kind }

  /// The node's style.
  public func style(of node: NodeID) -> NodeStyle { nodes[node.index].style }

  /// The collection holding the node, or nil for the root.
  public func parent(of node: NodeID) -> NodeID? {
    let parent = nodes[node.index].parent
    return parent >= 0 ? NodeID(parent) : nil
  }

  /// Whether the node sits inside a flow collection (`[]`, `{}`), where
  /// `,[]{}` end a plain scalar. A block collection never nests in a flow
  /// one, so the parent decides.
  public func isInFlowContext(_ node: NodeID) -> Bool {
    parent(of: node).map { style(of: $0) == .flow } ?? false
  }

  /// The node's span in the source, properties included.
  public func span(of node: NodeID) -> Range<Int> {
    let entry = nodes[node.index]
    return Int(entry.start)..<Int(entry.end)
  }

  /// Whether the node carries an anchor or an explicit tag.
  public func hasProperties(_ node: NodeID) -> Bool {
    nodes[node.index].flags & Node.hasProperties != 0
  }

  /// Whether the node is a plain, untagged scalar that YAML reads as null
  /// (empty, `~`, `null`).
  public func isNull(_ node: NodeID) -> Bool {
    let entry = nodes[node.index]
    guard entry.kind == .scalar, entry.style == .plain, entry.flags & Node.plainImplicit != 0
    else { return false }
    return withValue(of: node) { value in
      value.isEmpty || value.elementsEqual("~".utf8) || value.elementsEqual("null".utf8)
        || value.elementsEqual("Null".utf8) || value.elementsEqual("NULL".utf8)
    }
  }

  // MARK: - Scalar values

  /// Calls `body` with the decoded value of a scalar (empty for other kinds).
  /// No copy is made.
  public func withValue<R>(of node: NodeID, _ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R
  {
    let entry = nodes[node.index]
    let start = Int(entry.valueOffset)
    let count = Int(entry.valueLength)
    if entry.flags & Node.valueInArena != 0 {
      return try nodes.arena.withUnsafeBufferPointer { buffer in
        try body(UnsafeBufferPointer(rebasing: buffer[start..<start + count]))
      }
    }
    return try source.withUnsafeBufferPointer { buffer in
      try body(UnsafeBufferPointer(rebasing: buffer[start..<start + count]))
    }
  }

  /// The decoded value of a scalar as bytes (a copy).
  public func value(of node: NodeID) -> [UInt8] {
    withValue(of: node) { Array($0) }
  }

  /// The decoded value of a scalar as text, for messages and configuration.
  public func string(of node: NodeID) -> String {
    withValue(of: node) { String(decoding: $0, as: UTF8.self) }
  }

  /// Whether the node is a scalar whose value is exactly `text` (bytewise).
  public func scalar(_ node: NodeID, equals text: String) -> Bool {
    guard kind(of: node) == .scalar else { return false }
    var text = text
    return text.withUTF8 { expected in
      withValue(of: node) { value in
        value.count == expected.count
          && (value.isEmpty || memoryEquals(value.baseAddress, expected.baseAddress, value.count))
      }
    }
  }

  // MARK: - Collections

  /// The children of a collection in order (mapping: key, value, key, …).
  public func children(of node: NodeID) -> Children {
    Children(nodes: nodes, first: nodes[node.index].first)
  }

  /// The key/value pairs of a mapping in order (empty for other kinds).
  public func entries(of mapping: NodeID) -> [(key: NodeID, value: NodeID)] {
    guard kind(of: mapping) == .mapping else { return [] }
    var result: [(key: NodeID, value: NodeID)] = []
    var index = nodes[mapping.index].first
    while index >= 0 {
      let valueIndex = nodes[index].next
      guard valueIndex >= 0 else { break }
      result.append((NodeID(index), NodeID(valueIndex)))
      index = nodes[valueIndex].next
    }
    return result
  }

  /// The key node and value node of the first entry of `mapping` whose key is
  /// the scalar `key`, or nil.
  public func entry(_ key: String, in mapping: NodeID) -> (key: NodeID, value: NodeID)? {
    guard kind(of: mapping) == .mapping else { return nil }
    var index = nodes[mapping.index].first
    while index >= 0 {
      let valueIndex = nodes[index].next
      guard valueIndex >= 0 else { return nil }
      if scalar(NodeID(index), equals: key) { return (NodeID(index), NodeID(valueIndex)) }
      index = nodes[valueIndex].next
    }
    return nil
  }

  /// The value of `key` in `mapping`, or nil when absent or not a mapping.
  public func value(_ key: String, in mapping: NodeID) -> NodeID? {
    entry(key, in: mapping)?.value
  }

  /// The string value of `key` in `mapping` when it is a scalar, else nil.
  public func string(_ key: String, in mapping: NodeID) -> String? {
    guard let node = value(key, in: mapping), kind(of: node) == .scalar else { return nil }
    return string(of: node)
  }

  /// Follows a chain of mapping keys from `node`; nil if any step is missing.
  public func value(at path: [String], from node: NodeID) -> NodeID? {
    var current = node
    for key in path {
      guard let next = value(key, in: current) else { return nil }
      current = next
    }
    return current
  }
}

/// The children of a collection node, in order.
public struct Children: Sequence {
  let nodes: NodeTable
  let first: Int32

  /// An iterator over the children.
  public struct Iterator: IteratorProtocol {
    let nodes: NodeTable
    var current: Int32

    /// The next child, or nil after the last.
    public mutating func next() -> NodeID? {
      guard current >= 0 else { return nil }
      let result = NodeID(current)
      current = nodes[current].next
      return result
    }
  }

  /// Makes an iterator starting at the first child.
  public func makeIterator() -> Iterator { Iterator(nodes: nodes, current: first) }
}

@inline(__always)
func memoryEquals(
  _ lhs: UnsafePointer<UInt8>?, _ rhs: UnsafePointer<UInt8>?, _ count: Int
) -> Bool {
  guard count > 0 else { return true }
  guard let lhs, let rhs else { return false }
  return memcmp(lhs, rhs, count) == 0
}
