public import KRM
public import YAMLSplice

/// Applies a ``MirrorConfig`` to resources, one at a time: host rewrite, TLS
/// sync, tagging and the leak check, as the configuration's steps say.
///
/// A class: the steps capture it in closures, and a reference is one
/// retain where a copy of the configuration and matchers would be dozens.
public final class MirrorFunction: Sendable {
  /// What one resource came out as (its edits and results went to the
  /// ``Output``).
  public struct ItemOutcome: Sendable {
    /// Number of fields whose hosts were rewritten.
    public var rewrites = 0
    /// Whether the resource was selected and processed.
    public var processed = false
    /// Whether the resource changed (content or tags).
    public var changed = false
    /// References to a source domain left after rewriting.
    public var leftovers = 0
    /// Which mappings (the matcher's indices, the first 64) found a host
    /// here, rewritten or left over.
    public var matchedMappings: UInt64 = 0
  }

  /// Where a run's edits and results go, resource after resource, and what
  /// the function keeps between resources (which fields apply to which
  /// kinds).
  public struct Output {
    /// Edits, in the order the resources came.
    public var edits: [Edit] = []
    /// Results, in the order they were found.
    public var results = ResultLog()
    /// What secret renaming learnt from the resources so far.
    public var secrets = SecretRenames()
    var plans = KindPlans()

    /// An empty output.
    public init() {}
  }

  /// The configuration.
  public let config: MirrorConfig
  let matcher: HostMatcher
  let reverseMatcher: HostMatcher
  let secretNames: SecretNameMatcher
  /// Complete knowledge for secret renaming from an earlier pass over the
  /// same input, when that pass's answers did not all hold.
  public let secretKnowledge: SecretRenames?

  /// Creates the function for `config`; `secretKnowledge` is what a
  /// finished pass over the same input learnt (see ``SecretRenames``).
  public init(config: MirrorConfig, secretKnowledge: SecretRenames? = nil) {
    self.config = config
    self.secretKnowledge = secretKnowledge
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
    if item.apiVersionHasPrefix("krm-mirror.dev/") { return false }
    return config.selectors.isEmpty && config.exclude.isEmpty
      || ResourceSelector.selects(item, selectors: config.selectors, exclude: config.exclude)
  }

  /// Processes one resource: its edits and results are appended to
  /// `output`; unselected items come out untouched.
  /// Cost: O(fields) plus, for the leak check and text mode, one scan of
  /// the resource's bytes and O(scalars).
  public func process(_ item: ResourceItem, into output: inout Output) -> ItemOutcome {
    var outcome = ItemOutcome()
    guard selects(item) else {
      if config.secretNames == .rename && config.steps.contains(.syncTLS)
        && item.passThroughReason == nil
      {
        recordUnselectedSecretNames(item, into: &output)
      }
      return outcome
    }
    outcome.processed = true
    let plan = output.plans.plan(for: item, config: config)
    var run = ItemRun(item: item, config: config)
    if config.steps.contains(.replaceHosts) {
      replaceHosts(&run, plan: plan, results: &output.results)
    }
    if config.steps.contains(.syncTLS) {
      if config.secretNames == .rename {
        if let secretKnowledge, !output.secrets.isFinal { output.secrets.adopt(secretKnowledge) }
        recordRewrittenHosts(run, plan: plan, into: &output.secrets)
      }
      syncTLS(&run, plan: plan, secrets: &output.secrets, results: &output.results)
    }
    if config.steps.contains(.tag) {
      tag(&run, plan: plan)
    }
    if config.steps.contains(.checkLeaks) && config.leaks != .ignore {
      checkLeaks(&run, results: &output.results)
    }
    run.dropUnwritableMetadata(results: &output.results)
    outcome.leftovers = run.leftovers
    outcome.rewrites = run.rewriteCount
    outcome.matchedMappings = run.matchedMappings
    let before = output.edits.count
    run.appendEdits(to: &output.edits)
    Splicer.sortTail(&output.edits, from: before)
    outcome.changed = output.edits.count > before
    return outcome
  }

  // MARK: - Host replace

  func replaceHosts(_ run: inout ItemRun, plan: KindPlan, results: inout ResultLog) {
    let document = run.document
    plan.hostPaths.forEachNode(in: document, from: run.item.node) { node, concrete in
      run.rewriteHosts(
        node, path: { concrete.write(into: &$0) }, matcher: matcher, results: &results)
    }
    if config.text {
      let item = run.item
      var rewrite: [NodeID] = []
      ScalarCandidates.forEach(in: item, matcher: matcher, alsoVisiting: []) { node in
        rewrite.append(node)
      }
      for node in rewrite {
        guard !run.isEdited(node), matcher.mayMatch(document, node),
          ScalarCandidates.place(of: node, in: item)?.category == .value
        else { continue }
        run.rewriteHosts(
          node, path: { ScalarCandidates.writePath(of: node, in: item, into: &$0) },
          matcher: matcher, results: &results)
      }
    }
  }

  // MARK: - Leak check

  func checkLeaks(_ run: inout ItemRun, results: inout ResultLog) {
    let severity: KRMResult.Severity = config.leaks == .error ? .error : .warning
    let item = run.item
    var candidates: [NodeID] = []
    ScalarCandidates.forEach(in: item, matcher: matcher, alsoVisiting: run.editedNodesInOrder) {
      candidates.append($0)
    }
    var found: [HostMatcher.Match] = []
    for node in candidates {
      found.removeAll(keepingCapacity: true)
      run.withCurrentValue(node) { matcher.matches(in: $0, into: &found) }
      guard !found.isEmpty,
        let place = ScalarCandidates.place(of: node, in: item)
      else { continue }
      let reference = run.reference(in: &results)
      let path = results.text { ScalarCandidates.writePath(of: node, in: item, into: &$0) }
      let current: ResultLog.Text =
        run.isEdited(node)
        ? run.withCurrentValue(node) { results.text($0) } : run.value(of: node, in: &results)
      for match in found {
        run.leftovers += 1
        run.noteMatched(match.mapping)
        let host = run.withCurrentValue(node) { value in
          results.text { matcher.appendHostName(of: match, in: value, to: &$0) }
        }
        results.appendLeftover(
          severity, host: host, domain: results.text(matcher.mappings[match.mapping].from),
          category: place.category.leftover, textMode: config.text, reference: reference,
          path: path, current: current)
      }
    }
  }
}
