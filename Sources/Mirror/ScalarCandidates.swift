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
  /// What a scalar of a resource is, by where it sits: the one rule text
  /// mode and the leak check share. Text mode rewrites only ``value``s; the
  /// leak check reports a source host left in a ``value``, an ``identity``
  /// or a ``key`` (each a leftover category, with its own advice) and never
  /// looks at the places ``place(of:in:)`` answers nil for: what krm-mirror
  /// must never rewrite (`status`, `managedFields`, orchestrator and
  /// krm-mirror annotations, API groups anywhere — `apiVersion`, `group`,
  /// `apiGroup`, `apiGroups` — whole CustomResourceDefinition and
  /// APIService objects, the resource's `kind`, label and annotation keys).
  enum Category: Equatable {
    /// A string value: text mode rewrites it; a leftover there is a
    /// ``KRM/LeftoverCategory/value``.
    case value
    /// `metadata.name`, `namespace`, `generateName`, `uid`,
    /// `resourceVersion` or a label value: the object's identity, never
    /// rewritten (TLS secrets aside, see `secretNames: rename`).
    case identity
    /// A mapping key other than a label or annotation key: never rewritten.
    case key

    /// The leftover category a source host left here belongs to.
    var leftover: LeftoverCategory {
      switch self {
      case .value: .value
      case .identity: .identity
      case .key: .key
      }
    }
  }

  /// Where a candidate sits.
  struct Place {
    /// Whether it is a mapping key.
    var isKey: Bool
    /// What it is.
    var category: Category
  }

  /// Kinds whose whole content is API machinery (group names, versions):
  /// never rewritten, never leftovers.
  static let apiMachineryKinds: [(kind: String, groupPrefix: String)] = [
    ("CustomResourceDefinition", "apiextensions.k8s.io/"),
    ("APIService", "apiregistration.k8s.io/"),
  ]

  /// Keys whose scalar value (or, for `apiGroups`, whose sequence items)
  /// name an API group, at any depth.
  static let apiGroupKeys = ["apiVersion", "group", "apiGroup"]

  /// `metadata` keys that hold the object's identity.
  static let identityMetadataKeys = ["name", "namespace", "generateName", "uid", "resourceVersion"]

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

  /// Whether `item` is a CustomResourceDefinition or an APIService (see
  /// ``apiMachineryKinds``).
  static func isAPIMachinery(_ item: ResourceItem) -> Bool {
    apiMachineryKinds.contains { item.isKind($0.kind) && item.apiVersionHasPrefix($0.groupPrefix) }
  }

  /// Where scalar `node` of `item` sits and what it is, or nil when
  /// krm-mirror must never rewrite or report it (see ``Category``).
  /// Cost: O(depth · siblings).
  static func place(of node: NodeID, in item: ResourceItem) -> Place? {
    let document = item.document
    if isAPIMachinery(item) { return nil }
    // The entries from the node up to the resource's top level.
    var chain: [(container: NodeID, key: NodeID?, inValue: Bool)] = []
    var current = node
    while current != item.node, let position = document.position(of: current),
      let parent = document.parent(of: current)
    {
      chain.append((parent, position.key, !position.isKey))
      current = parent
    }
    let isKey =
      chain.first.map { !$0.inValue && document.kind(of: $0.container) == .mapping } ?? false
    // An API group, at any depth: the value of `apiVersion`, `group` or
    // `apiGroup`, or an item of `apiGroups`.
    if let step = chain.first, step.inValue, let key = step.key,
      apiGroupKeys.contains(where: { document.scalar(key, equals: $0) })
    {
      return nil
    }
    if chain.count > 1, document.kind(of: chain[0].container) == .sequence, chain[1].inValue,
      let key = chain[1].key, document.scalar(key, equals: "apiGroups")
    {
      return nil
    }
    let fallback = Place(isKey: isKey, category: isKey ? .key : .value)
    guard current == item.node else { return fallback }
    chain.reverse()
    // Only the resource, `metadata`, labels and annotations have more rules.
    guard document.kind(of: item.node) == .mapping, let top = chain.first, let topKey = top.key
    else { return fallback }
    if document.scalar(topKey, equals: "status") || document.scalar(topKey, equals: "kind") {
      return nil
    }
    guard document.scalar(topKey, equals: "metadata"), top.inValue, chain.count > 1,
      document.kind(of: chain[1].container) == .mapping, let metadataKey = chain[1].key
    else { return fallback }
    if document.scalar(metadataKey, equals: "managedFields") { return nil }
    if chain.count == 2, chain[1].inValue,
      identityMetadataKeys.contains(where: { document.scalar(metadataKey, equals: $0) })
    {
      return Place(isKey: false, category: .identity)
    }
    let isLabels = document.scalar(metadataKey, equals: "labels")
    guard isLabels || document.scalar(metadataKey, equals: "annotations"), chain[1].inValue,
      chain.count > 2, document.kind(of: chain[2].container) == .mapping,
      let entryKey = chain[2].key
    else { return fallback }
    // Label and annotation keys are names, never hosts to move.
    if !chain[2].inValue { return nil }
    if isLabels { return chain.count == 3 ? Place(isKey: false, category: .identity) : fallback }
    if isReservedAnnotation(document, entryKey) { return nil }
    return fallback
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
