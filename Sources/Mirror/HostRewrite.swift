public import KRM
import YAMLSplice

/// One rewritten field: where it is and its value before and after.
public struct HostRewrite: Equatable, Sendable {
  /// Concrete path, e.g. `spec.tls[0].hosts[1]`.
  public var path: String
  /// The whole value before.
  public var currentValue: String
  /// The whole value after.
  public var proposedValue: String
  /// The hosts replaced, as they were written (`*.staging.example.com`).
  public var originalHosts: [String]
  /// The mappings that applied.
  public var mappings: [HostMapping]

  /// The `info` result reporting this rewrite of a resource.
  public func result(resourceRef: KRMResult.ResourceRef, file: KRMResult.File?) -> KRMResult {
    KRMResult(
      message: "rewrote \(currentValue) to \(proposedValue)", severity: .info,
      resourceRef: resourceRef,
      field: .init(path: path, currentValue: currentValue, proposedValue: proposedValue),
      file: file)
  }
}
