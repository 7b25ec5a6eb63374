import KRM

/// What a render knows about renaming secrets (`secretNames: rename`), and
/// the rule that uses it. The rule is one function of the name, the same
/// for a Secret, its producers and every reference:
///
/// - a name is renamed only where ``SecretNameMatcher`` finds a source
///   domain in it, dotted or dashed, and only if that occurrence belongs to
///   a host this render rewrote: the occurrence must end a rewritten host's
///   form that starts at the name's start or after a separator
///   (`api-staging-x-com-tls` needs `api.staging.x.com` or
///   `*.api.staging.x.com` rewritten; a kept look-alike `api-staging.x.com`
///   does not count). The source domain itself counts, once a host under
///   it was rewritten, only at the name's start (`staging-x-com-tls`):
///   after a dash it may be the tail of a look-alike label;
/// - a name that a Secret in the input holds without being
///   `kubernetes.io/tls` (or an external-secrets producer without that
///   template type) keeps its name everywhere, so no reference to it is
///   renamed away from it.
///
/// Resources come one at a time, so a reference may be decided before the
/// resource that rewrites its host. Every answer is recorded; once the
/// input is done, ``needsAnotherPass(_:)`` says whether an answer differs
/// from the rule with everything known, and the runner then processes the
/// input again with that knowledge (``MirrorFunction/init(config:secretKnowledge:)``).
/// Inputs that name their hosts before their references (or that have no
/// dashed or prefixed secret names) take one pass.
public struct SecretRenames: Sendable {
  /// A string that names a Secret where krm-mirror cannot rename it.
  struct Unfollowed: Sendable {
    /// The name it holds (after a `namespace/`).
    var name: [UInt8]
    var resource: KRMResult.ResourceRef
    var file: KRMResult.File?
    var path: String
    var value: String
    /// Whether the resource is one the selectors leave out.
    var excluded: Bool
  }

  /// Forms (dotted and dashed, lowercase, without `*.` and a trailing dot)
  /// of the hosts rewritten so far.
  private var hostForms: Set<[UInt8]> = []
  /// Forms of the `from` domains under which a host was rewritten.
  private var domainForms: Set<[UInt8]> = []
  /// Names held by Secrets that are not `kubernetes.io/tls`.
  private var kept: Set<[UInt8]> = []
  /// The answers given per candidate name: bit 1 renamed, bit 2 kept.
  private var answers: [[UInt8]: UInt8] = [:]
  /// For a renamed name, the first resource that holds it (`Kind/name`).
  private var holders: [[UInt8]: String] = [:]
  /// Strings that may name a renamed Secret out of krm-mirror's reach.
  private(set) var unfollowed: [Unfollowed] = []
  /// Whether the knowledge is complete (a finished pass's): answers are final.
  private(set) var isFinal = false

  /// No knowledge.
  public init() {}

  // MARK: - Knowledge

  /// Records a rewritten host (as written: any case, `*.`, trailing dot).
  mutating func addRewrittenHost(_ host: some Collection<UInt8>) {
    var bytes = host.map(HostMatcher.lowercase)
    if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
    if bytes.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ".")]) { bytes.removeFirst(2) }
    guard !bytes.isEmpty else { return }
    hostForms.insert(bytes)
    hostForms.insert(Self.dashed(bytes))
  }

  /// Records that a host under `domain` (a mapping's `from`) was rewritten.
  mutating func addRewrittenDomain(_ domain: String) {
    let bytes = Array(domain.utf8).map(HostMatcher.lowercase)
    domainForms.insert(bytes)
    domainForms.insert(Self.dashed(bytes))
  }

  /// Records a Secret name that must stay (a Secret of another type).
  mutating func keep(_ name: [UInt8]) { kept.insert(name) }

  /// Adopts `other`'s complete knowledge: from now on answers are final.
  mutating func adopt(_ other: SecretRenames) {
    hostForms = other.hostForms
    domainForms = other.domainForms
    kept = other.kept
    isFinal = true
  }

  /// Adds what `other` found (another part of the same input).
  mutating func merge(_ other: SecretRenames) {
    hostForms.formUnion(other.hostForms)
    domainForms.formUnion(other.domainForms)
    kept.formUnion(other.kept)
    answers.merge(other.answers) { $0 | $1 }
    holders.merge(other.holders) { first, _ in first }
    unfollowed += other.unfollowed
    isFinal = isFinal && other.isFinal
  }

  /// The knowledge of all `parts` together.
  static func merged(_ parts: [SecretRenames]) -> SecretRenames {
    guard var all = parts.first else { return SecretRenames() }
    for part in parts.dropFirst() { all.merge(part) }
    return all
  }

  // MARK: - The rule

  /// The new name for `name` under the rule with what is known now, or nil
  /// when it stays. Cost: O(name · forms) for the match, plus a hash lookup
  /// per separator before each occurrence.
  func renamed(_ name: [UInt8], _ matcher: SecretNameMatcher) -> [UInt8]? {
    guard !kept.contains(name) else { return nil }
    return matcher.rename(name) { occurrence, dotted in
      embedsRewrittenHost(name, occurrence: occurrence, dotted: dotted)
    }
  }

  /// Decides `name` and records the answer, and `holder` (`Kind/name`)
  /// for a renamed one.
  mutating func decide(
    _ name: [UInt8], holder: () -> String, _ matcher: SecretNameMatcher
  ) -> [UInt8]? {
    guard matcher.rename(name) != nil else { return nil }
    let renamed = renamed(name, matcher)
    answers[name, default: 0] |= renamed == nil ? 2 : 1
    if renamed != nil && holders[name] == nil { holders[name] = holder() }
    return renamed
  }

  /// Whether an answer given during the pass differs from the rule with
  /// everything now known: the input must be processed again, with this
  /// knowledge adopted.
  func needsAnotherPass(_ matcher: SecretNameMatcher) -> Bool {
    !isFinal && !answersHold(under: self, matcher)
  }

  /// Whether every answer recorded here is the one the rule gives with
  /// `knowledge`.
  func answersHold(under knowledge: SecretRenames, _ matcher: SecretNameMatcher) -> Bool {
    !answers.contains { name, given in
      given & (knowledge.renamed(name, matcher) == nil ? 1 : 2) != 0
    }
  }

  /// Whether the occurrence of a source domain at `occurrence` ends the
  /// form of a rewritten host that starts at the name's start or after a
  /// separator (dotted: `.` or a byte no host has; dashed: also `-`).
  private func embedsRewrittenHost(_ name: [UInt8], occurrence: Range<Int>, dotted: Bool)
    -> Bool
  {
    let end = occurrence.upperBound
    if occurrence.lowerBound == 0 && domainForms.contains(name[0..<end].map(HostMatcher.lowercase))
    {
      return true
    }
    var start = occurrence.lowerBound
    while start >= 0 {
      if SecretNameMatcher.isBoundary(name, before: start, dotted: dotted)
        && hostForms.contains(name[start..<end].map(HostMatcher.lowercase))
      {
        return true
      }
      start -= 1
    }
    return false
  }

  private static func dashed(_ bytes: [UInt8]) -> [UInt8] {
    bytes.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "-") : $0 }
  }

  // MARK: - References out of reach

  /// Records a string that may name a Secret (`name` or `namespace/name`)
  /// in a field krm-mirror does not rename, or in a resource the selectors
  /// leave out (`excluded`).
  mutating func addUnfollowed(
    value: [UInt8], in item: ResourceItem, path: String, excluded: Bool,
    _ matcher: SecretNameMatcher
  ) {
    var name = value[...]
    if let slash = name.lastIndex(of: UInt8(ascii: "/")) { name = name[(slash + 1)...] }
    guard !name.isEmpty, name.count <= 253,
      name.allSatisfy({
        ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E
      }),
      matcher.rename(Array(name)) != nil
    else { return }
    unfollowed.append(
      Unfollowed(
        name: Array(name), resource: item.resourceRef, file: item.file, path: path,
        value: String(decoding: value, as: UTF8.self), excluded: excluded))
  }

  /// An `error` result for every recorded string that names a Secret
  /// this render renamed (in a resource it names): the reference would
  /// dangle in the mirror.
  func unfollowedResults(_ matcher: SecretNameMatcher) -> [KRMResult] {
    unfollowed.compactMap { reference in
      // Only names this render renamed somewhere leave a reference behind.
      guard let holder = holders[reference.name],
        let renamed = renamed(reference.name, matcher)
      else { return nil }
      let old = String(decoding: reference.name, as: UTF8.self)
      let new = String(decoding: renamed, as: UTF8.self)
      return KRMResult(
        message:
          "names Secret \(old), which this render renames to \(new) (in \(holder) and wherever it is referenced), "
          + (reference.excluded
            ? "in a resource the selectors leave out" : "in a field krm-mirror does not rename")
          + ": the mirror would reference a missing Secret; rename it there too, or set secretNames: keep",
        severity: .error, resourceRef: reference.resource,
        field: .init(path: reference.path, currentValue: reference.value),
        file: reference.file)
    }
  }
}
