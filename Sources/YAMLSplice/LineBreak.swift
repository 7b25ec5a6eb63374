/// The line breaks libyaml knows: LF, CR, CR LF, and NEL, LS, PS in UTF-8
/// (after each of them a line starts at column 0). The one place the
/// editing code and the stream cutter recognise them. Cost: O(1).
enum LineBreak {
  /// The length of the break whose last byte is at `index`, 0 when none
  /// ends there (a CR followed by LF ends none: the LF does).
  static func length<Bytes: RandomAccessCollection<UInt8>>(
    endingAt index: Int, in bytes: Bytes
  ) -> Int where Bytes.Index == Int {
    guard index >= bytes.startIndex && index < bytes.endIndex else { return 0 }
    switch bytes[index] {
    case 0x0A: return index > bytes.startIndex && bytes[index - 1] == 0x0D ? 2 : 1
    case 0x0D: return index + 1 < bytes.endIndex && bytes[index + 1] == 0x0A ? 0 : 1
    case 0x85: return index > bytes.startIndex && bytes[index - 1] == 0xC2 ? 2 : 0
    case 0xA8, 0xA9:
      return index > bytes.startIndex + 1 && bytes[index - 1] == 0x80 && bytes[index - 2] == 0xE2
        ? 3 : 0
    default: return 0
    }
  }

  /// The length of the break that starts at `index`, 0 when none does.
  static func length<Bytes: RandomAccessCollection<UInt8>>(
    startingAt index: Int, in bytes: Bytes
  ) -> Int where Bytes.Index == Int {
    guard index >= bytes.startIndex && index < bytes.endIndex else { return 0 }
    switch bytes[index] {
    case 0x0A: return 1
    case 0x0D: return index + 1 < bytes.endIndex && bytes[index + 1] == 0x0A ? 2 : 1
    case 0xC2: return index + 1 < bytes.endIndex && bytes[index + 1] == 0x85 ? 2 : 0
    case 0xE2:
      return index + 2 < bytes.endIndex && bytes[index + 1] == 0x80
        && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9) ? 3 : 0
    default: return 0
    }
  }
}
