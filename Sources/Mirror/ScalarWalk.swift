import KRM
import YAMLSplice

/// Visits every scalar of a resource (mapping keys too) with its path,
/// iteratively (no recursion, whatever the depth).
enum ScalarWalk {
  /// Annotation key prefixes that belong to orchestrators or to krm-mirror
  /// itself: never rewritten, never reported.
  static let reservedAnnotationPrefixes = [
    "internal.config.kubernetes.io/", "config.kubernetes.io/", "config.k8s.io/",
    "kustomize.config.k8s.io/", "internal.kpt.dev/", "internal.config.k8s.io/",
    "krm-mirror.dev/",
  ]

  /// Whether an annotation key is reserved (see ``reservedAnnotationPrefixes``).
  static func isReservedAnnotation(_ key: String) -> Bool {
    reservedAnnotationPrefixes.contains { key.hasPrefix($0) }
  }

  /// What the walk is looking at.
  struct Visit {
    var node: NodeID
    var path: String
    /// The mapping keys from the resource's root to here (sequence steps
    /// leave no key).
    var keys: [String]
    var isKey: Bool
  }

  /// Calls `body` for every scalar under `item`, skipping any entry for
  /// which `skip(keys)` is true (with the entry's key chain). Cost: O(nodes).
  static func forEachScalar(
    in item: ResourceItem, skip: ([String]) -> Bool, _ body: (Visit) -> Void
  ) {
    let document = item.document
    var stack = [Visit(node: item.node, path: "", keys: [], isKey: false)]
    while let visit = stack.popLast() {
      switch document.kind(of: visit.node) {
      case .scalar:
        body(visit)
      case .mapping:
        for (key, value) in document.entries(of: visit.node).reversed() {
          let name = document.kind(of: key) == .scalar ? document.string(of: key) : "?"
          let keys = visit.keys + [name]
          if skip(keys) { continue }
          let path = FieldPath.appending(key: name, to: visit.path)
          stack.append(Visit(node: value, path: path, keys: keys, isKey: false))
          stack.append(Visit(node: key, path: path, keys: keys, isKey: true))
        }
      case .sequence:
        for (index, child) in document.children(of: visit.node).enumerated().reversed() {
          stack.append(
            Visit(node: child, path: "\(visit.path)[\(index)]", keys: visit.keys, isKey: false))
        }
      case .alias:
        break
      }
    }
  }
}
