import KRM
import YAMLSplice

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

/// A large ResourceList in the kpt layout on two cores: the text is cut at
/// item boundaries, the parts are parsed and processed by two threads that
/// take the next unclaimed part until none is left, and the outcomes are
/// joined in order.
///
/// A cut is a line that starts with `- ` at column 0, between the start of
/// the list and its `functionConfig`. The parts are parsed apart: the head
/// (the list's keys and the first items, with `items` detached), each run
/// of items between two cuts alone (a block sequence, its items detached),
/// and the tail from `functionConfig` on. Such a line can only start an
/// item of a column-0 `items` sequence, or sit inside a quoted scalar or
/// flow collection that crosses it — which leaves the part before it
/// unterminated, a syntax error. Every part must parse, and they must fit
/// together as one list would (one document each, the head a ResourceList
/// whose last key is `items`, the tail with the configuration read ahead
/// and no key the head has, no document markers); anything else falls back
/// to one thread, which reads the input from scratch and reports errors
/// with their positions. Tests and the fuzzer check that both write the
/// same bytes.
///
/// Many parts rather than two halves: a thread that is slowed (the other
/// core busy with something else, a part with heavier items) takes fewer
/// parts, so the two finish within about one part of each other.
extension Runner {
  /// The run over the parts, or nil when the input cannot be cut or the
  /// parts do not fit together.
  func runResourceListInParts(
    _ input: [UInt8], configRegion region: Range<Int>, config: MirrorConfig,
    function: MirrorFunction, io: RunIO
  ) -> Outcome.Status? {
    let parts = min(Self.maximumListParts, max(2, region.lowerBound / max(1, listPartSize)))
    let cuts = Self.itemCuts(in: input, before: region.lowerBound, parts: parts)
    guard !cuts.isEmpty else { return nil }
    return runResourceListInParts(
      input, configRegion: region, config: config, function: function, cuts: cuts, io: io)
  }

  /// The most parts a list is cut into.
  static let maximumListParts = 32

  /// ``runResourceListInParts(_:configRegion:config:function:io:)`` cut at
  /// `cuts` (increasing starts of lines before the configuration region).
  func runResourceListInParts(
    _ input: [UInt8], configRegion region: Range<Int>, config: MirrorConfig,
    function: MirrorFunction, cuts: [Int], io: RunIO
  ) -> Outcome.Status? {
    guard let firstCut = cuts.first, firstCut > 0,
      zip(cuts, cuts.dropFirst()).allSatisfy({ $0 < $1 }),
      let lastCut = cuts.last, lastCut < region.lowerBound
    else { return nil }
    let ranges = cuts.indices.map { index in
      cuts[index]..<(index + 1 < cuts.count ? cuts[index + 1] : region.lowerBound)
    }
    let items = ranges.map { _ in PartOutcome() }
    let claims = PartClaims(count: ranges.count)
    let head = PartOutcome()
    var task: BackgroundTask?
    var listStart = 0
    /// Runs the unclaimed parts, one after the other, until none is left.
    func runParts(spanStart: Int, function: MirrorFunction) {
      while let index = claims.next() {
        items[index].run(
          input, range: ranges[index], detaching: .rootSequence, spanStart: spanStart,
          function: function)
        if items[index].failed { claims.stop() }
      }
    }
    do {
      try StreamParser.forEachDocument(
        in: input, range: 0..<firstCut, detaching: .key("items"),
        documentStarted: { start in
          guard task == nil else { return }
          listStart = start
          task = BackgroundTask {
            // A function of its own: reference counts of shared matchers
            // would bounce between the cores.
            runParts(
              spanStart: start,
              function: MirrorFunction(
                config: config.copied(), secretKnowledge: function.secretKnowledge))
          }
        },
        item: { head.add($0, function: function) },
        document: { head.documents.append($0) })
    } catch {
      claims.stop()
      task?.join()
      return nil
    }
    if task != nil { runParts(spanStart: listStart, function: function) }
    task?.join()
    guard task != nil, !items.contains(where: \.failed) else { return nil }
    guard
      let tail = try? StreamParser.parse(
        input, range: region.lowerBound..<input.count, spanStart: listStart),
      let list = Self.joinedList(head: head, items: items, tail: tail, cuts: cuts, config: config)
    else { return nil }
    let secrets = [head.output.secrets] + items.map(\.output.secrets)
    if let knowledge = Self.secretKnowledgeForAnotherPass(secrets, function) {
      return runResourceListInParts(
        input, configRegion: region, config: config,
        function: MirrorFunction(config: config, secretKnowledge: knowledge), cuts: cuts, io: io)
    }
    var tally = head.tally
    for part in items { tally.add(part.tally) }
    var summary = ResultLog()
    for result in SecretRenames.merged(secrets).unfollowedResults(function.secretNames) {
      summary.append(result)
    }
    for result in tally.closingResults(function) { summary.append(result) }
    return writeList(
      input: input, edits: [head.output.edits] + items.map(\.output.edits),
      results: [head.output.results] + items.map(\.output.results) + [summary],
      resultsIn: tail[0], root: tail[0].root, layout: list.layout, io: io)
  }

  /// Whether `input` has the shape the path in parts can try: a
  /// `functionConfig` region read ahead, and an item line to cut at before
  /// it. (The path may still decline once the parts are parsed.)
  public static func mayCutInParts(_ input: [UInt8]) -> Bool {
    guard let region = ResourceList.functionConfigRegion(in: input) else { return false }
    return !itemCuts(in: input, before: region.lowerBound, parts: 2).isEmpty
  }

  /// Where to cut the items into about `parts` parts: for each k in
  /// 1..<parts, the first line starting `- ` (or a lone `-`) at or after
  /// k/parts of the text before `end`, never the first such line (the head
  /// keeps at least one item); increasing, without repeats (fewer when the
  /// lines are sparse), empty when there is none. Cost: one pass over the
  /// bytes looked at, no more than the text before `end`.
  static func itemCuts(in input: [UInt8], before end: Int, parts: Int) -> [Int] {
    /// The first item line at or after `start`, nil when none before `end`.
    func itemLine(from start: Int) -> Int? {
      var index = max(1, start)
      while index + 1 < end {
        if input[index - 1] == 0x0A && input[index] == UInt8(ascii: "-")
          && (input[index + 1] == 0x20 || input[index + 1] == 0x0A || input[index + 1] == 0x0D)
        {
          return index
        }
        index += 1
      }
      return nil
    }
    guard end > 2, let first = itemLine(from: 1) else { return [] }
    var cuts: [Int] = []
    for part in 1..<max(2, parts) {
      guard let cut = itemLine(from: max(end / parts * part, (cuts.last ?? first) + 1)) else {
        break
      }
      cuts.append(cut)
    }
    return cuts
  }

  /// The head's list when the parts fit together as one list: the head one
  /// ResourceList document whose last key is a column-0 block `items` with
  /// every item detached, its only `items` key (the general path reads the
  /// first of duplicate keys), no `functionConfig` or `results` key and no
  /// `...`; each items part one block sequence starting at its cut, every
  /// item detached, no document markers; the tail one block mapping with
  /// the configuration read ahead and none of `items`, `results` twice, or
  /// a first key styled unlike the head's.
  private static func joinedList(
    head: PartOutcome, items: [PartOutcome], tail: [Document], cuts: [Int], config: MirrorConfig
  ) -> ResourceList? {
    guard head.documents.count == 1, let list = ResourceList(head.documents[0]),
      !list.hasMalformedItems, list.items.count == head.itemCount,
      !list.document.hasExplicitEnd, list.document.entry("results", in: list.root) == nil
    else { return nil }
    let document = list.document
    guard let itemsNode = list.itemsNode, document.style(of: itemsNode) == .block,
      document.column(of: document.span(of: itemsNode).lowerBound) == 0,
      let lastEntry = document.entries(of: list.root).last, lastEntry.value == itemsNode,
      list.functionConfig == nil
    else { return nil }
    for (items, cut) in zip(items, cuts) {
      guard items.documents.count == 1 else { return nil }
      let part = items.documents[0]
      guard !part.hasExplicitStart, !part.hasExplicitEnd,
        part.kind(of: part.root) == .sequence, part.style(of: part.root) == .block,
        part.span(of: part.root).lowerBound == cut,
        Array(part.children(of: part.root)).count == items.itemCount
      else { return nil }
    }
    guard tail.count == 1 else { return nil }
    let rest = tail[0]
    guard !rest.hasExplicitStart, rest.kind(of: rest.root) == .mapping,
      rest.style(of: rest.root) == .block, rest.entry("items", in: rest.root) == nil,
      let headFirst = document.entries(of: list.root).first?.key,
      let tailFirst = rest.entries(of: rest.root).first?.key,
      document.style(of: headFirst) == rest.style(of: tailFirst),
      let configNode = rest.value("functionConfig", in: rest.root)
    else { return nil }
    var decoder = ConfigDecoder(document: rest)
    guard let confirmed = try? decoder.decode(configNode), confirmed == config else { return nil }
    return list
  }
}

/// What one part of a list came out as: its documents and items, and the
/// function's edits and results for them. A class so that the thread
/// working on it can fill it; read only after both threads are done (the
/// other one joined).
final class PartOutcome: @unchecked Sendable {
  var output = MirrorFunction.Output()
  var tally = RunTally()
  var itemCount = 0
  var documents: [Document] = []
  /// Whether the part did not parse.
  var failed = false

  /// Processes one item of the part.
  func add(_ item: Document, function: MirrorFunction) {
    itemCount += 1
    // Aliases are decided per use over the whole list: the general path.
    if item.hasAliases { failed = true }
    tally.add(function.process(ResourceItem(document: item, node: item.root), into: &output))
  }

  /// Parses `range` of `input` with items detached, processing each.
  func run(
    _ input: [UInt8], range: Range<Int>, detaching: StreamParser.Detachment, spanStart: Int,
    function: MirrorFunction
  ) {
    do {
      try StreamParser.forEachDocument(
        in: input, range: range, detaching: detaching, spanStart: spanStart,
        item: { self.add($0, function: function) },
        document: {
          if $0.hasAliases { self.failed = true }
          self.documents.append($0)
        })
    } catch {
      failed = true
    }
  }
}

/// Hands out the parts of a list, each to one thread: the next unclaimed
/// index, or nil once all are taken or the run was stopped (a part failed,
/// so the rest are not worth doing).
final class PartClaims: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private var nextIndex = 0
  private let count: Int

  /// Claims for parts `0..<count`.
  init(count: Int) {
    self.count = count
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// The next unclaimed part, nil when there is none. Cost: one lock.
  func next() -> Int? {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    guard nextIndex < count else { return nil }
    nextIndex += 1
    return nextIndex - 1
  }

  /// Leaves no part to claim.
  func stop() {
    pthread_mutex_lock(mutex)
    nextIndex = count
    pthread_mutex_unlock(mutex)
  }
}
