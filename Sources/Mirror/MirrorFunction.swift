public import KRM
public import YAMLSplice

/// Applies a ``MirrorConfig`` to resources, one at a time: host rewrite, TLS
/// sync, tagging and the leak check, as the configuration's steps say.
public struct MirrorFunction: Sendable {
  /// What one resource came out as.
  public struct ItemOutcome {
    /// Edits to the resource's document.
    public var edits: [Edit] = []
    /// The fields whose hosts were rewritten.
    public var rewrites: [HostRewrite] = []
    /// Results to report for the resource (rewrites first).
    public var results: [KRMResult] = []
    /// Whether the resource was selected and processed.
    public var processed = false
    /// Whether the resource changed (content or tags).
    public var changed = false
    /// References to a source domain left after rewriting.
    public var leftovers = 0
  }

  /// The configuration.
  public let config: MirrorConfig
  let matcher: HostMatcher
  let reverseMatcher: HostMatcher
  let secretNames: SecretNameMatcher

  /// Creates the function for `config`.
  public init(config: MirrorConfig) {
    self.config = config
    self.matcher = HostMatcher(config.hosts)
    self.reverseMatcher = HostMatcher(
      config.hosts.compactMap { try? HostMapping(from: $0.to, to: $0.from) })
    self.secretNames = SecretNameMatcher(config.hosts)
  }

  /// Whether the function processes `item`: a resource a mutator may touch
  /// (see ``ResourceItem/passThroughReason``), not a krm-mirror
  /// configuration, and selected by the configuration's selectors.
  public func selects(_ item: ResourceItem) -> Bool {
    guard item.passThroughReason == nil else { return false }
    if (item.apiVersion ?? "").hasPrefix("krm-mirror.dev/") { return false }
    return ResourceSelector.selects(item, selectors: config.selectors, exclude: config.exclude)
  }

  /// Processes one resource; unselected items come out untouched.
  /// Cost: O(resource) for the leak check and text mode, else O(fields).
  public func process(_ item: ResourceItem) -> ItemOutcome {
    var outcome = ItemOutcome()
    guard selects(item), let kind = item.kind else { return outcome }
    outcome.processed = true
    var run = ItemRun(item: item, config: config)
    let apiVersion = item.apiVersion ?? ""
    if config.steps.contains(.replaceHosts) {
      replaceHosts(&run, apiVersion: apiVersion, kind: kind)
    }
    if config.steps.contains(.syncTLS) {
      syncTLS(&run, apiVersion: apiVersion, kind: kind)
    }
    if config.steps.contains(.tag) {
      tag(&run, apiVersion: apiVersion, kind: kind)
    }
    if config.steps.contains(.checkLeaks) && config.leaks != .ignore {
      checkLeaks(&run)
    }
    run.dropUnwritableMetadata()
    outcome.leftovers = run.leftovers
    outcome.rewrites = run.rewrites
    outcome.results =
      run.rewrites.map { $0.result(resourceRef: run.resourceRef, file: run.file) } + run.results
    outcome.edits = run.edits()
    outcome.changed = !outcome.edits.isEmpty
    return outcome
  }

  // MARK: - Host replace

  func replaceHosts(_ run: inout ItemRun, apiVersion: String, kind: String) {
    let document = run.document
    for field in HostFieldTable.hostFields(apiVersion: apiVersion, kind: kind) {
      for (node, path) in field.path.resolve(in: document, from: run.item.node) {
        run.rewriteHosts(node, path: { path.description }, matcher: matcher)
      }
    }
    for field in config.fields
    where (field.apiVersion == nil || field.apiVersion == apiVersion)
      && (field.kind == nil || field.kind == kind)
    {
      for (node, path) in field.path.resolve(in: document, from: run.item.node)
      where !path.starts(withKey: "status") {
        run.rewriteHosts(node, path: { path.description }, matcher: matcher)
      }
    }
    if config.text {
      var walk = ScalarWalk(run.item)
      let skip = Self.skipInText(run.document)
      while let visit = walk.next(skip: skip) {
        guard !visit.isKey, !run.isEdited(visit.node), matcher.mayMatch(run.document, visit.node)
        else { continue }
        run.rewriteHosts(visit.node, path: { walk.path(of: visit) }, matcher: matcher)
      }
    }
  }

  /// What text mode never rewrites: identity (`apiVersion`, `kind`, names,
  /// namespaces, labels), orchestrator and krm-mirror annotations, `status`.
  static func skipInText(_ document: Document) -> (ScalarWalk.Context, NodeID) -> Bool {
    { context, key in
      switch context {
      case .root:
        ["apiVersion", "kind", "status"].contains { document.scalar(key, equals: $0) }
      case .metadata:
        ["name", "namespace", "labels", "managedFields", "uid", "resourceVersion"].contains {
          document.scalar(key, equals: $0)
        }
      case .annotations: ScalarWalk.isReservedAnnotation(document, key)
      case .other: false
      }
    }
  }

  // MARK: - Leak check

  func checkLeaks(_ run: inout ItemRun) {
    let severity: KRMResult.Severity = config.leaks == .error ? .error : .warning
    var walk = ScalarWalk(run.item)
    let skip = Self.skipInLeakCheck(run.document)
    while let visit = walk.next(skip: skip) {
      let value: [UInt8]
      if run.isEdited(visit.node) {
        value = run.currentValue(visit.node)
      } else {
        guard matcher.mayMatch(run.document, visit.node) else { continue }
        value = run.document.value(of: visit.node)
      }
      for match in matcher.matches(in: value) {
        let place = visit.isKey ? "key" : "value"
        run.leftovers += 1
        run.results.append(
          KRMResult(
            message:
              "\(match.hostName) is under source domain \(matcher.mappings[match.mapping].from) in this \(place); not rewritten (add a field, or set text: true)",
            severity: severity, resourceRef: run.resourceRef,
            field: .init(
              path: walk.path(of: visit), currentValue: String(decoding: value, as: UTF8.self)),
            file: run.file))
      }
    }
  }

  /// What the leak check does not read: orchestrator and krm-mirror
  /// annotations (they record the originals), `managedFields` and `status`.
  static func skipInLeakCheck(_ document: Document) -> (ScalarWalk.Context, NodeID) -> Bool {
    { context, key in
      switch context {
      case .root: document.scalar(key, equals: "status")
      case .metadata: document.scalar(key, equals: "managedFields")
      case .annotations: ScalarWalk.isReservedAnnotation(document, key)
      case .other: false
      }
    }
  }
}
