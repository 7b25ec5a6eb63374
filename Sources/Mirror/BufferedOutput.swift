/// Gathers output pieces and writes them in blocks of about 1 MiB, so that
/// a large output is never held whole. Cost: one copy of each piece.
struct BufferedOutput {
  private let write: ([UInt8]) -> Bool
  private var buffer: [UInt8] = []
  /// Whether a write failed (later pieces are dropped).
  private(set) var failed = false
  private static let blockSize = 1 << 20

  /// Creates an output writing through `write`.
  init(write: @escaping ([UInt8]) -> Bool) {
    self.write = write
    buffer.reserveCapacity(Self.blockSize)
  }

  /// Adds a piece; writes the block when it is full.
  mutating func append(_ piece: ArraySlice<UInt8>) {
    guard !failed else { return }
    buffer.append(contentsOf: piece)
    if buffer.count >= Self.blockSize { flush() }
  }

  /// Writes what is gathered; returns false when any write failed.
  @discardableResult
  mutating func flush() -> Bool {
    if !failed && !buffer.isEmpty && !write(buffer) { failed = true }
    buffer.removeAll(keepingCapacity: true)
    return !failed
  }
}
