/// A strict JSON (RFC 8259) recognizer over bytes, for the property "JSON
/// in, JSON out": a YAML parser accepts far more than JSON, so output that
/// YAML reads may still not be JSON.
public enum StrictJSON {
  /// Whether `bytes` (after an optional UTF-8 byte order mark) are one or
  /// more JSON values separated by JSON white space: a JSON document, or
  /// concatenated ones (`jq -c`). Nil when nesting is too deep to tell.
  /// Cost: O(bytes).
  public static func isValueSequence(_ bytes: [UInt8]) -> Bool? {
    var reader = Reader(bytes: bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
    reader.skipSpace()
    guard !reader.atEnd else { return false }
    while !reader.atEnd {
      switch reader.value(depth: 0) {
      case .some(true): reader.skipSpace()
      case .some(false): return false
      case nil: return nil
      }
    }
    return true
  }

  private struct Reader {
    let bytes: [UInt8]
    var index = 0
    static let maximumDepth = 400

    var atEnd: Bool { index >= bytes.count }

    mutating func skipSpace() {
      while index < bytes.count,
        bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A
          || bytes[index] == 0x0D
      {
        index += 1
      }
    }

    mutating func take(_ byte: Character) -> Bool {
      guard index < bytes.count, bytes[index] == byte.asciiValue else { return false }
      index += 1
      return true
    }

    /// One value; nil when too deep.
    mutating func value(depth: Int) -> Bool? {
      guard depth < Self.maximumDepth else { return nil }
      guard index < bytes.count else { return false }
      switch bytes[index] {
      case UInt8(ascii: "{"):
        index += 1
        skipSpace()
        if take("}") { return true }
        while true {
          guard string() else { return false }
          skipSpace()
          guard take(":") else { return false }
          skipSpace()
          guard let inner = value(depth: depth + 1) else { return nil }
          guard inner else { return false }
          skipSpace()
          if take("}") { return true }
          guard take(",") else { return false }
          skipSpace()
        }
      case UInt8(ascii: "["):
        index += 1
        skipSpace()
        if take("]") { return true }
        while true {
          guard let inner = value(depth: depth + 1) else { return nil }
          guard inner else { return false }
          skipSpace()
          if take("]") { return true }
          guard take(",") else { return false }
          skipSpace()
        }
      case UInt8(ascii: "\""):
        return string()
      case UInt8(ascii: "t"): return literal("true")
      case UInt8(ascii: "f"): return literal("false")
      case UInt8(ascii: "n"): return literal("null")
      default: return number()
      }
    }

    mutating func literal(_ word: StaticString) -> Bool {
      let count = word.utf8CodeUnitCount
      guard index + count <= bytes.count else { return false }
      for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
        return false
      }
      index += count
      return true
    }

    mutating func string() -> Bool {
      guard take("\"") else { return false }
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return true
        case UInt8(ascii: "\\"):
          guard index < bytes.count else { return false }
          let escaped = bytes[index]
          index += 1
          if escaped == UInt8(ascii: "u") {
            guard index + 4 <= bytes.count,
              bytes[index..<index + 4].allSatisfy({ Self.isHexDigit($0) })
            else { return false }
            index += 4
          } else if !"\"\\/bfnrt".utf8.contains(escaped) {
            return false
          }
        case 0..<0x20: return false
        default: break
        }
      }
      return false
    }

    mutating func number() -> Bool {
      _ = take("-")
      guard index < bytes.count, Self.isDigit(bytes[index]) else { return false }
      if bytes[index] == UInt8(ascii: "0") {
        index += 1
      } else {
        digits()
      }
      if take(".") {
        guard index < bytes.count, Self.isDigit(bytes[index]) else { return false }
        digits()
      }
      if take("e") || take("E") {
        if !take("+") { _ = take("-") }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { return false }
        digits()
      }
      // A value ends at white space, a separator or the end.
      guard index < bytes.count else { return true }
      return " \t\r\n,]}".utf8.contains(bytes[index])
    }

    mutating func digits() {
      while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isHexDigit(_ byte: UInt8) -> Bool {
      isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
    }
  }
}
