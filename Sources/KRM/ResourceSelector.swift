/// kpt's `Selector`: fields AND-ed within one selector; a list of selectors
/// is OR-ed; `exclude` uses the same shape.
public struct ResourceSelector: Equatable, Sendable {
  /// Exact apiVersion, when set.
  public var apiVersion: String?
  /// Kind, when set.
  public var kind: String?
  /// metadata.name, when set.
  public var name: String?
  /// metadata.namespace, when set.
  public var namespace: String?
  /// Labels that must all be present with these values.
  public var labels: [String: String] = [:]
  /// Annotations that must all be present with these values.
  public var annotations: [String: String] = [:]

  /// Creates a selector; every field left out matches anything.
  public init(
    apiVersion: String? = nil, kind: String? = nil, name: String? = nil,
    namespace: String? = nil, labels: [String: String] = [:], annotations: [String: String] = [:]
  ) {
    self.apiVersion = apiVersion
    self.kind = kind
    self.name = name
    self.namespace = namespace
    self.labels = labels
    self.annotations = annotations
  }

  /// Whether the selector sets no field (and so matches everything).
  public var isEmpty: Bool {
    apiVersion == nil && kind == nil && name == nil && namespace == nil && labels.isEmpty
      && annotations.isEmpty
  }

  /// Whether `item` matches every field that is set.
  public func matches(_ item: ResourceItem) -> Bool {
    if let apiVersion, item.apiVersion != apiVersion { return false }
    if let kind, item.kind != kind { return false }
    if let name, item.name != name { return false }
    if let namespace, item.namespace != namespace { return false }
    for (key, value) in labels where item.label(key) != value { return false }
    for (key, value) in annotations where item.annotation(key) != value { return false }
    return true
  }

  /// kpt's rule for a function's `selectors` and `exclude`: selected when
  /// no selector is given or any matches, and no exclude matches.
  public static func selects(
    _ item: ResourceItem, selectors: [ResourceSelector], exclude: [ResourceSelector]
  ) -> Bool {
    (selectors.isEmpty || selectors.contains { $0.matches(item) })
      && !exclude.contains { $0.matches(item) }
  }
}
