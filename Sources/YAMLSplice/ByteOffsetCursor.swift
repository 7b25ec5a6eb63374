/// Converts libyaml mark indices (counted in Unicode scalars, BOM excluded)
/// into UTF-8 byte offsets of the original input.
///
/// libyaml reports positions as character counts; every edit works on bytes.
/// Marks arrive in non-decreasing order, so the cursor only moves forward.
/// Between two non-ASCII bytes a character is a byte, so the cursor keeps
/// the offset of the next non-ASCII byte and converts a mark before it with
/// one addition; only multi-byte characters are stepped over one by one.
/// Converting all marks of a parse costs O(marks) plus one scan of the
/// input for non-ASCII bytes, eight bytes per step.
struct ByteOffsetCursor {
  private let base: UnsafePointer<UInt8>
  private let count: Int
  private var character = 0
  private var byte: Int
  /// The first byte at or after `byte` that is not ASCII, or `count`.
  private var nextNonASCII: Int

  /// Creates a cursor at the start of `input`, past a UTF-8 BOM if present.
  /// `input` must stay valid (and unmoved) while the cursor is used.
  init(_ input: UnsafeBufferPointer<UInt8>) {
    // An empty buffer may have no address; nothing is ever read through it.
    self.base = input.baseAddress ?? UnsafePointer(Self.emptyByte)
    self.count = input.count
    self.byte = 0
    self.nextNonASCII = 0
    reset()
  }

  /// The byte offset of the character with index `target` (the input's
  /// end when `target` lies beyond it).
  ///
  /// A target behind the cursor restarts from the beginning (libyaml never
  /// produces one for node events; error marks can). Cost: O(1) while no
  /// multi-byte character lies between the cursor and the target.
  @inline(__always)
  mutating func byteOffset(ofCharacter target: Int) -> Int {
    let distance = target - character
    if distance >= 0 && distance <= nextNonASCII - byte {
      byte += distance
      character = target
      return byte
    }
    return slowByteOffset(ofCharacter: target)
  }

  private mutating func slowByteOffset(ofCharacter target: Int) -> Int {
    if target < character { reset() }
    while true {
      let distance = target - character
      if distance <= nextNonASCII - byte {
        byte += distance
        character = target
        return byte
      }
      // Every byte up to the next non-ASCII one is a character of its own.
      character += nextNonASCII - byte
      byte = nextNonASCII
      guard byte < count else { return count }
      // One multi-byte character: its lead byte and continuation bytes.
      byte += 1
      while byte < count && base[byte] & 0xC0 == 0x80 { byte += 1 }
      character += 1
      nextNonASCII = Self.firstNonASCII(in: base, from: byte, count: count)
    }
  }

  /// The offset of the first byte ≥ 0x80 at or after `start`, or `count`.
  /// Cost: O(distance / 8).
  private static func firstNonASCII(in base: UnsafePointer<UInt8>, from start: Int, count: Int)
    -> Int
  {
    var index = start
    while index + 8 <= count {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      let high = word & 0x8080_8080_8080_8080
      if high != 0 { return index + high.trailingZeroBitCount / 8 }
      index += 8
    }
    while index < count && base[index] < 0x80 { index += 1 }
    return index
  }

  private nonisolated(unsafe) static let emptyByte = UnsafeMutablePointer<UInt8>.allocate(
    capacity: 1)

  private mutating func reset() {
    let hasBOM = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    byte = hasBOM ? 3 : 0
    character = 0
    nextNonASCII = Self.firstNonASCII(in: base, from: byte, count: count)
  }
}
