import YAMLSplice

/// Gathers output pieces and writes them in blocks of about 1 MiB, so that
/// a large output is never held whole. Cost: one copy of each piece.
struct BufferedOutput: ~Copyable {
  private let write: (UnsafeBufferPointer<UInt8>) -> Bool
  /// What is gathered and not written yet; renderers append to it directly
  /// and call ``flushIfFull()``.
  var buffer: ByteWriter
  /// Whether a write failed (later pieces are dropped).
  private(set) var failed = false
  private static let blockSize = 1 << 20

  /// Creates an output writing through `write`.
  init(write: @escaping (UnsafeBufferPointer<UInt8>) -> Bool) {
    self.write = write
    // Grows to a block as output comes: a small run never touches more.
    buffer = ByteWriter(capacity: 1 << 16)
  }

  /// Adds a piece; writes the block when it is full.
  mutating func append(_ piece: UnsafeBufferPointer<UInt8>) {
    guard !failed else { return }
    buffer.append(piece)
    flushIfFull()
  }

  /// Writes the block when it is full.
  mutating func flushIfFull() {
    if buffer.count >= Self.blockSize { flush() }
  }

  /// Writes what is gathered; returns false when any write failed.
  @discardableResult
  mutating func flush() -> Bool {
    if !failed && buffer.count > 0 && !buffer.withBytes({ write($0) }) { failed = true }
    buffer.removeAll()
    return !failed
  }
}
