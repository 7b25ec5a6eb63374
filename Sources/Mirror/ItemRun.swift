import KRM
import YAMLSplice

/// The state of one resource going through the pipeline: the edits so far,
/// the values scalars will have after them, what was rewritten, and where
/// its results go.
///
/// Every step reads values through ``withCurrentValue(_:_:)``, so a later
/// step (TLS coverage, the leak check) sees what an earlier one wrote, and a
/// scalar is only ever edited once. Results are written to the run's
/// ``ResultLog`` as they are found, the resource's reference recorded there
/// once, on the first.
struct ItemRun {
  /// A scalar this run gave a new value.
  struct EditedScalar {
    var node: NodeID
    /// Its new value, in ``ItemRun/newValues``.
    var value: Range<Int>
    /// Its edits, in ``ItemRun/scalarEdits``.
    var edits: Range<Int>
  }

  let item: ResourceItem
  let config: MirrorConfig
  var document: Document { item.document }

  /// Edited scalars, in the order they were edited.
  private(set) var edited: [EditedScalar] = []
  /// The new values of edited scalars, back to back.
  private var newValues: [UInt8] = []
  /// The edits of edited scalars, back to back.
  private var scalarEdits: [Edit] = []
  /// Other edits (insertions, removals).
  var structuralEdits: [Edit] = []
  /// Fields whose hosts were rewritten.
  private(set) var rewriteCount = 0
  /// The original hosts of the rewrites, as names, and the indices of the
  /// mappings used, for provenance.
  private(set) var originalHosts: [UInt8] = []
  private(set) var originalHostRanges: [Range<Int>] = []
  private(set) var usedMappings: [Int] = []
  /// References to a source domain left after rewriting.
  var leftovers = 0
  /// Which mappings found a host in the resource (bits by matcher index).
  private(set) var matchedMappings: UInt64 = 0

  /// Records that mapping `index` found a host (rewritten or left over).
  mutating func noteMatched(_ index: Int) {
    if index < 64 { matchedMappings |= 1 << UInt64(index) }
  }
  /// Annotations to set or remove.
  var annotations = MappingEdits()
  /// Labels to set.
  var labels = MappingEdits()
  /// The resource's reference in the result log, once recorded.
  private var reference: ResultLog.ReferenceID?
  /// Matches of the scalar being rewritten (reused).
  private var matches: [HostMatcher.Match] = []

  init(item: ResourceItem, config: MirrorConfig) {
    self.item = item
    self.config = config
  }

  // MARK: - Values

  /// Calls `body` with the value a scalar has after this run's edits.
  func withCurrentValue<R>(_ node: NodeID, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let index = editedIndex(node) {
      let range = edited[index].value
      return newValues.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
    return document.withValue(of: node, body)
  }

  /// The value a scalar has after this run's edits (a copy).
  func currentValue(_ node: NodeID) -> [UInt8] { withCurrentValue(node) { Array($0) } }

  /// Whether a scalar was edited in this run.
  func isEdited(_ node: NodeID) -> Bool { editedIndex(node) != nil }

  private func editedIndex(_ node: NodeID) -> Int? {
    edited.firstIndex { $0.node == node }
  }

  /// The edited scalars' nodes in document order.
  var editedNodesInOrder: [NodeID] { edited.map(\.node).sorted { $0.index < $1.index } }

  /// Whether the run changes the resource's content (not counting tags).
  var changed: Bool { !edited.isEmpty || !structuralEdits.isEmpty }

  // MARK: - Rewriting

  /// Applies the host matches of `matcher` to scalar `node`; records the
  /// rewrite and its `info` result with the path `path` writes (called only
  /// when there is one). Does nothing for a scalar already edited.
  /// Cost: O(value) when the value cannot match, no allocation.
  mutating func rewriteHosts(
    _ node: NodeID, path: (inout [UInt8]) -> Void, matcher: HostMatcher,
    results: inout ResultLog
  ) {
    guard document.kind(of: node) == .scalar, !isEdited(node),
      matcher.mayMatch(document, node)
    else { return }
    let document = self.document
    var found = matches
    found.removeAll(keepingCapacity: true)
    document.withValue(of: node) { matcher.matches(in: $0, into: &found) }
    matches = found
    guard !found.isEmpty else { return }
    let substitutions = found.map { (range: $0.range, replacement: matcher.replacement(for: $0)) }
    let newValue = document.withValue(of: node) { Document.applying(substitutions, to: $0) }
    setValue(
      node, newValue,
      edits: document.edits(substituting: substitutions, in: node, giving: newValue))
    for match in found {
      let start = originalHosts.count
      document.withValue(of: node) {
        matcher.appendHostName(of: match, in: $0, to: &originalHosts)
      }
      originalHostRanges.append(start..<originalHosts.count)
      if !usedMappings.contains(match.mapping) { usedMappings.append(match.mapping) }
      noteMatched(match.mapping)
    }
    rewriteCount += 1
    let current = value(of: node, in: &results)
    results.appendRewrite(
      reference: reference(in: &results), path: results.text(writing: path), current: current,
      proposed: results.text(newValue))
  }

  /// Replaces a scalar's whole value (in its style). A scalar an earlier
  /// step already edited gets one whole-token edit with the final value, so
  /// two steps touching the same scalar compose instead of one losing.
  mutating func replaceValue(_ node: NodeID, with value: [UInt8]) {
    setValue(node, value, edits: [document.edit(replacingValueOf: node, with: value)])
  }

  private mutating func setValue(_ node: NodeID, _ value: [UInt8], edits: [Edit]) {
    let valueStart = newValues.count
    newValues += value
    let editStart = scalarEdits.count
    scalarEdits += edits
    let entry = EditedScalar(
      node: node, value: valueStart..<newValues.count, edits: editStart..<scalarEdits.count)
    if let index = editedIndex(node) {
      edited[index] = entry
    } else {
      edited.append(entry)
    }
  }

  // MARK: - Results

  /// The resource's reference in `results`, recorded on first use.
  mutating func reference(in results: inout ResultLog) -> ResultLog.ReferenceID {
    if let reference { return reference }
    let metadata = item.metadata
    let name = metadata.flatMap { document.value("name", in: $0) }
    let namespace = metadata.flatMap { document.value("namespace", in: $0) }
    let file = item.file
    let recorded = results.addReference(
      apiVersion: scalarText(item.apiVersionNode, in: &results) ?? results.text([]),
      kind: scalarText(item.kindNode, in: &results) ?? results.text([]),
      name: scalarText(name, in: &results) ?? results.text([]),
      namespace: scalarText(namespace, in: &results) ?? .none,
      filePath: file.map { results.text($0.path) } ?? .none, fileIndex: file?.index)
    reference = recorded
    return recorded
  }

  /// ``value(of:in:)`` of `node` when it is a scalar, else nil.
  private func scalarText(_ node: NodeID?, in results: inout ResultLog) -> ResultLog.Text? {
    guard let node, document.kind(of: node) == .scalar else { return nil }
    return value(of: node, in: &results)
  }

  /// A scalar's original value as a text of `results`: a reference to the
  /// source when it is there verbatim, else a copy.
  func value(of node: NodeID, in results: inout ResultLog) -> ResultLog.Text {
    if let range = document.valueSourceRange(of: node) { return results.sourceText(range) }
    return document.withValue(of: node) { results.text($0) }
  }

  /// Appends a result about this resource.
  mutating func report(
    _ severity: KRMResult.Severity, _ message: String, path: String? = nil,
    current: String? = nil, proposed: String? = nil, to results: inout ResultLog
  ) {
    let reference = reference(in: &results)
    results.append(
      severity, message: results.text(message), reference: reference,
      path: path.map { results.text($0) } ?? .none,
      current: current.map { results.text($0) } ?? .none,
      proposed: proposed.map { results.text($0) } ?? .none)
  }

  // MARK: - Metadata

  /// Drops the metadata changes that could only be written by losing text:
  /// a `metadata`, `annotations` or `labels` that holds something other
  /// than a mapping or null (invalid for Kubernetes, but not krm-mirror's to
  /// delete). A warning says what was not written.
  mutating func dropUnwritableMetadata(results: inout ResultLog) {
    guard !annotations.isEmpty || !labels.isEmpty else { return }
    let document = self.document
    func unwritable(_ node: NodeID?) -> Bool {
      node.map { document.kind(of: $0) != .mapping && !document.isNull($0) } ?? false
    }
    var blocked: [String] = []
    if unwritable(document.value("metadata", in: item.node)) {
      blocked = ["metadata"]
    } else if let metadata = item.metadata {
      if !annotations.isEmpty && unwritable(document.value("annotations", in: metadata)) {
        blocked.append("metadata.annotations")
      }
      if !labels.isEmpty && unwritable(document.value("labels", in: metadata)) {
        blocked.append("metadata.labels")
      }
    }
    for path in blocked {
      if path != "metadata.labels" { annotations = MappingEdits() }
      if path != "metadata.annotations" { labels = MappingEdits() }
      report(
        .warning, "\(path) is not a mapping; krm-mirror's annotations and labels not written",
        path: path, to: &results)
    }
  }

  /// Appends all edits of the run to `output`: scalars in document order,
  /// structure, then metadata.
  func appendEdits(to output: inout [Edit]) {
    for scalar in edited.sorted(by: { $0.node.index < $1.node.index }) {
      output += scalarEdits[scalar.edits]
    }
    output += structuralEdits
    let layout = Self.metadataLayout(item)
    if let metadata = item.metadata {
      // New `annotations` and `labels` mappings go into `metadata` in one
      // insertion (MappingEdits.edits(in:mapping:key:parent:layout:creating:)).
      var created: [(String, YAMLFragment)] = []
      if !annotations.isEmpty {
        output += annotations.edits(
          in: document, mapping: item.annotations, key: "annotations", parent: metadata,
          layout: layout, creating: &created)
      }
      if !labels.isEmpty {
        output += labels.edits(
          in: document, mapping: item.labels, key: "labels", parent: metadata, layout: layout,
          creating: &created)
      }
      if !created.isEmpty {
        output.append(document.edit(appending: created, to: metadata, layout: layout))
      }
    } else if item.isMapping && !(annotations.sets.isEmpty && labels.sets.isEmpty) {
      var metadata: [(String, YAMLFragment)] = []
      if !annotations.sets.isEmpty {
        metadata.append(("annotations", .mapping(annotations.sets.map { ($0.0, .scalar($0.1)) })))
      }
      if !labels.sets.isEmpty {
        metadata.append(("labels", .mapping(labels.sets.map { ($0.0, .scalar($0.1)) })))
      }
      if let entry = document.entry("metadata", in: item.node) {
        // `metadata:` with a null value: give it the mapping.
        output.append(
          document.edit(
            replacingValue: entry.value, ofKey: entry.key, in: item.node,
            with: .mapping(metadata)))
      } else {
        output.append(document.edit(appending: [("metadata", .mapping(metadata))], to: item.node))
      }
    }
  }

  /// Whether the run produces any edit.
  var hasEdits: Bool {
    changed || !annotations.isEmpty || !labels.isEmpty
  }

  /// The indentation step used inside `metadata` (its keys' column minus the
  /// `metadata` key's), so a new nested mapping matches its neighbours.
  static func metadataLayout(_ item: ResourceItem) -> BlockLayout {
    let document = item.document
    var layout = BlockLayout()
    if let metadata = item.metadata,
      let metadataKey = document.entry("metadata", in: item.node)?.key,
      let firstKey = document.firstEntry(of: metadata)?.key
    {
      let step =
        document.column(of: document.span(of: firstKey).lowerBound)
        - document.column(of: document.span(of: metadataKey).lowerBound)
      if step > 0 { layout.step = step }
    }
    return layout
  }
}

extension String {
  /// The string without leading and trailing spaces.
  func trimmingSpaces() -> String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
