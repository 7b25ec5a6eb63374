/// The storage behind a ``Document``: its node table and the arena holding
/// scalar values that are not verbatim in the source.
///
/// One allocation per table (and one per arena), grown by doubling and
/// reused by the parser for the next item when no document still refers to
/// it, so parsing a list of items allocates about once, not once per item
/// and node. Written only while the parser builds it; a ``Document`` reads
/// it through a ``NodeBuffer`` snapshot taken when the document is made.
@usableFromInline
final class NodeTable: @unchecked Sendable {
  /// The nodes, `count` of them initialized.
  private(set) var base: UnsafeMutablePointer<Node>
  /// Number of nodes.
  private(set) var count = 0
  private var capacity: Int
  /// Decoded values of scalars that are not verbatim in the source.
  private var arena = ByteWriter(capacity: 256)
  /// Number of alias nodes.
  private(set) var aliasCount = 0
  /// Whether a plain scalar `<<` (a merge key) occurs.
  var hasMergeKeys = false
  /// The anchored node each alias refers to, by alias index; only aliases
  /// whose anchor is in this table (an alias of a detached item may name
  /// an anchor of another table).
  private(set) var aliasTargets: [Int32: Int32] = [:]

  /// An empty table with room for `capacity` nodes.
  init(capacity: Int = 64) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// The node at `index`; traps when out of range. Cost: O(1).
  @inline(__always)
  subscript(index: Int32) -> Node {
    precondition(index >= 0 && Int(index) < count, "node index out of range")
    return base[Int(index)]
  }

  /// Appends `node` and returns its index. Cost: amortized O(1).
  @inline(__always)
  func append(_ node: Node) -> Int32 {
    if count == capacity { grow() }
    (base + count).initialize(to: node)
    count += 1
    return Int32(count - 1)
  }

  /// Appends `bytes` to the arena and returns where they start.
  /// Cost: amortized O(bytes).
  func appendToArena(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    let offset = arena.count
    arena.append(bytes)
    return offset
  }

  /// Records that node `alias` is an alias of node `target` (nil: of an
  /// anchor that is not in this table).
  func recordAlias(_ alias: Int32, target: Int32?) {
    aliasCount += 1
    if let target { aliasTargets[alias] = target }
  }

  /// Empties the table, keeping its capacity.
  func removeAll() {
    count = 0
    arena.removeAll()
    aliasCount = 0
    hasMergeKeys = false
    aliasTargets = [:]
  }

  /// A read-only view of the table as it is now; valid while the table is
  /// alive and not written (a document keeps its table alive, and the parser
  /// writes only tables no document refers to).
  var snapshot: NodeBuffer {
    NodeBuffer(
      nodes: UnsafePointer(base), count: count, arena: UnsafePointer(arena.base),
      hasAliases: aliasCount > 0, hasMergeKeys: hasMergeKeys)
  }

  private func grow() {
    let larger = capacity * 2
    let moved = UnsafeMutablePointer<Node>.allocate(capacity: larger)
    moved.moveInitialize(from: base, count: count)
    base.deallocate()
    base = moved
    capacity = larger
  }
}

/// A document's nodes and arena as plain pointers: what its readers use, so
/// that reading a node is a bounds check and a load (no class property
/// access, which would cost a dynamic exclusivity check in other modules).
@usableFromInline
struct NodeBuffer: @unchecked Sendable {
  @usableFromInline let nodes: UnsafePointer<Node>
  @usableFromInline let count: Int
  @usableFromInline let arena: UnsafePointer<UInt8>
  /// Whether the table holds an alias.
  @usableFromInline let hasAliases: Bool
  /// Whether the table holds a plain `<<` scalar (a merge key).
  @usableFromInline let hasMergeKeys: Bool

  @usableFromInline
  init(
    nodes: UnsafePointer<Node>, count: Int, arena: UnsafePointer<UInt8>, hasAliases: Bool,
    hasMergeKeys: Bool
  ) {
    self.nodes = nodes
    self.count = count
    self.arena = arena
    self.hasAliases = hasAliases
    self.hasMergeKeys = hasMergeKeys
  }

  /// The node at `index`; traps when out of range. Cost: O(1).
  @inlinable
  subscript(index: Int32) -> Node {
    precondition(index >= 0 && Int(index) < count, "node index out of range")
    return nodes[Int(index)]
  }
}
