import KRM
import YAMLSplice

/// Walks every scalar of a resource (mapping keys too), iteratively, in
/// document order; the path of a scalar is built only when asked for.
///
/// Cost: O(nodes) with one small frame per node; paths cost O(depth) each
/// and are only made for the scalars a caller reports.
struct ScalarWalk {
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

  /// Entries deeper than this are never skipped, so their keys are not read.
  static let skipDepth = 3

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
    var depth: Int32
    var isKey: Bool
    var keys: [String]
  }

  let document: Document
  private var frames: [Frame] = []
  private var pending: [Int] = []

  /// Starts a walk at `item`'s node.
  init(_ item: ResourceItem) {
    document = item.document
    frames = [
      Frame(
        node: item.node, parent: -1, key: nil, index: 0, depth: 0, isKey: false, keys: [])
    ]
    pending = [0]
  }

  /// The next scalar, skipping every entry whose key chain (from the
  /// resource's root, for entries up to ``skipDepth`` deep) `skip` refuses.
  mutating func next(skip: ([String]) -> Bool) -> Visit? {
    while let index = pending.popLast() {
      let frame = frames[index]
      switch document.kind(of: frame.node) {
      case .scalar:
        return Visit(node: frame.node, isKey: frame.isKey, frame: index)
      case .mapping:
        let depth = frame.depth + 1
        let firstChild = frames.count
        for (key, value) in document.entries(of: frame.node) {
          var keys: [String] = []
          if depth <= Self.skipDepth {
            let name = document.kind(of: key) == .scalar ? document.string(of: key) : "?"
            keys = frame.keys + [name]
            if skip(keys) { continue }
          }
          frames.append(
            Frame(
              node: key, parent: Int32(index), key: key, index: 0, depth: depth,
              isKey: true, keys: keys))
          frames.append(
            Frame(
              node: value, parent: Int32(index), key: key, index: 0, depth: depth,
              isKey: false, keys: keys))
        }
        pending.append(contentsOf: (firstChild..<frames.count).reversed())
      case .sequence:
        let firstChild = frames.count
        for (offset, child) in document.children(of: frame.node).enumerated() {
          frames.append(
            Frame(
              node: child, parent: Int32(index), key: nil, index: Int32(offset),
              depth: frame.depth + 1, isKey: false, keys: frame.keys))
        }
        pending.append(contentsOf: (firstChild..<frames.count).reversed())
      case .alias:
        break
      }
    }
    return nil
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
