internal import CYAML

/// Parses a YAML stream into ``Document``s, one at a time.
///
/// One pass of libyaml's event parser; each event costs a forward move of the
/// byte cursor and, for node events, one table entry. Nothing is expanded:
/// aliases stay aliases, so alias bombs cost their text size only.
public enum StreamParser {
  /// The default limit on collection nesting. Real manifests stay far below
  /// it; deeper input is rejected with a positioned error so that no code
  /// walking the tree can exhaust the stack.
  public static let defaultMaximumDepth = 1000

  /// Calls `body` with each document of `source`, in order.
  ///
  /// Throws the first syntax error; `body` has then seen only the documents
  /// before it (libyaml detects some errors late), so callers that must not
  /// produce partial output collect first and emit afterwards.
  /// Cost: O(input) plus one node per scalar, collection and alias.
  public static func forEachDocument(
    in source: [UInt8],
    maximumDepth: Int = defaultMaximumDepth,
    _ body: (Document) throws(YAMLSyntaxError) -> Void
  ) throws(YAMLSyntaxError) {
    try forEachDocument(
      in: source, maximumDepth: maximumDepth, detachingItemsOf: nil, item: { _ in }, document: body)
  }

  /// Like ``forEachDocument(in:maximumDepth:_:)``, but when a document's
  /// root is a block mapping whose entry `key` holds a block sequence, each
  /// item of that sequence is parsed into a document of its own and passed
  /// to `item` as soon as it ends; the root's table keeps a childless
  /// placeholder per item (right span and kind). Memory for a list of items
  /// is then one item's table, not the whole list's. An item document's
  /// root is node 0 with no parent; offsets still index all of `source`.
  public static func forEachDocument(
    in source: [UInt8],
    maximumDepth: Int = defaultMaximumDepth,
    detachingItemsOf key: String?,
    item: (Document) -> Void,
    document body: (Document) throws(YAMLSyntaxError) -> Void
  ) throws(YAMLSyntaxError) {
    try forEachDocument(
      in: source, range: 0..<source.count, maximumDepth: maximumDepth,
      detaching: key.map { .key($0) }, item: item, document: body)
  }

  /// Which block sequence's items a parse hands out as documents of their own.
  public enum Detachment: Sendable {
    /// The sequence under this key of the root mapping.
    case key(String)
    /// The root itself, when it is a block sequence.
    case rootSequence
  }

  /// ``forEachDocument(in:maximumDepth:detachingItemsOf:item:document:)``
  /// over the bytes `range` of `source` alone, as if they were the whole
  /// input, with offsets (spans, values, error positions) into all of
  /// `source`: a part of a larger text parsed on its own.
  ///
  /// `spanStart`, when given, is where the documents and items handed out
  /// say their document starts (layout lookups stay after it), so that the
  /// parts of one document parsed apart edit as the whole would.
  /// `documentStarted` gets each document's start as soon as libyaml reports
  /// it, before any of its nodes.
  public static func forEachDocument(
    in source: [UInt8], range: Range<Int>,
    maximumDepth: Int = defaultMaximumDepth,
    detaching: Detachment?, spanStart: Int? = nil,
    documentStarted: (Int) -> Void = { _ in },
    item: (Document) -> Void,
    document body: (Document) throws(YAMLSyntaxError) -> Void
  ) throws(YAMLSyntaxError) {
    if source.count >= Int(UInt32.max) {
      throw YAMLSyntaxError(
        problem: "input larger than 4 GiB is not supported", byteOffset: 0, in: source)
    }
    // libyaml would decode UTF-16 (after its byte order mark), but spans and
    // edits are UTF-8 byte offsets: refuse it rather than edit wrong bytes.
    if range.lowerBound == 0, source.count >= 2,
      (source[0] == 0xFE && source[1] == 0xFF) || (source[0] == 0xFF && source[1] == 0xFE)
    {
      throw YAMLSyntaxError(
        problem:
          "UTF-16 input is not supported (convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8)",
        byteOffset: 0, in: source)
    }
    let result = source.withUnsafeBufferPointer { whole -> YAMLSyntaxError? in
      var builder = TableBuilder(
        source: source, whole: whole, range: range, maximumDepth: maximumDepth)
      switch detaching {
      case .key(let key): builder.detachKey = Array(key.utf8)
      case .rootSequence: builder.detachesRootSequence = true
      case nil: break
      }
      builder.spanStart = spanStart
      do throws(YAMLSyntaxError) {
        try builder.run(body, item: item, documentStarted: documentStarted)
        return nil
      } catch {
        return error
      }
    }
    if let result { throw result }
  }

  /// Parses every document in the bytes `range` of `source` alone, offsets
  /// into all of `source` (see
  /// ``forEachDocument(in:range:maximumDepth:detaching:spanStart:documentStarted:item:document:)``).
  public static func parse(
    _ source: [UInt8], range: Range<Int>, spanStart: Int? = nil,
    maximumDepth: Int = defaultMaximumDepth
  ) throws(YAMLSyntaxError) -> [Document] {
    var documents: [Document] = []
    try forEachDocument(
      in: source, range: range, maximumDepth: maximumDepth, detaching: nil, spanStart: spanStart,
      item: { _ in }, document: { documents.append($0) })
    return documents
  }

  /// Parses every document of `source`. Cost: as ``forEachDocument(in:maximumDepth:_:)``.
  public static func parse(_ source: [UInt8], maximumDepth: Int = defaultMaximumDepth)
    throws(YAMLSyntaxError) -> [Document]
  {
    var documents: [Document] = []
    try forEachDocument(in: source, maximumDepth: maximumDepth) { documents.append($0) }
    return documents
  }
}

/// The event loop that turns libyaml events into node tables.
///
/// Nodes go straight into a ``NodeTable`` (no per-node allocation); an item's
/// table is reused for the next item when nothing kept the item's document.
private struct TableBuilder: ~Copyable {
  let source: [UInt8]
  /// All of `source`, which absolute offsets index.
  let whole: UnsafeBufferPointer<UInt8>
  /// The bytes parsed (all of `whole`, or a part of it).
  let buffer: UnsafeBufferPointer<UInt8>
  /// Where `buffer` starts in `whole`: added to every offset.
  let base: Int
  let maximumDepth: Int
  var cursor: ByteOffsetCursor
  /// The table being filled: the document's, or a detached item's.
  var table = NodeTable()
  /// The collections open around the next node, innermost last.
  var open: OpenCollections
  var documentStart = 0
  var explicitStart = false
  /// The root key whose block sequence's items are detached, if any.
  var detachKey: [UInt8]?
  /// Whether the items of a root block sequence are detached.
  var detachesRootSequence = false
  /// The nesting at which detached items start (2: under a root key; 1:
  /// in the root sequence).
  var detachDepth = 2
  /// Where handed-out documents say their document starts, if not their own.
  var spanStart: Int?
  /// The main table's index of the sequence being detached, or -1.
  var detachedSequence: Int32 = -1
  /// Whether the root's next child is a value (its previous one a key).
  var rootExpectsValue = false
  /// While an item is built: the document's table set aside, and where the
  /// item's nesting starts on `open`.
  var mainTable: NodeTable?
  /// A table to build the next item in, kept from the last one.
  var spareItemTable: NodeTable?
  var itemBase = -1
  /// An item that ended, to hand out.
  var finishedItem: Document?
  /// The document's anchors so far: name → the table holding the node
  /// and its index there (a later anchor of the same name replaces an
  /// earlier one, as YAML says).
  var anchors: [[UInt8]: (table: Int, index: Int32)] = [:]
  /// Which table `table` is: tables are reused, so identity cannot tell a
  /// finished item's table from the next one's.
  var tableGeneration = 0
  var mainTableGeneration = 0
  var lastGeneration = 0

  init(
    source: [UInt8], whole: UnsafeBufferPointer<UInt8>, range: Range<Int>, maximumDepth: Int
  ) {
    self.source = source
    self.whole = whole
    self.buffer = UnsafeBufferPointer(rebasing: whole[range])
    self.base = range.lowerBound
    self.maximumDepth = maximumDepth
    self.cursor = ByteOffsetCursor(UnsafeBufferPointer(rebasing: whole[range]))
    self.open = OpenCollections(capacity: maximumDepth + 1)
  }

  /// The absolute byte offset of a libyaml mark's character index.
  @inline(__always)
  private mutating func offset(ofCharacter index: Int) -> Int {
    base + cursor.byteOffset(ofCharacter: index)
  }

  mutating func run(
    _ body: (Document) throws(YAMLSyntaxError) -> Void, item: (Document) -> Void,
    documentStarted: (Int) -> Void
  ) throws(YAMLSyntaxError) {
    let parser = EventParser(input: buffer)
    let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    defer { event.deallocate() }
    while true {
      guard parser.next(into: event) else { throw syntaxError(parser.parser.pointee) }
      defer { yaml_event_delete(event) }
      let type = event.pointee.type
      switch type {
      case YAML_SCALAR_EVENT:
        try addScalar(event)
      case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
        try openCollection(event, mapping: type == YAML_MAPPING_START_EVENT)
      case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
        try closeCollection(event)
      case YAML_ALIAS_EVENT:
        try addAlias(event)
      case YAML_DOCUMENT_START_EVENT:
        documentStart = offset(ofCharacter: event.pointee.start_mark.index)
        explicitStart = event.pointee.data.document_start.implicit == 0
        documentStarted(documentStart)
        anchors = [:]
        detachedSequence = -1
        rootExpectsValue = false
      case YAML_DOCUMENT_END_EVENT:
        let end = offset(ofCharacter: event.pointee.end_mark.index)
        let document = Document(
          source: source, span: (spanStart ?? documentStart)..<end,
          hasExplicitStart: explicitStart,
          hasExplicitEnd: event.pointee.data.document_end.implicit == 0, table: table)
        table = NodeTable()
        lastGeneration += 1
        tableGeneration = lastGeneration
        try body(document)
      case YAML_STREAM_END_EVENT:
        return
      default:
        break
      }
      if let finished = finishedItem {
        finishedItem = nil
        item(finished)
      }
    }
  }

  /// Starts a detached item when a node begins directly in the sequence
  /// being detached: the document's table is set aside.
  @inline(__always)
  private mutating func beginItemIfDetaching() {
    guard detachedSequence >= 0, itemBase < 0, open.count == detachDepth,
      open.node(at: detachDepth - 1) == detachedSequence
    else { return }
    mainTable = table
    mainTableGeneration = tableGeneration
    lastGeneration += 1
    tableGeneration = lastGeneration
    if var spare = spareItemTable, isKnownUniquelyReferenced(&spare) {
      spare.removeAll()
      table = spare
    } else {
      table = NodeTable()
    }
    spareItemTable = nil
    itemBase = open.count
  }

  /// Ends the detached item whose root is node 0 of the current table:
  /// hands it out as a document and puts a placeholder in the document's
  /// table.
  private mutating func endItem() throws(YAMLSyntaxError) {
    var placeholder = table[0]
    placeholder.first = -1
    placeholder.next = -1
    placeholder.parent = -1
    placeholder.valueLength = 0
    placeholder.flags = (placeholder.flags & ~Node.valueInArena) | Node.detached
    // The span reaches from the enclosing document's start to the end of the
    // input: layout lookups (line break style, JSON-ness) then read what
    // they would read in the whole document's table.
    let item = Document(
      source: source, span: (spanStart ?? documentStart)..<source.count, hasExplicitStart: false,
      table: table)
    // Where the item's own text ends (its last descendant's end), which
    // the placeholder cannot find without the children: a block mapping's
    // span runs on over comments after it.
    placeholder.valueOffset = UInt32(item.contentEnd(of: item.root))
    finishedItem = item
    // Kept for the next item; reused only if the item's document is gone.
    spareItemTable = table
    table = mainTable ?? NodeTable()
    tableGeneration = mainTableGeneration
    mainTable = nil
    itemBase = -1
    _ = try append(placeholder)
  }

  /// Whether `node` (a root key) is the detach key.
  private func isDetachKey(_ node: Node) -> Bool {
    guard let detachKey, node.kind == .scalar, node.flags & Node.valueInArena == 0,
      Int(node.valueLength) == detachKey.count
    else { return false }
    return detachKey.withUnsafeBufferPointer { key in
      memoryEquals(
        whole.baseAddress.map { $0 + Int(node.valueOffset) }, key.baseAddress, key.count)
    }
  }

  @inline(__always)
  private mutating func append(_ node: Node) throws(YAMLSyntaxError) -> Int32 {
    let index = table.append(node)
    if open.count == 1 && itemBase < 0 { rootExpectsValue.toggle() }
    let hasParent = itemBase < 0 ? open.count > 0 : open.count > itemBase
    if hasParent {
      let base = table.base
      let parent = open.innermost
      base[Int(index)].parent = parent
      let last = open.replaceLastChild(with: index)
      if last < 0 {
        base[Int(parent)].first = index
      } else {
        base[Int(last)].next = index
      }
    }
    return index
  }

  private mutating func addScalar(_ event: UnsafeMutablePointer<yaml_event_t>)
    throws(YAMLSyntaxError)
  {
    let start = offset(ofCharacter: event.pointee.start_mark.index)
    let end = offset(ofCharacter: event.pointee.end_mark.index)
    let scalar = event.pointee.data.scalar
    let length = scalar.length
    beginItemIfDetaching()
    let style: NodeStyle
    var quotes = 0
    switch scalar.style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      style = .singleQuoted
      quotes = 1
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      style = .doubleQuoted
      quotes = 1
    case YAML_LITERAL_SCALAR_STYLE: style = .literal
    case YAML_FOLDED_SCALAR_STYLE: style = .folded
    default: style = .plain
    }
    var flags: UInt8 = 0
    if scalar.anchor != nil || scalar.tag != nil { flags |= Node.hasProperties }
    if scalar.plain_implicit != 0 && scalar.tag == nil { flags |= Node.plainImplicit }
    // The value is usually the source text itself: reuse it when it is.
    var valueOffset = end - quotes - length
    if style.isBlockScalar || valueOffset < start
      || !memoryEquals(scalar.value, whole.baseAddress.map { $0 + valueOffset }, length)
    {
      flags |= Node.valueInArena
      valueOffset = table.appendToArena(
        UnsafeBufferPointer(start: scalar.value, count: scalar.value == nil ? 0 : length))
    }
    let index = try append(
      Node(
        start: UInt32(start), end: UInt32(end), next: -1, first: -1, parent: -1,
        valueOffset: UInt32(valueOffset), valueLength: UInt32(length), kind: .scalar,
        style: style, flags: flags))
    if let anchor = scalar.anchor { recordAnchor(anchor, index: index) }
    if style == .plain && length == 2 && scalar.value[0] == 0x3C && scalar.value[1] == 0x3C {
      table.hasMergeKeys = true
    }
    if itemBase == open.count { try endItem() }
  }

  private mutating func addAlias(_ event: UnsafeMutablePointer<yaml_event_t>)
    throws(YAMLSyntaxError)
  {
    let start = offset(ofCharacter: event.pointee.start_mark.index)
    let end = offset(ofCharacter: event.pointee.end_mark.index)
    beginItemIfDetaching()
    let index = try append(
      Node(
        start: UInt32(start), end: UInt32(end), next: -1, first: -1, parent: -1, valueOffset: 0,
        valueLength: 0, kind: .alias, style: .none, flags: 0))
    var target: Int32?
    if let name = event.pointee.data.alias.anchor,
      let anchored = anchors[Self.anchorName(name)],
      anchored.table == tableGeneration
    {
      target = anchored.index
    }
    table.recordAlias(index, target: target)
    if itemBase == open.count { try endItem() }
  }

  /// Remembers that the node at `index` of the current table carries the
  /// anchor `name`.
  private mutating func recordAnchor(_ name: UnsafePointer<UInt8>, index: Int32) {
    anchors[Self.anchorName(name)] = (tableGeneration, index)
  }

  private static func anchorName(_ name: UnsafePointer<UInt8>) -> [UInt8] {
    var length = 0
    while name[length] != 0 { length += 1 }
    return Array(UnsafeBufferPointer(start: name, count: length))
  }

  private mutating func openCollection(
    _ event: UnsafeMutablePointer<yaml_event_t>, mapping: Bool
  ) throws(YAMLSyntaxError) {
    let start = offset(ofCharacter: event.pointee.start_mark.index)
    if open.count >= maximumDepth {
      throw YAMLSyntaxError(
        problem: "nesting deeper than \(maximumDepth) levels", context: "depth limit",
        byteOffset: start, in: source)
    }
    let flow: Bool
    var flags: UInt8 = 0
    let anchor: UnsafeMutablePointer<yaml_char_t>?
    if mapping {
      let data = event.pointee.data.mapping_start
      flow = data.style == YAML_FLOW_MAPPING_STYLE
      anchor = data.anchor
      if data.anchor != nil || data.tag != nil { flags |= Node.hasProperties }
    } else {
      let data = event.pointee.data.sequence_start
      flow = data.style == YAML_FLOW_SEQUENCE_STYLE
      anchor = data.anchor
      if data.anchor != nil || data.tag != nil { flags |= Node.hasProperties }
    }
    let detachingKeyed =
      !mapping && !flow && open.count == 1 && itemBase < 0 && rootExpectsValue
      && table[0].kind == .mapping && table[0].style == .block && open.lastChild(at: 0) >= 0
      && isDetachKey(table[open.lastChild(at: 0)])
    let detachingRoot = !mapping && !flow && open.count == 0 && detachesRootSequence
    let detaching = detachingKeyed || detachingRoot
    if detaching { detachDepth = detachingRoot ? 1 : 2 }
    beginItemIfDetaching()
    let index = try append(
      Node(
        start: UInt32(start), end: UInt32(start), next: -1, first: -1, parent: -1, valueOffset: 0,
        valueLength: 0, kind: mapping ? .mapping : .sequence, style: flow ? .flow : .block,
        flags: flags))
    if detaching { detachedSequence = index }
    if let anchor { recordAnchor(anchor, index: index) }
    open.push(index)
  }

  private mutating func closeCollection(_ event: UnsafeMutablePointer<yaml_event_t>)
    throws(YAMLSyntaxError)
  {
    let end = offset(ofCharacter: event.pointee.end_mark.index)
    guard open.count > 0 else { return }
    let index = open.pop()
    table.base[Int(index)].end = UInt32(end)
    if itemBase == open.count { try endItem() }
  }

  private func syntaxError(_ parser: yaml_parser_t) -> YAMLSyntaxError {
    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
    let context = parser.context.map { String(cString: $0) }
    if parser.error == YAML_READER_ERROR {
      var text = problem
      if parser.problem_value >= 0 {
        let hex = String(parser.problem_value, radix: 16, uppercase: true)
        text += " #x" + (hex.count < 2 ? "0" + hex : hex)
      }
      return YAMLSyntaxError(
        problem: text, context: context, byteOffset: base + parser.problem_offset, in: source)
    }
    if parser.error == YAML_MEMORY_ERROR {
      return YAMLSyntaxError(problem: "out of memory", byteOffset: 0, in: source)
    }
    var locator = ByteOffsetCursor(buffer)
    let offset = base + locator.byteOffset(ofCharacter: parser.problem_mark.index)
    return YAMLSyntaxError(problem: problem, context: context, byteOffset: offset, in: source)
  }
}

/// The stack of open collections during a parse: each one's node and its
/// last child so far. Fixed capacity (the depth limit), allocated once.
private struct OpenCollections: ~Copyable {
  private let frames: UnsafeMutablePointer<(node: Int32, lastChild: Int32)>
  private let capacity: Int
  /// Number of open collections.
  private(set) var count = 0

  init(capacity: Int) {
    self.capacity = capacity
    frames = .allocate(capacity: capacity)
  }

  deinit { frames.deallocate() }

  /// The innermost open collection; the stack must not be empty.
  var innermost: Int32 { frames[count - 1].node }

  /// The collection at depth `depth` (0 is the root).
  func node(at depth: Int) -> Int32 { frames[depth].node }

  /// The last child so far of the collection at depth `depth`, or -1.
  func lastChild(at depth: Int) -> Int32 { frames[depth].lastChild }

  /// Makes `index` the innermost collection's last child; returns the
  /// previous one (-1 for none).
  mutating func replaceLastChild(with index: Int32) -> Int32 {
    let previous = frames[count - 1].lastChild
    frames[count - 1].lastChild = index
    return previous
  }

  /// Opens a collection; the caller keeps `count` below the capacity.
  mutating func push(_ node: Int32) {
    precondition(count < capacity, "nesting beyond the depth limit")
    frames[count] = (node, -1)
    count += 1
  }

  /// Closes the innermost collection and returns it.
  mutating func pop() -> Int32 {
    count -= 1
    return frames[count].node
  }
}
