/// Where a leftover (a host under a source domain still in a resource after
/// the run) sits, which decides what the user can do about it. Each
/// leftover result names its category.
///
/// Places krm-mirror must never rewrite (API groups, label and annotation
/// keys, orchestrator annotations, `status`, CustomResourceDefinition and
/// APIService objects) are not leftovers and have no category.
public enum LeftoverCategory: UInt8, Sendable, CaseIterable {
  /// A string value: no host field covers it, or text mode met a form of
  /// host it does not rewrite.
  case value
  /// An object's identity: `metadata.name`, `namespace`, a label value.
  /// krm-mirror never rewrites those, text mode included.
  case identity
  /// A mapping key (other than a label or annotation key): never rewritten.
  case key

  /// The category's name, as results write it.
  public var name: StaticString {
    switch self {
    case .value: "value"
    case .identity: "identity"
    case .key: "key"
    }
  }
}
