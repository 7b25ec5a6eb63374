import KRM
import YAMLSplice

/// The scalars of a resource (mapping keys too) that may hold a source
/// domain, in document order: the one way text mode and the leak check
/// look at every string of a resource.
///
/// A scalar may hold a host under a `from` only if its value contains the
/// first label of that `from` (``HostMatcher/mayMatch(_:)``). Instead of
/// testing every scalar, the resource's bytes are scanned once for those
/// labels, and a scalar whose value is verbatim in the source is a
/// candidate only when an occurrence lies inside it; scalars with decoded
/// values (escapes, folding, block scalars) are tested directly. Where a
/// candidate sits (key or value, skipped entries, its path) is worked out
/// by walking up from it, only for the few that match.
///
/// Cost: one scan of the resource's bytes per first label plus O(scalars);
/// no allocation per scalar.
enum ScalarCandidates {
  /// Entries a step never reads, by where they are.
  struct SkipRules {
    /// Keys of the resource's top-level mapping.
    var root: [String]
    /// Keys of `metadata`.
    var metadata: [String]

    /// Text mode never rewrites identity (`apiVersion`, `kind`, names,
    /// namespaces, labels), orchestrator and krm-mirror annotations, or
    /// `status`.
    static let textMode = SkipRules(
      root: ["apiVersion", "kind", "status"],
      metadata: ["name", "namespace", "labels", "managedFields", "uid", "resourceVersion"])
    /// The leak check does not read orchestrator and krm-mirror
    /// annotations (they record the originals), `managedFields` or
    /// `status`.
    static let leakCheck = SkipRules(root: ["status"], metadata: ["managedFields"])
  }

  /// Where a candidate sits.
  struct Place {
    /// Whether it is a mapping key.
    var isKey: Bool
  }

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

  /// Calls `body` with every scalar of `item` that may match, and every
  /// scalar in `extra` (document order, e.g. the ones a run edited), in
  /// document order, each once.
  static func forEach(
    in item: ResourceItem, matcher: HostMatcher, alsoVisiting extra: [NodeID],
    _ body: (NodeID) -> Void
  ) {
    let document = item.document
    // Occurrences of first labels in the resource's bytes, in order.
    var occurrences: [Range<Int>] = []
    let span = document.span(of: item.node)
    document.source.withUnsafeBufferPointer { source in
      let bytes = UnsafeBufferPointer(rebasing: source[span])
      for label in matcher.firstLabels {
        var start = 0
        while let found = HostMatcher.firstOccurrence(of: label, in: bytes, from: start) {
          occurrences.append(span.lowerBound + found..<span.lowerBound + found + label.count)
          start = found + 1
        }
      }
    }
    if matcher.firstLabels.count > 1 { occurrences.sort { $0.lowerBound < $1.lowerBound } }
    var nextExtra = 0
    var nextOccurrence = 0
    document.forEachScalar(under: item.node) { node in
      while nextExtra < extra.count && extra[nextExtra].index < node.index { nextExtra += 1 }
      if nextExtra < extra.count && extra[nextExtra] == node {
        body(node)
        return
      }
      guard let value = document.valueSourceRange(of: node) else {
        // A decoded value: test it as it is.
        if matcher.mayMatch(document, node) { body(node) }
        return
      }
      while nextOccurrence < occurrences.count
        && occurrences[nextOccurrence].lowerBound < value.lowerBound
      {
        nextOccurrence += 1
      }
      var index = nextOccurrence
      while index < occurrences.count && occurrences[index].lowerBound < value.upperBound {
        if occurrences[index].upperBound <= value.upperBound {
          body(node)
          return
        }
        index += 1
      }
    }
  }

  /// Where scalar `node` of `item` sits, or nil when `rules` skip the
  /// entry it is in. Cost: O(depth · siblings).
  static func place(of node: NodeID, in item: ResourceItem, skipping rules: SkipRules) -> Place? {
    let document = item.document
    // The entries from the resource's top level down to the node.
    var chain: [(container: NodeID, key: NodeID?, inValue: Bool)] = []
    var current = node
    var isKey = false
    var first = true
    while current != item.node, let position = document.position(of: current),
      let parent = document.parent(of: current)
    {
      if first {
        isKey = position.isKey && document.kind(of: parent) == .mapping
        first = false
      }
      chain.append((parent, position.key, !position.isKey))
      current = parent
    }
    guard current == item.node else { return Place(isKey: isKey) }
    chain.reverse()
    // Only the resource, `metadata` and `metadata.annotations` have rules.
    let root = item.node
    guard document.kind(of: root) == .mapping, let top = chain.first, let topKey = top.key else {
      return Place(isKey: isKey)
    }
    if rules.root.contains(where: { document.scalar(topKey, equals: $0) }) { return nil }
    guard document.scalar(topKey, equals: "metadata"), top.inValue, chain.count > 1,
      document.kind(of: chain[1].container) == .mapping, let metadataKey = chain[1].key
    else { return Place(isKey: isKey) }
    if rules.metadata.contains(where: { document.scalar(metadataKey, equals: $0) }) { return nil }
    guard document.scalar(metadataKey, equals: "annotations"), chain[1].inValue, chain.count > 2,
      document.kind(of: chain[2].container) == .mapping, let annotationKey = chain[2].key
    else { return Place(isKey: isKey) }
    if isReservedAnnotation(document, annotationKey) { return nil }
    return Place(isKey: isKey)
  }

  /// Appends the path of scalar `node` of `item` to `out`, like
  /// `spec.rules[1].host` or `metadata.annotations[a/b]` (a key's path is
  /// that of its entry; a key that is not a scalar reads `?`).
  static func writePath(of node: NodeID, in item: ResourceItem, into out: inout [UInt8]) {
    let document = item.document
    var steps: [(key: NodeID?, index: Int)] = []
    var current = node
    while current != item.node, let position = document.position(of: current),
      let parent = document.parent(of: current)
    {
      steps.append((position.key, position.index))
      current = parent
    }
    let pathStart = out.count
    for step in steps.reversed() {
      if let key = step.key {
        if document.kind(of: key) == .scalar {
          document.withValue(of: key) { FieldPath.appendKey($0, to: &out, pathStart: pathStart) }
        } else {
          var unknown = "?"
          unknown.withUTF8 { FieldPath.appendKey($0, to: &out, pathStart: pathStart) }
        }
      } else {
        FieldPath.appendIndex(step.index, to: &out)
      }
    }
  }
}
