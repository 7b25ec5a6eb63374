/// Finds a source domain embedded in a Kubernetes object name, dotted
/// (`staging.example.com-tls`, `api.staging.example.com`) or dashed
/// (`api-staging-example-com-tls`). A dashed form is bounded by the name's
/// ends, `-` or `.`; a dotted one starts at the name's start or after a `.`
/// (as a host would: `app-staging.example.com` is not renamed, so renaming
/// and host matching never disagree) and ends at the end, `-` or `.`.
///
/// The replacement uses the same form (`mirror.example.com-tls`,
/// `api-mirror-example-com-tls`). A name already holding a `to` form that
/// ends where the match ends, and is at least as long, is left alone, so
/// renaming is idempotent.
struct SecretNameMatcher: Sendable {
  private struct Form {
    var from: [UInt8]
    var to: [UInt8]
    var dotted: Bool
  }

  private let forms: [Form]

  init(_ mappings: [HostMapping]) {
    var forms: [Form] = []
    for mapping in mappings {
      let from = Array(mapping.from.utf8)
      let to = Array(mapping.to.utf8)
      forms.append(Form(from: from, to: to, dotted: true))
      let dash = { (bytes: [UInt8]) in
        bytes.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "-") : $0 }
      }
      forms.append(Form(from: dash(from), to: dash(to), dotted: false))
    }
    self.forms = forms.sorted { $0.from.count > $1.from.count }
  }

  /// The renamed name, or nil when nothing in `name` matches. `gate`, when
  /// given, decides each occurrence: it gets the occurrence's byte range in
  /// `name` and whether it is the dotted form, and an occurrence it refuses
  /// stays as it is (see ``SecretRenames``). Cost: O(name · forms).
  func rename(
    _ name: [UInt8], gate: ((_ occurrence: Range<Int>, _ dotted: Bool) -> Bool)? = nil
  ) -> [UInt8]? {
    var output: [UInt8] = []
    var index = 0
    var changed = false
    while index < name.count {
      if let form = match(name, at: index),
        gate?(index..<index + form.from.count, form.dotted) ?? true
      {
        output += form.to
        index += form.from.count
        changed = true
      } else {
        output.append(name[index])
        index += 1
      }
    }
    return changed ? output : nil
  }

  private func match(_ name: [UInt8], at index: Int) -> Form? {
    for form in forms
    where Self.occurs(form.from, in: name, at: index)
      && Self.isBoundary(name, before: index, dotted: form.dotted)
    {
      let end = index + form.from.count
      guard Self.isBoundary(name, after: end) else { continue }
      let alreadyMirrored = forms.contains { other in
        other.to.count >= form.from.count && end >= other.to.count
          && Self.occurs(other.to, in: name, at: end - other.to.count)
          && Self.isBoundary(name, before: end - other.to.count, dotted: other.dotted)
      }
      if alreadyMirrored { return nil }
      return form
    }
    return nil
  }

  private static func occurs(_ needle: [UInt8], in name: [UInt8], at index: Int) -> Bool {
    guard index + needle.count <= name.count else { return false }
    for offset in 0..<needle.count
    where HostMatcher.lowercase(name[index + offset]) != needle[offset] {
      return false
    }
    return true
  }

  /// Start of the name, a `.`, any byte that cannot be in a host (as the
  /// host matcher cuts runs), or — for the dashed form — a `-`.
  static func isBoundary(_ name: [UInt8], before index: Int, dotted: Bool) -> Bool {
    guard index > 0 else { return true }
    let byte = name[index - 1]
    if byte == UInt8(ascii: "-") { return !dotted }
    return byte == UInt8(ascii: ".") || !HostMatcher.isHostByte(byte)
  }

  /// End of the name, `-`, `.`, or any byte that cannot be in a host.
  private static func isBoundary(_ name: [UInt8], after index: Int) -> Bool {
    index == name.count || name[index] == UInt8(ascii: "-") || name[index] == UInt8(ascii: ".")
      || !HostMatcher.isHostByte(name[index])
  }
}
