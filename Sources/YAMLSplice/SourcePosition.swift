/// Line and column of a byte offset, plus the bounds of its line.
///
/// Lines break at `\n`, `\r\n` and a lone `\r`, as editors count them (NEL,
/// LS and PS, line breaks to libyaml, do not end a line here); columns count
/// Unicode scalars.
/// Cost: O(offset), so it is for diagnostics, not hot paths.
public struct SourcePosition: Equatable, Sendable {
  /// 1-based line number.
  public var line: Int
  /// 1-based column, in characters.
  public var column: Int
  /// Byte offset where the line starts.
  public var lineStart: Int
  /// Byte offset where the line ends (before its line break).
  public var lineEnd: Int

  /// Locates `byteOffset` (clamped to the input) in `source`.
  public init(byteOffset: Int, in source: [UInt8]) {
    let offset = max(0, min(byteOffset, source.count))
    var line = 1
    var lineStart = 0
    var index = 0
    let hasBOM = source.count >= 3 && source[0] == 0xEF && source[1] == 0xBB && source[2] == 0xBF
    if hasBOM && offset >= 3 {
      index = 3
      lineStart = 3
    }
    while index < offset {
      let byte = source[index]
      if byte == 0x0A || (byte == 0x0D && (index + 1 >= source.count || source[index + 1] != 0x0A))
      {
        line += 1
        lineStart = index + 1
      }
      index += 1
    }
    var column = 1
    var scan = lineStart
    while scan < offset {
      if source[scan] & 0xC0 != 0x80 { column += 1 }
      scan += 1
    }
    var lineEnd = offset
    while lineEnd < source.count && source[lineEnd] != 0x0A && source[lineEnd] != 0x0D {
      lineEnd += 1
    }
    self.line = line
    self.column = column
    self.lineStart = lineStart
    self.lineEnd = lineEnd
  }

  /// The number of line breaks in `bytes`, counted as ``init(byteOffset:in:)``
  /// counts them (a `\r\n` pair once). Cost: one pass over `bytes`.
  public static func lineBreaks(in bytes: [UInt8]) -> Int {
    bytes.withUnsafeBufferPointer { buffer in
      var count = 0
      var previous: UInt8 = 0
      for byte in buffer {
        if byte == 0x0A {
          if previous != 0x0D { count += 1 }
        } else if byte == 0x0D {
          count += 1
        }
        previous = byte
      }
      return count
    }
  }
}
