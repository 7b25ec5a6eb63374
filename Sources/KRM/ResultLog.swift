import YAMLSplice

/// The results of a run, kept compact until they are written.
///
/// A list of 100,000 resources easily yields 200,000 results whose YAML is
/// larger than the input. The log keeps each result as one fixed-size record
/// whose texts are byte ranges of one shared buffer (or of the input the log
/// is rendered with), a resource's reference is stored once for all its
/// results, and the two most common messages are composed when rendered
/// from the field values they repeat. Nothing is allocated per result.
public struct ResultLog: Sendable {
  /// A piece of text: bytes of the log's own buffer, or of the source it is
  /// rendered with (``sourceText(_:)``).
  public struct Text: Equatable, Sendable {
    let offset: UInt32
    let rawLength: UInt32
    static let inSourceBit: UInt32 = 1 << 31

    /// No text (a field left out).
    public static let none = Text(offset: UInt32.max, rawLength: 0)

    /// Whether the text is absent.
    public var isNone: Bool { offset == UInt32.max }
    var isInSource: Bool { rawLength & Self.inSourceBit != 0 }
    var length: Int { Int(rawLength & ~Self.inSourceBit) }
  }

  /// How a result's message is made.
  enum Form: UInt8 {
    /// The message is `message`.
    case text
    /// `rewrote CURRENT to PROPOSED`.
    case rewrote
    /// `HOST is under source domain DOMAIN in this value (leftover:
    /// value); …` with the advice for text mode off.
    case leftoverValue
    /// The same with text mode on: the value holds a form text mode does
    /// not rewrite.
    case leftoverValueInText
    /// A leftover in an object's identity (name, namespace, label value).
    case leftoverIdentity
    /// A leftover in a mapping key.
    case leftoverKey

    /// The form of a leftover of `category`, as advised with text mode
    /// on or off.
    init(leftover category: LeftoverCategory, textMode: Bool) {
      switch category {
      case .value: self = textMode ? .leftoverValueInText : .leftoverValue
      case .identity: self = .leftoverIdentity
      case .key: self = .leftoverKey
      }
    }
  }

  /// One result; texts refer to ``storage`` or the rendering source.
  struct Record {
    var severity: KRMResult.Severity
    var form: Form
    /// Index into ``references``, or -1.
    var reference: Int32
    /// The message (`.text`), or the leftover host.
    var message: Text
    /// The leftover's source domain.
    var domain: Text
    var path: Text
    var current: Text
    var proposed: Text
  }

  /// A resource's reference and file, shared by all its results.
  struct Reference {
    var apiVersion: Text
    var kind: Text
    var name: Text
    var namespace: Text
    var filePath: Text
    var fileIndex: Int
  }

  /// A resource reference recorded with ``addReference(apiVersion:kind:name:namespace:filePath:fileIndex:)``.
  public struct ReferenceID: Equatable, Sendable {
    let index: Int32
  }

  var storage: [UInt8] = []
  var records: [Record] = []
  var references: [Reference] = []

  /// Creates an empty log.
  public init() {}

  /// Number of results.
  public var count: Int { records.count }

  /// Whether the log holds no result.
  public var isEmpty: Bool { records.isEmpty }

  /// The highest severity logged, or nil when empty. Cost: O(results).
  public var highestSeverity: KRMResult.Severity? { records.lazy.map(\.severity).max() }

  /// Severity of result `index`.
  public func severity(at index: Int) -> KRMResult.Severity { records[index].severity }

  // MARK: - Texts

  /// Stores `bytes` and returns their text. Cost: O(bytes), amortized.
  public mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Text {
    let offset = storage.count
    storage.append(contentsOf: bytes)
    return Text(offset: UInt32(offset), rawLength: UInt32(storage.count - offset))
  }

  /// Stores `bytes` and returns their text. Cost: O(bytes), amortized.
  public mutating func text(_ bytes: [UInt8]) -> Text {
    bytes.withUnsafeBufferPointer { text($0) }
  }

  /// Stores `string` and returns its text.
  public mutating func text(_ string: String) -> Text {
    var string = string
    return string.withUTF8 { text($0) }
  }

  /// Stores what `write` appends and returns it as one text (no copy beyond
  /// the writing itself).
  public mutating func text(writing write: (inout [UInt8]) -> Void) -> Text {
    let offset = storage.count
    write(&storage)
    return Text(offset: UInt32(offset), rawLength: UInt32(storage.count - offset))
  }

  /// The bytes `range` of the source the log will be rendered with, stored
  /// as a reference. Cost: O(1).
  public func sourceText(_ range: Range<Int>) -> Text {
    Text(
      offset: UInt32(range.lowerBound), rawLength: UInt32(range.count) | Text.inSourceBit)
  }

  /// Calls `body` with the bytes of `text`.
  func withBytes<R>(
    _ text: Text, source: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    if text.isNone || text.length == 0 { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    let start = Int(text.offset)
    if text.isInSource {
      return body(UnsafeBufferPointer(rebasing: source[start..<start + text.length]))
    }
    return storage.withUnsafeBufferPointer { buffer in
      body(UnsafeBufferPointer(rebasing: buffer[start..<start + text.length]))
    }
  }

  func string(_ text: Text, source: UnsafeBufferPointer<UInt8>) -> String? {
    text.isNone ? nil : withBytes(text, source: source) { String(decoding: $0, as: UTF8.self) }
  }

  // MARK: - Adding results

  /// Records a resource reference for later results.
  public mutating func addReference(
    apiVersion: Text, kind: Text, name: Text, namespace: Text, filePath: Text = .none,
    fileIndex: Int? = nil
  ) -> ReferenceID {
    references.append(
      Reference(
        apiVersion: apiVersion, kind: kind, name: name, namespace: namespace, filePath: filePath,
        fileIndex: fileIndex ?? -1))
    return ReferenceID(index: Int32(references.count - 1))
  }

  /// Appends a result with the message `message`.
  public mutating func append(
    _ severity: KRMResult.Severity, message: Text, reference: ReferenceID?, path: Text = .none,
    current: Text = .none, proposed: Text = .none
  ) {
    records.append(
      Record(
        severity: severity, form: .text, reference: reference?.index ?? -1, message: message,
        domain: .none, path: path, current: current, proposed: proposed))
  }

  /// Appends the `info` result of a rewritten field: `rewrote CURRENT to
  /// PROPOSED`, with both values as the field's.
  public mutating func appendRewrite(
    reference: ReferenceID?, path: Text, current: Text, proposed: Text
  ) {
    records.append(
      Record(
        severity: .info, form: .rewrote, reference: reference?.index ?? -1, message: .none,
        domain: .none, path: path, current: current, proposed: proposed))
  }

  /// Appends a leftover: `HOST is under source domain DOMAIN in this value
  /// (leftover: value); …`, with the advice that fits `category` and
  /// whether text mode is on, and the scalar's whole value as current.
  public mutating func appendLeftover(
    _ severity: KRMResult.Severity, host: Text, domain: Text, category: LeftoverCategory,
    textMode: Bool, reference: ReferenceID?, path: Text, current: Text
  ) {
    records.append(
      Record(
        severity: severity, form: Form(leftover: category, textMode: textMode),
        reference: reference?.index ?? -1, message: host, domain: domain, path: path,
        current: current, proposed: .none))
  }

  /// Appends a result given as a value (configuration errors, summaries).
  public mutating func append(_ result: KRMResult) {
    var reference: ReferenceID?
    if let ref = result.resourceRef {
      reference = addReference(
        apiVersion: text(ref.apiVersion), kind: text(ref.kind), name: text(ref.name),
        namespace: ref.namespace.map { text($0) } ?? .none,
        filePath: result.file.map { text($0.path) } ?? .none, fileIndex: result.file?.index)
    } else if let file = result.file {
      reference = addReference(
        apiVersion: .none, kind: .none, name: .none, namespace: .none, filePath: text(file.path),
        fileIndex: file.index)
    }
    append(
      result.severity, message: text(result.message), reference: reference,
      path: result.field.map { text($0.path) } ?? .none,
      current: result.field?.currentValue.map { text($0) } ?? .none,
      proposed: result.field?.proposedValue.map { text($0) } ?? .none)
  }

  /// Appends every result of `other`, whose in-source texts refer to the
  /// same source as this log's; or, when `otherSource` is given, to that
  /// source (they are copied into this log).
  public mutating func append(contentsOf other: ResultLog, otherSource: [UInt8]? = nil) {
    let base = UInt32(storage.count)
    let referenceBase = Int32(references.count)
    storage += other.storage
    func moved(_ text: Text) -> Text {
      guard !text.isNone else { return text }
      if text.isInSource {
        guard let otherSource else { return text }
        let start = Int(text.offset)
        return self.text(Array(otherSource[start..<start + text.length]))
      }
      return Text(offset: text.offset + base, rawLength: text.rawLength)
    }
    for reference in other.references {
      references.append(
        Reference(
          apiVersion: moved(reference.apiVersion), kind: moved(reference.kind),
          name: moved(reference.name), namespace: moved(reference.namespace),
          filePath: moved(reference.filePath), fileIndex: reference.fileIndex))
    }
    for var record in other.records {
      if record.reference >= 0 { record.reference += referenceBase }
      record.message = moved(record.message)
      record.domain = moved(record.domain)
      record.path = moved(record.path)
      record.current = moved(record.current)
      record.proposed = moved(record.proposed)
      records.append(record)
    }
  }

  /// Removes every result, keeping the buffers' capacity.
  public mutating func removeAll() {
    storage.removeAll(keepingCapacity: true)
    records.removeAll(keepingCapacity: true)
    references.removeAll(keepingCapacity: true)
  }

  // MARK: - Reading results back

  /// Result `index` as a value; in-source texts are read from `source`.
  public func result(at index: Int, source: [UInt8]) -> KRMResult {
    source.withUnsafeBufferPointer { source in
      let record = records[index]
      var message = ByteWriter(capacity: 256)
      composeMessage(record, source: source, into: &message)
      var result = KRMResult(
        message: message.withBytes { String(decoding: $0, as: UTF8.self) },
        severity: record.severity)
      if record.reference >= 0 {
        let reference = references[Int(record.reference)]
        if !reference.kind.isNone {
          result.resourceRef = KRMResult.ResourceRef(
            apiVersion: string(reference.apiVersion, source: source) ?? "",
            kind: string(reference.kind, source: source) ?? "",
            name: string(reference.name, source: source) ?? "",
            namespace: string(reference.namespace, source: source))
        }
        if let path = string(reference.filePath, source: source) {
          result.file = KRMResult.File(
            path: path, index: reference.fileIndex >= 0 ? reference.fileIndex : nil)
        }
      }
      if let path = string(record.path, source: source) {
        result.field = KRMResult.Field(
          path: path, currentValue: string(record.current, source: source),
          proposedValue: string(record.proposed, source: source))
      }
      return result
    }
  }

  /// Every result as values. Cost: O(results), allocations per result.
  public func results(source: [UInt8]) -> [KRMResult] {
    (0..<count).map { result(at: $0, source: source) }
  }

  /// Appends the message of `record` to `out`.
  func composeMessage(
    _ record: Record, source: UnsafeBufferPointer<UInt8>, into out: inout ByteWriter
  ) {
    func add(_ text: Text) { withBytes(text, source: source) { out.append($0) } }
    switch record.form {
    case .text:
      add(record.message)
    case .rewrote:
      out.append("rewrote ")
      add(record.current)
      out.append(" to ")
      add(record.proposed)
    case .leftoverValue, .leftoverValueInText, .leftoverIdentity, .leftoverKey:
      add(record.message)
      out.append(" is under source domain ")
      add(record.domain)
      switch record.form {
      case .leftoverIdentity:
        out.append(
          " in this name, namespace or label value (leftover: identity); not rewritten: krm-mirror never rewrites an object's identity, text mode included (rename it by hand)"
        )
      case .leftoverKey:
        out.append(
          " in this key (leftover: key); not rewritten: krm-mirror never rewrites mapping keys, text mode included (rename it by hand)"
        )
      case .leftoverValueInText:
        out.append(
          " in this value (leftover: value); not rewritten: text mode does not rewrite this form of host (declare the field with a format)"
        )
      default:
        out.append(
          " in this value (leftover: value); not rewritten: no host field covers it (add a field, or set text: true)"
        )
      }
    }
  }
}
