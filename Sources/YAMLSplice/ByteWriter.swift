/// A growable buffer that output is written into: an append is a capacity
/// check and a copy, where `[UInt8].append(contentsOf:)` costs a generic
/// call of about a hundred instructions per piece. Rendering results and
/// splicing output append millions of small pieces.
///
/// Noncopyable: it owns its memory.
public struct ByteWriter: ~Copyable {
  @usableFromInline var base: UnsafeMutablePointer<UInt8>
  @usableFromInline var capacity: Int
  @usableFromInline var written = 0
  /// Number of bytes written.
  public var count: Int { written }

  /// An empty buffer with room for `capacity` bytes.
  public init(capacity: Int = 4096) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Makes room for `extra` more bytes. Cost: amortized O(1) per byte.
  @inlinable
  public mutating func reserve(_ extra: Int) {
    if written + extra > capacity { grow(to: written + extra) }
  }

  @usableFromInline
  mutating func grow(to needed: Int) {
    var larger = capacity * 2
    while larger < needed { larger *= 2 }
    let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
    moved.moveInitialize(from: base, count: written)
    base.deallocate()
    base = moved
    capacity = larger
  }

  /// Appends one byte.
  @inlinable
  public mutating func append(_ byte: UInt8) {
    reserve(1)
    base[written] = byte
    written += 1
  }

  /// Appends `bytes`.
  @inlinable
  public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count)
    (base + written).update(from: source, count: bytes.count)
    written += bytes.count
  }

  /// Appends the bytes of `array`.
  @inlinable
  public mutating func append(_ array: [UInt8]) {
    array.withUnsafeBufferPointer { append($0) }
  }

  /// Appends the bytes of a string literal.
  @inlinable
  public mutating func append(_ text: StaticString) {
    append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends `count` spaces.
  @inlinable
  public mutating func appendSpaces(_ spaces: Int) {
    guard spaces > 0 else { return }
    reserve(spaces)
    (base + written).update(repeating: 0x20, count: spaces)
    written += spaces
  }

  /// Appends `number` in decimal.
  public mutating func append(decimal number: Int) {
    if number >= 0 && number < 10 {
      append(UInt8(ascii: "0") + UInt8(number))
    } else {
      append(Array(String(number).utf8))
    }
  }

  /// Calls `body` with the bytes written so far.
  public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(start: base, count: written))
  }

  /// The bytes written so far, as an array (a copy).
  public var bytes: [UInt8] { withBytes { Array($0) } }

  /// Forgets what was written, keeping the capacity.
  public mutating func removeAll() { written = 0 }
}
