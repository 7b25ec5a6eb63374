/// Writes scalar values as YAML tokens: plain when that reads back as the
/// same string, otherwise quoted.
public enum ScalarWriter {
  /// Whether `value` can be written as a plain scalar and read back as the
  /// same string (not a bool, null or number). With `inFlow` (the default)
  /// it must also be safe inside `[]`/`{}`, so `,[]{}` are refused anywhere.
  /// An indicator may start it where libyaml reads a plain scalar: `-`
  /// followed by a non-blank anywhere (`--flag=x`), `?` and `:` followed by
  /// a non-blank outside flow collections (`:name`); never a `---` that
  /// could read as a document marker.
  ///
  /// Conservative: anything doubtful is reported unsafe. Cost: O(value),
  /// one table lookup per byte, no allocation.
  public static func isPlainSafe(
    _ value: some BidirectionalCollection<UInt8>, inFlow: Bool = true
  ) -> Bool {
    if let safe = value.withContiguousStorageIfAvailable({ isPlainSafe($0, inFlow: inFlow) }) {
      return safe
    }
    return isPlainSafe(Array(value), inFlow: inFlow)
  }

  /// ``isPlainSafe(_:inFlow:)`` over contiguous bytes: one table lookup
  /// per byte, the bytes that need a closer look (controls, blanks, `#`,
  /// `:`, flow indicators) flagged by the table.
  public static func isPlainSafe(_ value: UnsafeBufferPointer<UInt8>, inFlow: Bool = true)
    -> Bool
  {
    guard let base = value.baseAddress, value.count > 0 else { return false }
    let table = ByteClass.lookup
    let count = value.count
    let first = base[0]
    let last = base[count - 1]
    if table[Int(last)] & ByteClass.blank.rawValue != 0 { return false }
    if table[Int(first)] & ByteClass.startIndicator.rawValue != 0
      && !startsWithPlainIndicator(value, inFlow: inFlow)
    {
      return false
    }
    var any: UInt8 = 0
    var all: UInt8 = 0xFF
    var bytes: UInt8 = 0
    var index = 0
    while index < count {
      let byte = base[index]
      let classes = table[Int(byte)]
      bytes |= byte
      any |= classes
      all &= classes
      if classes & ByteClass.needsCheck.rawValue != 0 {
        if classes & ByteClass.control.rawValue != 0 { return false }
        if inFlow && classes & ByteClass.flowIndicator.rawValue != 0 { return false }
        if index > 0 {
          let previous = base[index - 1]
          if byte == UInt8(ascii: "#") && (previous == 0x20 || previous == 0x09) { return false }
          if previous == UInt8(ascii: ":") && (byte == 0x20 || byte == 0x09) { return false }
        }
      }
      index += 1
    }
    if bytes & 0x80 != 0 && hasSpecialCharacter(value) { return false }
    let hasDigit = any & ByteClass.digit.rawValue != 0
    let numberLike = all & ByteClass.numberish.rawValue != 0
    if last == UInt8(ascii: ":") || (hasDigit && numberLike) { return false }
    return count > 5 || !isReservedWord(value)
  }

  /// Whether `value`, which starts with an indicator, still starts a plain
  /// scalar (libyaml's rule): `-` followed by a non-blank, or in block
  /// context `?` or `:` followed by a non-blank; not `---` alone or before
  /// a blank, which at a line start is a document marker.
  static func startsWithPlainIndicator(_ value: UnsafeBufferPointer<UInt8>, inFlow: Bool)
    -> Bool
  {
    guard value.count >= 2 else { return false }
    let first = value[0]
    let second = value[1]
    guard second != 0x20 && second != 0x09 && second >= 0x20 else { return false }
    switch first {
    case UInt8(ascii: "-"):
      if value.count >= 3 && second == first && value[2] == first {
        return value.count > 3 && value[3] != 0x20 && value[3] != 0x09
      }
      return true
    case UInt8(ascii: "?"), UInt8(ascii: ":"):
      return !inFlow
    default:
      return false
    }
  }

  /// Whether a short value reads as a YAML 1.1 bool or null, or is a merge
  /// key or `=`: written plain, it would not be a string.
  static func isReservedWord(_ value: some Collection<UInt8>) -> Bool {
    guard value.count <= 5 else { return false }
    return reservedWords.contains { word in
      word.count == value.count
        && zip(word, value).allSatisfy { $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }
    }
  }

  /// YAML 1.1 bools and nulls, the merge key and `=`, lower-cased.
  private static let reservedWords: [[UInt8]] = [
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ".inf", "-.inf", "+.inf",
    ".nan", "<<", "=",
  ].map { Array($0.utf8) }

  /// Byte classes for the plain-scalar check, looked up in a table.
  struct ByteClass: OptionSet {
    let rawValue: UInt8
    static let startIndicator = ByteClass(rawValue: 1)
    static let flowIndicator = ByteClass(rawValue: 2)
    static let digit = ByteClass(rawValue: 4)
    static let numberPart = ByteClass(rawValue: 8)
    static let control = ByteClass(rawValue: 16)
    static let blank = ByteClass(rawValue: 32)
    /// A byte the plain check must look at closely: a control, blank, `#`,
    /// `:` or flow indicator.
    static let needsCheck = ByteClass(rawValue: 64)
    /// A digit or a byte that can be part of a number.
    static let numberish = ByteClass(rawValue: 128)

    static func of(_ byte: UInt8) -> ByteClass { ByteClass(rawValue: lookup[Int(byte)]) }

    /// The table, allocated once and never freed: a plain pointer, so a
    /// lookup is a load (an array would be retained on every use).
    nonisolated(unsafe) static let lookup: UnsafePointer<UInt8> = {
      let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
      for index in 0..<256 {
        let byte = UInt8(index)
        var classes: ByteClass = []
        if "-?:,[]{}#&*!|>'\"%@`".utf8.contains(byte) || byte == 0x20 || byte == 0x09 {
          classes.insert(.startIndicator)
        }
        if ",[]{}".utf8.contains(byte) { classes.insert(.flowIndicator) }
        if byte >= 0x30 && byte <= 0x39 { classes.insert(.digit) }
        if "+-._eExXoObBaAcCdDfF:".utf8.contains(byte) { classes.insert(.numberPart) }
        if byte < 0x20 || byte == 0x7F { classes.insert(.control) }
        if byte == 0x20 || byte == 0x09 { classes.insert(.blank) }
        if classes.contains(.control) || classes.contains(.blank)
          || classes.contains(.flowIndicator)
          || byte == UInt8(ascii: "#") || byte == UInt8(ascii: ":")
        {
          classes.insert(.needsCheck)
        }
        if classes.contains(.digit) || classes.contains(.numberPart) { classes.insert(.numberish) }
        table[index] = classes.rawValue
      }
      return UnsafePointer(table)
    }()
  }

  /// Appends a token for `text` to `out`: plain when safe, else
  /// double-quoted; always double-quoted with `json`. No intermediate copy.
  public static func appendToken(
    _ text: String, json: Bool = false, inFlow: Bool = true, to out: inout [UInt8]
  ) {
    var text = text
    text.withUTF8 { appendToken($0, json: json, inFlow: inFlow, to: &out) }
  }

  /// ``appendToken(_:json:inFlow:to:)`` for UTF-8 bytes, into a writer.
  public static func appendToken(
    _ bytes: UnsafeBufferPointer<UInt8>, json: Bool = false, inFlow: Bool = true,
    to out: inout ByteWriter
  ) {
    if !json && isPlainSafe(bytes, inFlow: inFlow) {
      out.append(bytes)
    } else if hasSpecialCharacter(bytes) {
      var quoted: [UInt8] = []
      appendDoubleQuoted(bytes, to: &quoted)
      out.append(quoted)
    } else {
      // What appendDoubleQuoted writes, runs that need no escape copied whole.
      out.append(UInt8(ascii: "\""))
      var runStart = 0
      for (index, byte) in bytes.enumerated()
      where byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
      {
        out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        var escaped: [UInt8] = []
        appendDoubleQuotedByte(byte, to: &escaped)
        out.append(escaped)
        runStart = index + 1
      }
      out.append(UnsafeBufferPointer(rebasing: bytes[runStart...]))
      out.append(UInt8(ascii: "\""))
    }
  }

  /// ``appendToken(_:json:inFlow:to:)`` for UTF-8 bytes.
  public static func appendToken(
    _ bytes: UnsafeBufferPointer<UInt8>, json: Bool = false, inFlow: Bool = true,
    to out: inout [UInt8]
  ) {
    if !json && isPlainSafe(bytes, inFlow: inFlow) {
      out.append(contentsOf: bytes)
    } else {
      appendDoubleQuoted(bytes, to: &out)
    }
  }

  /// `value` as a double-quoted token, escaping `"`, `\` and control
  /// characters; valid YAML and valid JSON.
  public static func doubleQuoted(_ value: some Collection<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    appendDoubleQuoted(value, to: &out)
    return out
  }

  /// Appends ``doubleQuoted(_:)`` of `value` to `out`. Characters YAML does
  /// not allow unescaped (C0 and C1 controls, U+2028/2029 line separators,
  /// U+FEFF, U+FFFE/FFFF) are written as `\uXXXX`.
  public static func appendDoubleQuoted(_ value: some Collection<UInt8>, to out: inout [UInt8]) {
    if hasSpecialCharacter(value) {
      appendEscapingSpecials(Array(value), to: &out)
      return
    }
    out.append(UInt8(ascii: "\""))
    for byte in value { appendDoubleQuotedByte(byte, to: &out) }
    out.append(UInt8(ascii: "\""))
  }

  /// Appends one byte of a double-quoted token, escaped when it must be.
  static func appendDoubleQuotedByte(_ byte: UInt8, to out: inout [UInt8]) {
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"):
      out.append(UInt8(ascii: "\\"))
      out.append(byte)
    case 0x0A:
      out.append(UInt8(ascii: "\\"))
      out.append(UInt8(ascii: "n"))
    case 0x0D:
      out.append(UInt8(ascii: "\\"))
      out.append(UInt8(ascii: "r"))
    case 0x09:
      out.append(UInt8(ascii: "\\"))
      out.append(UInt8(ascii: "t"))
    case 0..<0x20, 0x7F:
      let hex: StaticString = "0123456789abcdef"
      out.append(contentsOf: "\\u00".utf8)
      out.append(hex.utf8Start[Int(byte >> 4)])
      out.append(hex.utf8Start[Int(byte & 0xF)])
    default: out.append(byte)
    }
  }

  /// `value` as a single-quoted token, or nil when it holds a line break or
  /// control character (single quotes cannot escape those).
  public static func singleQuoted(_ value: some Collection<UInt8>) -> [UInt8]? {
    if hasSpecialCharacter(value) { return nil }
    var out: [UInt8] = [UInt8(ascii: "'")]
    for byte in value {
      if byte < 0x20 || byte == 0x7F { return nil }
      out.append(byte)
      if byte == UInt8(ascii: "'") { out.append(byte) }
    }
    out.append(UInt8(ascii: "'"))
    return out
  }

  /// Whether `value` holds a multi-byte character that YAML does not allow
  /// unescaped, or that libyaml reads as a line break: C1 controls
  /// (U+0080–U+009F), U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF.
  static func hasSpecialCharacter(_ value: some Collection<UInt8>) -> Bool {
    if let found = value.withContiguousStorageIfAvailable({ hasSpecialCharacter($0) }) {
      return found
    }
    return hasSpecialCharacter(Array(value))
  }

  /// ``hasSpecialCharacter(_:)`` over contiguous bytes: ASCII runs are
  /// skipped eight bytes at a time, since every such character has a
  /// lead byte of 0xC2, 0xE2 or 0xEF. Cost: O(value).
  static func hasSpecialCharacter(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = value.baseAddress else { return false }
    let count = value.count
    var index = 0
    while index < count {
      if index + 8 <= count,
        UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        index += 8
        continue
      }
      let byte = base[index]
      if byte == 0xC2 && index + 1 < count && base[index + 1] >= 0x80 && base[index + 1] <= 0x9F {
        return true
      }
      if byte == 0xE2 && index + 2 < count && base[index + 1] == 0x80
        && (base[index + 2] == 0xA8 || base[index + 2] == 0xA9)
      {
        return true
      }
      if byte == 0xEF && index + 2 < count
        && ((base[index + 1] == 0xBB && base[index + 2] == 0xBF)
          || (base[index + 1] == 0xBF && (base[index + 2] == 0xBE || base[index + 2] == 0xBF)))
      {
        return true
      }
      index += 1
    }
    return false
  }

  /// The double-quoted token for a value with special characters: decoded
  /// as UTF-8, every control or special character escaped as `\uXXXX`.
  private static func appendEscapingSpecials(_ bytes: [UInt8], to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
      let value = scalar.value
      switch value {
      case 0x22: out.append(contentsOf: "\\\"".utf8)
      case 0x5C: out.append(contentsOf: "\\\\".utf8)
      case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF:
        let hex = String(value, radix: 16, uppercase: true)
        out.append(contentsOf: "\\u".utf8)
        out.append(contentsOf: String(repeating: "0", count: max(0, 4 - hex.count)).utf8)
        out.append(contentsOf: hex.utf8)
      default:
        out.append(contentsOf: String(scalar).utf8)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// A token for `value` in a new node: plain when safe, else double-quoted.
  /// With `json`, always double-quoted (for documents written as JSON).
  public static func token(
    for value: some BidirectionalCollection<UInt8>, json: Bool = false, inFlow: Bool = true
  ) -> [UInt8] {
    if !json && isPlainSafe(value, inFlow: inFlow) { return Array(value) }
    return doubleQuoted(value)
  }

  /// A token for `value` that keeps `style` where the value allows it;
  /// otherwise the nearest safe style (single, then double quotes).
  /// Block styles are rewritten as double-quoted tokens. `inFlow` says
  /// whether the token sits inside `[]`/`{}`.
  public static func token(
    for value: some BidirectionalCollection<UInt8>, keeping style: NodeStyle, inFlow: Bool = true
  ) -> [UInt8] {
    switch style {
    case .plain where isPlainSafe(value, inFlow: inFlow):
      return Array(value)
    case .plain, .singleQuoted:
      return singleQuoted(value) ?? doubleQuoted(value)
    default:
      return doubleQuoted(value)
    }
  }
}
