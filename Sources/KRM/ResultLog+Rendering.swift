public import YAMLSplice

/// Writing a ``ResultLog`` out: as the items of a block or flow `results`
/// sequence (the bytes ``KRMResult/fragment`` renders to, key order of the
/// KRM functions specification), or as lines for a terminal.
extension ResultLog {
  /// Appends results `range` as items of a `results` sequence laid out as
  /// `style` says; flow items are separated by `, ` (the first one too
  /// when `range` does not start at 0, or when `continuing` the items of
  /// another log). In-source texts are read from
  /// `source`. Cost: O(output), no allocation per result beyond `out`'s
  /// growth.
  public func render(
    _ range: Range<Int>, as style: SequenceSlot.Style, source: [UInt8],
    continuing: Bool = false, into out: inout ByteWriter
  ) {
    var message = ByteWriter(capacity: 256)
    source.withUnsafeBufferPointer { source in
      for index in range {
        let record = records[index]
        message.removeAll()
        composeMessage(record, source: source, into: &message)
        switch style {
        case .block(let indent, let layout):
          layout.lineBreak.withUnsafeBufferPointer { lineBreak in
            renderBlockItem(
              record, message: message, indent: indent, step: layout.step, lineBreak: lineBreak,
              source: source, into: &out)
          }
        case .flow(let json):
          if index > 0 || continuing { out.append(", ") }
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
      var text = ByteWriter(capacity: 256)
      text.append(UInt8(ascii: "["))
      text.append(record.severity.token)
      text.append(UInt8(ascii: "]"))
      func add(_ piece: Text) { withBytes(piece, source: source) { text.append($0) } }
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
      text.append(": ")
      composeMessage(record, source: source, into: &text)
      return text.withBytes { String(decoding: $0, as: UTF8.self) }
    }
  }

  // MARK: - Block

  private func renderBlockItem(
    _ record: Record, message: borrowing ByteWriter, indent: Int, step: Int,
    lineBreak: UnsafeBufferPointer<UInt8>, source: UnsafeBufferPointer<UInt8>,
    into out: inout ByteWriter
  ) {
    let nested = indent + 2
    let inner = nested + step
    out.appendSpaces(indent)
    out.append("- message: ")
    message.withBytes { ScalarWriter.appendToken($0, inFlow: false, to: &out) }
    out.append(lineBreak)
    out.appendSpaces(nested)
    out.append("severity: ")
    out.append(record.severity.token)
    out.append(lineBreak)
    let reference = record.reference >= 0 ? references[Int(record.reference)] : nil
    if let reference, !reference.kind.isNone {
      Self.blockOpen("resourceRef", indent: nested, lineBreak: lineBreak, into: &out)
      blockEntry("apiVersion", reference.apiVersion, inner, lineBreak, source, &out)
      blockEntry("kind", reference.kind, inner, lineBreak, source, &out)
      blockEntry("name", reference.name, inner, lineBreak, source, &out)
      blockEntry("namespace", reference.namespace, inner, lineBreak, source, &out)
    }
    if !record.path.isNone {
      Self.blockOpen("field", indent: nested, lineBreak: lineBreak, into: &out)
      blockEntry("path", record.path, inner, lineBreak, source, &out)
      blockEntry("currentValue", record.current, inner, lineBreak, source, &out)
      blockEntry("proposedValue", record.proposed, inner, lineBreak, source, &out)
    }
    if let reference, !reference.filePath.isNone {
      Self.blockOpen("file", indent: nested, lineBreak: lineBreak, into: &out)
      blockEntry("path", reference.filePath, inner, lineBreak, source, &out)
      if reference.fileIndex >= 0 {
        out.appendSpaces(inner)
        out.append("index: ")
        out.append(decimal: reference.fileIndex)
        out.append(lineBreak)
      }
    }
  }

  /// `key: token` on its own line at `indent`, unless `text` is none.
  private func blockEntry(
    _ key: StaticString, _ text: Text, _ indent: Int, _ lineBreak: UnsafeBufferPointer<UInt8>,
    _ source: UnsafeBufferPointer<UInt8>, _ out: inout ByteWriter
  ) {
    guard !text.isNone else { return }
    out.appendSpaces(indent)
    out.append(key)
    out.append(": ")
    withBytes(text, source: source) { ScalarWriter.appendToken($0, inFlow: false, to: &out) }
    out.append(lineBreak)
  }

  /// `key:` opening a nested mapping at `indent`.
  private static func blockOpen(
    _ key: StaticString, indent: Int, lineBreak: UnsafeBufferPointer<UInt8>,
    into out: inout ByteWriter
  ) {
    out.appendSpaces(indent)
    out.append(key)
    out.append(UInt8(ascii: ":"))
    out.append(lineBreak)
  }

  // MARK: - Flow

  private func renderFlowItem(
    _ record: Record, message: borrowing ByteWriter, json: Bool,
    source: UnsafeBufferPointer<UInt8>, into out: inout ByteWriter
  ) {
    func key(_ name: StaticString, first: Bool = false) {
      if !first { out.append(", ") }
      if json { out.append(UInt8(ascii: "\"")) }
      out.append(name)
      if json { out.append(UInt8(ascii: "\"")) }
      out.append(": ")
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
    message.withBytes { value($0) }
    key("severity")
    value(
      UnsafeBufferPointer(
        start: record.severity.token.utf8Start, count: record.severity.token.utf8CodeUnitCount))
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
        out.append(decimal: reference.fileIndex)
      }
      out.append(UInt8(ascii: "}"))
    }
    out.append(UInt8(ascii: "}"))
  }
}

extension KRMResult.Severity {
  /// The severity's name, as written in results.
  var token: StaticString {
    switch self {
    case .info: "info"
    case .warning: "warning"
    case .error: "error"
    }
  }
}
