import KRM
import YAMLSplice

/// A large ResourceList in the kpt layout on two cores: the text is cut at
/// an item boundary, each part is parsed and processed on its own thread,
/// and the outcomes are joined in order.
///
/// The cut is a line that starts with `- ` at column 0, between the middle
/// of the list and its `functionConfig`. The parts are parsed apart:
/// the head (the list's keys and the first items, with `items` detached),
/// the second half of the items alone (a block sequence, its items
/// detached), and the tail from `functionConfig` on. Such a line can only
/// start an item of a column-0 `items` sequence, or sit inside a quoted
/// scalar or flow collection that crosses it — which leaves the head
/// unterminated, a syntax error. Every part must parse, and the three must
/// fit together as one list would (one document each, the head a
/// ResourceList whose last key is `items`, the tail with the configuration
/// read ahead and no key the head has, no document markers); anything else
/// falls back to one thread, which reads the input from scratch and reports
/// errors with their positions. Tests and the fuzzer check that both write
/// the same bytes.
extension Runner {
  /// The run over the parts, or nil when the input cannot be cut or the
  /// parts do not fit together.
  func runResourceListInParts(
    _ input: [UInt8], configRegion region: Range<Int>, config: MirrorConfig,
    function: MirrorFunction, io: RunIO
  ) -> Outcome.Status? {
    guard let cut = Self.itemCut(in: input, before: region.lowerBound) else { return nil }
    return runResourceListInParts(
      input, configRegion: region, config: config, function: function, cut: cut, io: io)
  }

  /// ``runResourceListInParts(_:configRegion:config:function:io:)`` cut at
  /// `cut` (the start of a line before the configuration region).
  func runResourceListInParts(
    _ input: [UInt8], configRegion region: Range<Int>, config: MirrorConfig,
    function: MirrorFunction, cut: Int, io: RunIO
  ) -> Outcome.Status? {
    guard cut > 0, cut < region.lowerBound else { return nil }
    let second = PartOutcome()
    let first = PartOutcome()
    var task: BackgroundTask?
    var listStart = 0
    do {
      try StreamParser.forEachDocument(
        in: input, range: 0..<cut, detaching: .key("items"),
        documentStarted: { start in
          guard task == nil else { return }
          listStart = start
          let spanStart = start
          task = BackgroundTask {
            // A function of its own: reference counts of shared matchers
            // would bounce between the cores.
            second.run(
              input, range: cut..<region.lowerBound, detaching: .rootSequence,
              spanStart: spanStart, function: MirrorFunction(config: config.copied()))
          }
        },
        item: { first.add($0, function: function) },
        document: { first.documents.append($0) })
    } catch {
      task?.join()
      return nil
    }
    task?.join()
    guard task != nil, !second.failed else { return nil }
    guard
      let tail = try? StreamParser.parse(
        input, range: region.lowerBound..<input.count, spanStart: listStart),
      let list = Self.joinedList(head: first, items: second, tail: tail, cut: cut, config: config)
    else { return nil }
    var tally = first.tally
    tally.add(second.tally)
    var summary = ResultLog()
    summary.append(tally.summary(config))
    return writeList(
      input: input, edits: [first.output.edits, second.output.edits],
      results: [first.output.results, second.output.results, summary], resultsIn: tail[0],
      root: tail[0].root, layout: list.layout, io: io)
  }

  /// Whether `input` has the shape the two-part path can try: a
  /// `functionConfig` region read ahead, and an item line to cut at before
  /// it. (The path may still decline once the parts are parsed.)
  public static func mayCutInParts(_ input: [UInt8]) -> Bool {
    guard let region = ResourceList.functionConfigRegion(in: input) else { return false }
    return itemCut(in: input, before: region.lowerBound) != nil
  }

  /// Where to cut the items: the first line starting `- ` (or a lone `-`)
  /// at or after the middle of the text before `end`, nil when none.
  static func itemCut(in input: [UInt8], before end: Int) -> Int? {
    guard end > 2 else { return nil }
    var index = max(1, end / 2)
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

  /// The head's list when the three parts fit together as one list: the
  /// head one ResourceList document whose last key is a column-0 block
  /// `items` with every item detached, its only `items` key (the general
  /// path reads the first of duplicate keys), no `functionConfig` or
  /// `results` key and no `...`; the
  /// items part one block sequence starting at the cut, every item
  /// detached, no document markers; the tail one block mapping with the
  /// configuration read ahead and none of `items`, `results` twice, or a
  /// first key styled unlike the head's.
  private static func joinedList(
    head: PartOutcome, items: PartOutcome, tail: [Document], cut: Int, config: MirrorConfig
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
    guard items.documents.count == 1 else { return nil }
    let part = items.documents[0]
    guard !part.hasExplicitStart, !part.hasExplicitEnd,
      part.kind(of: part.root) == .sequence, part.style(of: part.root) == .block,
      part.span(of: part.root).lowerBound == cut,
      Array(part.children(of: part.root)).count == items.itemCount
    else { return nil }
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
/// working on it can fill it; read only after that thread is joined.
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
        item: { self.add($0, function: function) }, document: { self.documents.append($0) })
    } catch {
      failed = true
    }
  }
}
