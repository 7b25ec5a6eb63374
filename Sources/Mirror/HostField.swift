/// A place in a resource that carries hostnames, and how they are written.
public struct HostField: Equatable, Sendable {
  /// The API groups the field applies to (`networking.k8s.io`, `""` for the
  /// core group); empty means any group.
  public var groups: [String]
  /// The kinds the field applies to; empty means any kind.
  public var kinds: [String]
  /// Where the value is.
  public var path: FieldPath

  /// Whether the field applies to a resource of `apiVersion` and `kind`.
  public func applies(apiVersion: String, kind: String) -> Bool {
    let group =
      apiVersion.split(separator: "/").count == 2
      ? String(apiVersion.split(separator: "/")[0]) : ""
    return (kinds.isEmpty || kinds.contains(kind)) && (groups.isEmpty || groups.contains(group))
  }
}

/// The built-in host-bearing fields: one line per kind and path.
public enum HostFieldTable {
  /// Ingress in all served versions (`networking.k8s.io/v1`, `v1beta1`,
  /// `extensions/v1beta1`).
  static let ingressGroups = ["networking.k8s.io", "extensions"]

  /// Every built-in field.
  public static let builtIn: [HostField] = [
    (ingressGroups, ["Ingress"], "spec.rules[].host"),
    (ingressGroups, ["Ingress"], "spec.tls[].hosts[]"),
  ].compactMap { groups, kinds, path in
    // A malformed path would drop its line; the table test checks none is.
    FieldPath(path).map { HostField(groups: groups, kinds: kinds, path: $0) }
  }

  /// The fields that apply to a resource.
  public static func fields(apiVersion: String, kind: String) -> [HostField] {
    builtIn.filter { $0.applies(apiVersion: apiVersion, kind: kind) }
  }
}
