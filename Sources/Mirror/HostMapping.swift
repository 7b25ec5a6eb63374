/// One domain mapping: hosts at or under `from` move under `to`.
///
/// Both domains are stored in lowercase without a trailing dot; matching is
/// case-insensitive.
public struct HostMapping: Equatable, Hashable, Sendable {
  /// The source domain, lowercase.
  public let from: String
  /// The mirror domain, lowercase.
  public let to: String

  /// Creates a mapping after validating both domains; throws a message
  /// naming the problem (`from` and `to` must be valid DNS names and differ).
  public init(from: String, to: String) throws(DomainError) {
    let from = try Self.normalized(from, role: "from")
    let to = try Self.normalized(to, role: "to")
    guard from != to else {
      throw DomainError(field: "to", message: "from and to are the same domain (\(from))")
    }
    self.from = from
    self.to = to
  }

  /// `from=to`, as the provenance annotation lists mappings.
  public var pair: String { "\(from)=\(to)" }

  /// Lowercases `domain`, drops one trailing dot and checks it is a DNS name:
  /// labels of letters, digits, `-` and `_`, 1–63 bytes, not starting or
  /// ending with `-`, at least two labels, 253 bytes at most.
  static func normalized(_ domain: String, role: String) throws(DomainError) -> String {
    var text = domain.lowercased()
    if text.hasSuffix(".") { text.removeLast() }
    guard !text.isEmpty else { throw DomainError(field: role, message: "empty domain") }
    guard text.utf8.count <= 253 else {
      throw DomainError(field: role, message: "domain longer than 253 bytes: \(domain)")
    }
    let labels = text.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2 else {
      throw DomainError(
        field: role, message: "not a domain (needs at least two labels): \(domain)")
    }
    for label in labels {
      let bytes = Array(label.utf8)
      guard !bytes.isEmpty, bytes.count <= 63, bytes.allSatisfy(isHostLabelByte),
        bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
      else { throw DomainError(field: role, message: "invalid domain: \(domain)") }
    }
    return text
  }
}

/// A domain in the configuration that is not acceptable.
public struct DomainError: Error, Equatable, Sendable {
  /// `from` or `to`.
  public var field: String
  /// What is wrong.
  public var message: String
}

/// Whether `byte` may appear in a host label (letters, digits, `-`, `_`).
@inline(__always)
func isHostLabelByte(_ byte: UInt8) -> Bool {
  (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
    || byte == UInt8(ascii: "_")
}
