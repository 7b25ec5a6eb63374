public import YAMLSplice

/// Writing a ``ResultLog`` out: as the items of a block or flow `results`
/// sequence (the bytes ``KRMResult/fragment`` renders to, key order of the
/// KRM functions specification), or as lines for a terminal.
extension ResultLog {
  /// Appends results `range` as items of a `results` sequence laid out as
  /// `style` says; flow items are separated by `, ` (the first one too
  /// when `range` does not start at 0). In-source texts are read from
  /// `source`. Cost: O(output), no allocation per result beyond `out`'s
  /// growth.
  public func render(
    _ range: Range<Int>, as style: SequenceSlot.Style, source: [UInt8], into out: inout [UInt8]
  ) {
    var message: [UInt8] = []
    message.reserveCapacity(256)
    source.withUnsafeBufferPointer { source in
      for index in range {
        let record = records[index]
        message.removeAll(keepingCapacity: true)
        composeMessage(record, source: source, into: &message)
        switch style {
        case .block(let indent, let layout):
          renderBlockItem(
            record, message: message, indent: indent, layout: layout, source: source, into: &out)
        case .flow(let json):
          if index > 0 { out.append(contentsOf: ", ".utf8) }
          renderFlowItem(record, message: message, json: json, source: source, into: &out)
        }
      }
    }
  }

  /// Result `index` as one line for a terminal, in kpt's shape:
  /// `[severity] apiVersion/Kind/namespace/name field.path: message`.
  public func line(at index: Int, source: [UInt8]) -> String {
    source.withUnsafeBufferPointer { source in
      let record = records[index]
      var text: [UInt8] = Array("[\(record.severity.rawValue)]".utf8)
      func add(_ piece: Text) { withBytes(piece, source: source) { text.append(contentsOf: $0) } }
      if record.reference >= 0 {
        let reference = references[Int(record.reference)]
        if !reference.kind.isNone {
          text.append(0x20)
          add(reference.apiVersion)
          text.append(UInt8(ascii: "/"))
          add(reference.kind)
          text.append(UInt8(ascii: "/"))
          if !reference.namespace.isNone {
            add(reference.namespace)
            text.append(UInt8(ascii: "/"))
          }
          add(reference.name)
        }
      }
      if !record.path.isNone {
        text.append(0x20)
        add(record.path)
      }
      text.append(contentsOf: ": ".utf8)
      composeMessage(record, source: source, into: &text)
      return String(decoding: text, as: UTF8.self)
    }
  }

  // MARK: - Block

  private func renderBlockItem(
    _ record: Record, message: [UInt8], indent: Int, layout: BlockLayout,
    source: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]
  ) {
    let nested = indent + 2
    let inner = nested + layout.step
    out.append(contentsOf: repeatElement(0x20, count: indent))
    out.append(contentsOf: "- message: ".utf8)
    message.withUnsafeBufferPointer { ScalarWriter.appendToken($0, inFlow: false, to: &out) }
    out.append(contentsOf: layout.lineBreak)
    Self.blockKey("severity", indent: nested, into: &out)
    out.append(contentsOf: record.severity.rawValue.utf8)
    out.append(contentsOf: layout.lineBreak)
    func entry(_ key: StaticString, _ text: Text) {
      guard !text.isNone else { return }
      Self.blockKey(key, indent: inner, into: &out)
      withBytes(text, source: source) { ScalarWriter.appendToken($0, inFlow: false, to: &out) }
      out.append(contentsOf: layout.lineBreak)
    }
    func open(_ key: StaticString) {
      out.append(contentsOf: repeatElement(0x20, count: nested))
      out.append(key.utf8Start, count: key.utf8CodeUnitCount)
      out.append(UInt8(ascii: ":"))
      out.append(contentsOf: layout.lineBreak)
    }
    let reference = record.reference >= 0 ? references[Int(record.reference)] : nil
    if let reference, !reference.kind.isNone {
      open("resourceRef")
      entry("apiVersion", reference.apiVersion)
      entry("kind", reference.kind)
      entry("name", reference.name)
      entry("namespace", reference.namespace)
    }
    if !record.path.isNone {
      open("field")
      entry("path", record.path)
      entry("currentValue", record.current)
      entry("proposedValue", record.proposed)
    }
    if let reference, !reference.filePath.isNone {
      open("file")
      entry("path", reference.filePath)
      if reference.fileIndex >= 0 {
        Self.blockKey("index", indent: inner, into: &out)
        out.append(contentsOf: String(reference.fileIndex).utf8)
        out.append(contentsOf: layout.lineBreak)
      }
    }
  }

  /// `indent` spaces, then `key: `.
  private static func blockKey(_ key: StaticString, indent: Int, into out: inout [UInt8]) {
    out.append(contentsOf: repeatElement(0x20, count: indent))
    out.append(key.utf8Start, count: key.utf8CodeUnitCount)
    out.append(contentsOf: ": ".utf8)
  }

  // MARK: - Flow

  private func renderFlowItem(
    _ record: Record, message: [UInt8], json: Bool, source: UnsafeBufferPointer<UInt8>,
    into out: inout [UInt8]
  ) {
    func key(_ name: StaticString, first: Bool = false) {
      if !first { out.append(contentsOf: ", ".utf8) }
      if json { out.append(UInt8(ascii: "\"")) }
      out.append(name.utf8Start, count: name.utf8CodeUnitCount)
      if json { out.append(UInt8(ascii: "\"")) }
      out.append(contentsOf: ": ".utf8)
    }
    func value(_ bytes: UnsafeBufferPointer<UInt8>) {
      ScalarWriter.appendToken(bytes, json: json, inFlow: true, to: &out)
    }
    func entry(_ name: StaticString, _ text: Text, first: Bool = false) {
      guard !text.isNone else { return }
      key(name, first: first)
      withBytes(text, source: source) { value($0) }
    }
    out.append(UInt8(ascii: "{"))
    key("message", first: true)
    message.withUnsafeBufferPointer { value($0) }
    key("severity")
    var severity = record.severity.rawValue
    severity.withUTF8 { value($0) }
    let reference = record.reference >= 0 ? references[Int(record.reference)] : nil
    if let reference, !reference.kind.isNone {
      key("resourceRef")
      out.append(UInt8(ascii: "{"))
      entry("apiVersion", reference.apiVersion, first: true)
      entry("kind", reference.kind)
      entry("name", reference.name)
      entry("namespace", reference.namespace)
      out.append(UInt8(ascii: "}"))
    }
    if !record.path.isNone {
      key("field")
      out.append(UInt8(ascii: "{"))
      entry("path", record.path, first: true)
      entry("currentValue", record.current)
      entry("proposedValue", record.proposed)
      out.append(UInt8(ascii: "}"))
    }
    if let reference, !reference.filePath.isNone {
      key("file")
      out.append(UInt8(ascii: "{"))
      entry("path", reference.filePath, first: true)
      if reference.fileIndex >= 0 {
        key("index")
        out.append(contentsOf: String(reference.fileIndex).utf8)
      }
      out.append(UInt8(ascii: "}"))
    }
    out.append(UInt8(ascii: "}"))
  }
}

extension Array where Element == UInt8 {
  /// Appends `count` bytes from `start` (a static string's bytes).
  fileprivate mutating func append(_ start: UnsafePointer<UInt8>, count: Int) {
    append(contentsOf: UnsafeBufferPointer(start: start, count: count))
  }
}
