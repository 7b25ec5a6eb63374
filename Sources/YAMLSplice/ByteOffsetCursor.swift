/// Converts libyaml mark indices (counted in Unicode scalars, BOM excluded)
/// into UTF-8 byte offsets of the original input.
///
/// libyaml reports positions as character counts; every edit works on bytes.
/// Marks arrive in non-decreasing order, so the cursor only moves forward:
/// converting all marks of a parse costs O(input bytes) in total, eight ASCII
/// bytes per step where it can.
struct ByteOffsetCursor {
  private let base: UnsafePointer<UInt8>
  private let count: Int
  private var character = 0
  private var byte: Int

  /// Creates a cursor at the start of `input`, past a UTF-8 BOM if present.
  /// `input` must stay valid (and unmoved) while the cursor is used.
  init(_ input: UnsafeBufferPointer<UInt8>) {
    // An empty buffer may have no address; nothing is ever read through it.
    self.base = input.baseAddress ?? UnsafePointer(Self.emptyByte)
    self.count = input.count
    let hasBOM = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    self.byte = hasBOM ? 3 : 0
  }

  /// The byte offset of the character with index `target`.
  ///
  /// A target behind the cursor restarts from the beginning (libyaml never
  /// produces one for node events; error marks can). Cost: O(distance).
  mutating func byteOffset(ofCharacter target: Int) -> Int {
    if target < character { reset() }
    var b = byte
    var c = character
    while target - c >= 8 && b + 8 <= count {
      let word = UnsafeRawPointer(base + b).loadUnaligned(as: UInt64.self)
      if word & 0x8080_8080_8080_8080 != 0 { break }
      b += 8
      c += 8
    }
    while c < target && b < count {
      b += 1
      while b < count && base[b] & 0xC0 == 0x80 { b += 1 }
      c += 1
    }
    byte = b
    character = c
    return b
  }

  private nonisolated(unsafe) static let emptyByte = UnsafeMutablePointer<UInt8>.allocate(
    capacity: 1)

  private mutating func reset() {
    let hasBOM = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    byte = hasBOM ? 3 : 0
    character = 0
  }
}
