import KRM
import YAMLSplice

/// Walks every scalar of a resource (mapping keys too), iteratively, in
/// document order; the path of a scalar is built only when asked for.
///
/// Cost: O(nodes) with one small frame per node and no allocation per
/// node; paths cost O(depth) each and are only made for the scalars a
/// caller reports.
struct ScalarWalk {
  /// Annotation key prefixes that belong to orchestrators or to krm-mirror
  /// itself: never rewritten, never reported.
  static let reservedAnnotationPrefixes = [
    "internal.config.kubernetes.io/", "config.kubernetes.io/", "config.k8s.io/",
    "kustomize.config.k8s.io/", "internal.kpt.dev/", "internal.config.k8s.io/",
    "krm-mirror.dev/",
  ]
  private static let reservedPrefixBytes = reservedAnnotationPrefixes.map { Array($0.utf8) }

  /// Whether an annotation key is reserved (see ``reservedAnnotationPrefixes``).
  static func isReservedAnnotation(_ key: String) -> Bool {
    reservedAnnotationPrefixes.contains { key.hasPrefix($0) }
  }

  /// ``isReservedAnnotation(_:)`` for a key node, read in place.
  static func isReservedAnnotation(_ document: Document, _ key: NodeID) -> Bool {
    document.kind(of: key) == .scalar
      && document.withValue(of: key) { value in
        reservedPrefixBytes.contains { prefix in
          value.count >= prefix.count && value.prefix(prefix.count).elementsEqual(prefix)
        }
      }
  }

  /// Where an entry sits, as far as skip rules care.
  enum Context: UInt8 {
    /// The resource's top-level mapping.
    case root
    /// `metadata`.
    case metadata
    /// `metadata.annotations`.
    case annotations
    /// Anywhere else.
    case other
  }

  /// A scalar reached by the walk.
  struct Visit {
    /// The scalar.
    var node: NodeID
    /// Whether it is a mapping key.
    var isKey: Bool
    /// Its frame, for ``ScalarWalk/path(of:)``.
    var frame: Int
  }

  private struct Frame {
    var node: NodeID
    var parent: Int32
    /// The mapping key node that leads here; nil for a sequence item.
    var key: NodeID?
    /// The sequence index that leads here.
    var index: Int32
    var isKey: Bool
    /// The context of this node's own entries, when it is a mapping.
    var context: Context
  }

  let document: Document
  private var frames: [Frame] = []
  private var pending: [Int] = []

  /// Starts a walk at `item`'s node.
  init(_ item: ResourceItem) {
    document = item.document
    frames = [
      Frame(node: item.node, parent: -1, key: nil, index: 0, isKey: false, context: .root)
    ]
    pending = [0]
  }

  /// The next scalar, leaving out every entry for which `skip(context,
  /// key)` is true.
  mutating func next(skip: (Context, NodeID) -> Bool) -> Visit? {
    while let index = pending.popLast() {
      let frame = frames[index]
      switch document.kind(of: frame.node) {
      case .scalar:
        return Visit(node: frame.node, isKey: frame.isKey, frame: index)
      case .mapping:
        let firstChild = frames.count
        var child = document.children(of: frame.node).makeIterator()
        while let key = child.next(), let value = child.next() {
          if frame.context != .other && skip(frame.context, key) { continue }
          let context = childContext(frame.context, key)
          frames.append(
            Frame(
              node: key, parent: Int32(index), key: key, index: 0, isKey: true, context: .other))
          frames.append(
            Frame(
              node: value, parent: Int32(index), key: key, index: 0, isKey: false,
              context: context))
        }
        pending.append(contentsOf: (firstChild..<frames.count).reversed())
      case .sequence:
        let firstChild = frames.count
        for (offset, child) in document.children(of: frame.node).enumerated() {
          frames.append(
            Frame(
              node: child, parent: Int32(index), key: nil, index: Int32(offset), isKey: false,
              context: .other))
        }
        pending.append(contentsOf: (firstChild..<frames.count).reversed())
      case .alias:
        break
      }
    }
    return nil
  }

  private func childContext(_ context: Context, _ key: NodeID) -> Context {
    switch context {
    case .root where document.scalar(key, equals: "metadata"): .metadata
    case .metadata where document.scalar(key, equals: "annotations"): .annotations
    default: .other
    }
  }

  /// The path of a visited scalar, like `spec.rules[1].host` or
  /// `metadata.annotations[a/b]` (a key's path is that of its entry).
  func path(of visit: Visit) -> String {
    var steps: [Frame] = []
    var index = visit.frame
    while index > 0 {
      steps.append(frames[index])
      index = Int(frames[index].parent)
    }
    var path = ""
    for step in steps.reversed() {
      if let key = step.key {
        let name = document.kind(of: key) == .scalar ? document.string(of: key) : "?"
        path = FieldPath.appending(key: name, to: path)
      } else {
        path += "[\(step.index)]"
      }
    }
    return path
  }
}
