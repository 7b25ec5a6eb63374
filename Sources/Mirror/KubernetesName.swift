/// Kubernetes naming rules used to validate configuration values.
enum KubernetesName {
  /// A DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, starting
  /// and ending with a letter or digit, 253 bytes at most.
  static func isValidSubdomain(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.count <= 253 else { return false }
    return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
      let label = Array(part.utf8)
      return !label.isEmpty && label.allSatisfy { isLower($0) || isDigit($0) || $0 == 0x2D }
        && label.first != 0x2D && label.last != 0x2D
    }
  }

  /// An annotation or label key: `[prefix/]name`, the name 1–63 bytes of
  /// letters, digits, `-`, `_`, `.`, starting and ending alphanumeric; the
  /// prefix a DNS subdomain.
  static func isValidKey(_ key: String) -> Bool {
    let parts = key.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let name = parts.last else { return false }
    if parts.count == 2 && !isValidSubdomain(String(parts[0])) { return false }
    return !name.isEmpty && isValidLabelValue(String(name))
  }

  /// A label value: empty, or at most 63 bytes of letters, digits, `-`, `_`,
  /// `.`, starting and ending alphanumeric.
  static func isValidLabelValue(_ value: String) -> Bool {
    let bytes = Array(value.utf8)
    if bytes.isEmpty { return true }
    guard bytes.count <= 63, let first = bytes.first, let last = bytes.last,
      isAlphanumeric(first), isAlphanumeric(last)
    else { return false }
    return bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
  }

  private static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isLower(byte) || isDigit(byte) || (byte >= 0x41 && byte <= 0x5A)
  }
}
