/// The storage behind a ``Document``: its node table and the arena holding
/// scalar values that are not verbatim in the source.
///
/// One allocation per table, grown by doubling and reused by the parser for
/// the next item when no document still refers to it, so parsing a list of
/// items allocates about once, not once per item and node. Written only
/// while the parser builds it; a ``Document`` only reads it.
final class NodeTable: @unchecked Sendable {
  /// The nodes, `count` of them initialized.
  private(set) var base: UnsafeMutablePointer<Node>
  /// Number of nodes.
  private(set) var count = 0
  private var capacity: Int
  /// Decoded values of scalars that are not verbatim in the source.
  var arena: [UInt8] = []

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

  /// Direct access for the builder: the node at `index`, which must exist.
  @inline(__always)
  func withNode(_ index: Int32, _ body: (inout Node) -> Void) {
    precondition(index >= 0 && Int(index) < count, "node index out of range")
    body(&base[Int(index)])
  }

  /// Empties the table, keeping its capacity.
  func removeAll() {
    count = 0
    arena.removeAll(keepingCapacity: true)
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
