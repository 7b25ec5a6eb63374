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
///
/// `@unchecked Sendable`: the table is written only before the document is
/// made, and read through pointers after.
public struct Document: @unchecked Sendable {
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
  /// Whether the document ends with an explicit `...`.
  public let hasExplicitEnd: Bool
  /// The node table and value arena, kept alive for `nodes`.
  @usableFromInline let table: NodeTable
  /// The nodes and arena, read through plain pointers.
  @usableFromInline let nodes: NodeBuffer

  init(
    source: [UInt8], span: Range<Int>, hasExplicitStart: Bool, hasExplicitEnd: Bool = false,
    table: NodeTable
  ) {
    self.source = source
    self.span = span
    self.hasExplicitStart = hasExplicitStart
    self.hasExplicitEnd = hasExplicitEnd
    self.table = table
    self.nodes = table.snapshot
  }

  /// The root node; every document libyaml emits has one (an empty document
  /// has an empty plain scalar).
  @inlinable
  public var root: NodeID { NodeID(Int32(0)) }

  /// Number of nodes in the table.
  @inlinable
  public var nodeCount: Int { nodes.count }

  /// The node's kind.
  @inlinable
  public func kind(of node: NodeID) -> NodeKind { nodes[node.index].kind }

  /// The node's style.
  @inlinable
  public func style(of node: NodeID) -> NodeStyle { nodes[node.index].style }

  /// The collection holding the node, or nil for the root.
  @inlinable
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
  @inlinable
  public func span(of node: NodeID) -> Range<Int> {
    let entry = nodes[node.index]
    return Int(entry.start)..<Int(entry.end)
  }

  /// Whether the node carries an anchor or an explicit tag.
  @inlinable
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
  @inlinable
  public func withValue<R>(of node: NodeID, _ body: (UnsafeBufferPointer<UInt8>) throws -> R)
    rethrows -> R
  {
    let entry = nodes[node.index]
    let start = Int(entry.valueOffset)
    let count = Int(entry.valueLength)
    if entry.flags & Node.valueInArena != 0 {
      return try body(UnsafeBufferPointer(start: nodes.arena + start, count: count))
    }
    return try source.withUnsafeBufferPointer { buffer in
      try body(UnsafeBufferPointer(rebasing: buffer[start..<start + count]))
    }
  }

  /// Length in bytes of a scalar's decoded value (0 for other kinds).
  @inlinable
  public func valueLength(of node: NodeID) -> Int { Int(nodes[node.index].valueLength) }

  /// Where a scalar's decoded value sits verbatim in the source, or nil
  /// when it is not there as it is (escapes, folding, block scalars).
  @inlinable
  public func valueSourceRange(of node: NodeID) -> Range<Int>? {
    let entry = nodes[node.index]
    guard entry.kind == .scalar, entry.flags & Node.valueInArena == 0 else { return nil }
    return Int(entry.valueOffset)..<Int(entry.valueOffset) + Int(entry.valueLength)
  }

  /// The start of a plain or quoted scalar's content (inside the quotes)
  /// when that content is the value byte for byte: one line, no `''` or
  /// backslash escape. Editing a range of such a value edits the same range
  /// of the source. Cost: O(token length).
  func verbatimContentStart(of node: NodeID) -> Int? {
    let entry = nodes[node.index]
    guard entry.kind == .scalar, entry.flags & Node.valueInArena == 0 else { return nil }
    let quote: UInt8?
    switch entry.style {
    case .plain: quote = nil
    case .singleQuoted: quote = UInt8(ascii: "'")
    case .doubleQuoted: quote = UInt8(ascii: "\"")
    default: return nil
    }
    let token = tokenRange(of: node)
    let quotes = quote == nil ? 0 : 1
    let start = token.lowerBound + quotes
    let end = token.upperBound - quotes
    guard end >= start, Int(entry.valueOffset) == start, Int(entry.valueLength) == end - start
    else { return nil }
    if let quote {
      guard source[token.lowerBound] == quote, source[token.upperBound - 1] == quote else {
        return nil
      }
    }
    for byte in source[start..<end]
    where byte == 0x0A || byte == 0x0D || byte == quote
      || (quote == UInt8(ascii: "\"") && byte == UInt8(ascii: "\\"))
    {
      return nil
    }
    return start
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
  @inlinable
  public func scalar(_ node: NodeID, equals text: String) -> Bool {
    let entry = nodes[node.index]
    guard entry.kind == .scalar, Int(entry.valueLength) == text.utf8.count else { return false }
    if let equal = text.utf8.withContiguousStorageIfAvailable({ scalar(node, equals: $0) }) {
      return equal
    }
    return withValue(of: node) { $0.elementsEqual(text.utf8) }
  }

  /// Whether the node is a scalar whose value is exactly `bytes`.
  @inlinable
  public func scalar(_ node: NodeID, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let entry = nodes[node.index]
    guard entry.kind == .scalar, Int(entry.valueLength) == bytes.count else { return false }
    return withValue(of: node) { memoryEquals($0.baseAddress, bytes.baseAddress, bytes.count) }
  }

  // MARK: - Collections

  /// The children of a collection in order (mapping: key, value, key, …).
  @inlinable
  public func children(of node: NodeID) -> Children {
    Children(table: table, nodes: nodes, first: nodes[node.index].first)
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

  /// The first entry of a mapping, or nil (empty, or not a mapping).
  /// Cost: O(1).
  public func firstEntry(of mapping: NodeID) -> (key: NodeID, value: NodeID)? {
    guard kind(of: mapping) == .mapping else { return nil }
    let key = nodes[mapping.index].first
    guard key >= 0 else { return nil }
    let value = nodes[key].next
    return value >= 0 ? (NodeID(key), NodeID(value)) : nil
  }

  /// The last entry of a mapping, or nil. Cost: O(entries), no allocation.
  public func lastEntry(of mapping: NodeID) -> (key: NodeID, value: NodeID)? {
    guard kind(of: mapping) == .mapping else { return nil }
    var index = nodes[mapping.index].first
    var last: (key: NodeID, value: NodeID)?
    while index >= 0 {
      let valueIndex = nodes[index].next
      guard valueIndex >= 0 else { break }
      last = (NodeID(index), NodeID(valueIndex))
      index = nodes[valueIndex].next
    }
    return last
  }

  /// The key node and value node of the first entry of `mapping` whose key is
  /// the scalar `key`, or nil. An explicit entry comes first; then the
  /// mappings merged in with `<<` (see ``mergedEntry(_:in:depth:)``).
  @inlinable
  public func entry(_ key: String, in mapping: NodeID) -> (key: NodeID, value: NodeID)? {
    guard kind(of: mapping) == .mapping else { return nil }
    var index = nodes[mapping.index].first
    while index >= 0 {
      let valueIndex = nodes[index].next
      guard valueIndex >= 0 else { return nil }
      if scalar(NodeID(index), equals: key) { return (NodeID(index), NodeID(valueIndex)) }
      index = nodes[valueIndex].next
    }
    return nodes.hasMergeKeys ? mergedEntry(key, in: mapping, depth: 0) : nil
  }

  /// The value of `key` in `mapping`, or nil when absent or not a mapping.
  @inlinable
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

extension Document {
  // MARK: - Subtrees and positions

  /// Calls `body` with every scalar (mapping keys too) of `node` and the
  /// nodes under it, in document order. Cost: O(subtree), no allocation.
  @inlinable
  public func forEachScalar(under node: NodeID, _ body: (NodeID) -> Void) {
    var index = node.index
    let end = subtreeEnd(of: node)
    while index < end {
      if nodes[index].kind == .scalar { body(NodeID(index)) }
      index += 1
    }
  }

  /// The index after the last node under `node`: a subtree is a run of
  /// consecutive table entries. Cost: O(depth).
  @inlinable
  func subtreeEnd(of node: NodeID) -> Int32 {
    var current = node.index
    while current >= 0 {
      let entry = nodes[current]
      if entry.next >= 0 { return entry.next }
      current = entry.parent
    }
    return Int32(nodes.count)
  }

  /// Where `node` sits in its parent: for a mapping, the key of its entry
  /// and whether `node` is that key; for a sequence, its index. Nil for a
  /// root. Cost: O(siblings before it).
  public func position(of node: NodeID) -> (key: NodeID?, isKey: Bool, index: Int)? {
    guard let parent = parent(of: node) else { return nil }
    var child = nodes[parent.index].first
    var index = 0
    let mapping = kind(of: parent) == .mapping
    while child >= 0 {
      if mapping {
        let value = nodes[child].next
        if child == node.index { return (NodeID(child), true, index) }
        if value == node.index { return (NodeID(child), false, index) }
        guard value >= 0 else { break }
        child = nodes[value].next
      } else {
        if child == node.index { return (nil, false, index) }
        child = nodes[child].next
      }
      index += 1
    }
    return nil
  }
}

/// The children of a collection node, in order.
public struct Children: Sequence {
  /// Keeps the nodes alive while the sequence is.
  @usableFromInline let table: NodeTable
  @usableFromInline let nodes: NodeBuffer
  @usableFromInline let first: Int32

  @inlinable init(table: NodeTable, nodes: NodeBuffer, first: Int32) {
    self.table = table
    self.nodes = nodes
    self.first = first
  }

  /// An iterator over the children.
  public struct Iterator: IteratorProtocol {
    /// Keeps the nodes alive while the iterator is.
    @usableFromInline let table: NodeTable
    @usableFromInline let nodes: NodeBuffer
    @usableFromInline var current: Int32

    @inlinable init(table: NodeTable, nodes: NodeBuffer, current: Int32) {
      self.table = table
      self.nodes = nodes
      self.current = current
    }

    /// The next child, or nil after the last.
    @inlinable
    public mutating func next() -> NodeID? {
      guard current >= 0 else { return nil }
      let result = NodeID(current)
      current = nodes[current].next
      return result
    }
  }

  /// Makes an iterator starting at the first child.
  @inlinable
  public func makeIterator() -> Iterator {
    Iterator(table: table, nodes: nodes, current: first)
  }
}

@usableFromInline
func memoryEquals(
  _ lhs: UnsafePointer<UInt8>?, _ rhs: UnsafePointer<UInt8>?, _ count: Int
) -> Bool {
  guard count > 0 else { return true }
  guard let lhs, let rhs else { return false }
  return memcmp(lhs, rhs, count) == 0
}
