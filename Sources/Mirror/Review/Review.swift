import KRM
import YAMLSplice

/// What a user asked to see of a run before applying it: a diff instead of
/// the output (`--diff`, with `--exit-code` exiting like `diff`), a table
/// of the changes on stderr (`--summary`), the results in kpt's results
/// format in a file (`--results FILE`; kustomize hides a plugin's stderr
/// on success, so this is how its users see warnings).
public struct Review: Equatable, Sendable {
  /// Print a unified diff of input and output instead of the output.
  public var diff = false
  /// With ``diff``: exit 0 when nothing changes, 1 when something does, 2
  /// when the run failed.
  public var exitCode = false
  /// Print a table of changes and leftovers on stderr.
  public var summary = false
  /// Write the results as a kpt `FunctionResultList` to this file.
  public var resultsFile: String?

  /// No review asked for.
  public init() {}

  /// Whether nothing is asked for (the run goes as usual).
  public var isEmpty: Bool { !diff && !summary && resultsFile == nil }
}

extension Runner {
  /// Runs as ``run(_:)`` and then gives what `review` asks for. The input
  /// is kept (and with `--diff` the output) to compare them; `writeFile`
  /// writes the results file (nil when it worked, else why not).
  /// Cost: as ``run(_:)`` plus, with `--diff`, a parse of the input and a
  /// line diff.
  public func run(
    _ io: RunIO, review: Review, writeFile: (String, [UInt8]) -> String?
  ) -> Outcome.Status {
    guard !review.isEmpty else { return run(io) }
    var input: [UInt8] = []
    var output: [UInt8] = []
    var results: [KRMResult] = []
    var stderr = ""
    var wrapped = io
    wrapped.read = { buffer in
      let before = buffer.count
      let status = io.read(&buffer)
      input += buffer[before...]
      return status
    }
    if review.diff {
      wrapped.write = { bytes in
        output += bytes
        return true
      }
    }
    wrapped.report = { text in
      stderr += text
      io.report(text)
    }
    wrapped.result = { results.append($0) }
    var status = run(wrapped)
    if review.summary { io.report(Self.summaryTable(results)) }
    if let path = review.resultsFile {
      let file = Self.resultsList(results, status: status, stderr: stderr)
      if let problem = writeFile(path, file) {
        io.report("krm-mirror: cannot write \(path): \(problem)\n")
        status = .failure
      }
    }
    guard review.diff else { return status }
    guard status == .success || !output.isEmpty else {
      return review.exitCode && status != .usage ? .usage : status
    }
    let diff = UnifiedDiff.render(old: input, new: output, sections: Self.sections(of: input))
    if !diff.isEmpty && !diff.withUnsafeBufferPointer({ io.write($0) }) { return .failure }
    if review.exitCode { return status != .success ? .usage : diff.isEmpty ? .success : .failure }
    return status
  }

  /// The resources of `input`, by first line: the items of a ResourceList
  /// or a user's List, else each document.
  static func sections(of input: [UInt8]) -> [UnifiedDiff.Section] {
    guard
      let documents = (try? StreamParser.parse(input))
        ?? (try? ConcatenatedJSON.parseDocuments(input))
    else { return [] }
    var lineStarts: [Int] = [0]
    for (index, byte) in input.enumerated() where byte == 0x0A { lineStarts.append(index + 1) }
    func line(of offset: Int) -> Int {
      var low = 0
      var high = lineStarts.count
      while low + 1 < high {
        let middle = (low + high) / 2
        if lineStarts[middle] <= offset { low = middle } else { high = middle }
      }
      return low
    }
    var sections: [UnifiedDiff.Section] = []
    for document in documents {
      let nodes =
        ResourceList(document)?.items ?? ResourceList.userListItems(document) ?? [document.root]
      if nodes.isEmpty {
        sections.append(.init(firstLine: line(of: document.span.lowerBound), name: "list"))
      }
      for node in nodes {
        let item = ResourceItem(document: document, node: node)
        let name = [item.kind ?? "resource", item.namespace, item.name ?? "?"]
          .compactMap { $0 }.joined(separator: "/")
        sections.append(.init(firstLine: line(of: document.span(of: node).lowerBound), name: name))
      }
    }
    return sections.sorted { $0.firstLine < $1.firstLine }
  }

  /// Changes and leftovers as an aligned table: RESOURCE, FIELD, CHANGE.
  static func summaryTable(_ results: [KRMResult]) -> String {
    var rows: [[String]] = [["RESOURCE", "FIELD", "CHANGE"]]
    var footer: [String] = []
    for result in results {
      guard let reference = result.resourceRef else {
        footer.append("[\(result.severity.rawValue)] \(result.message)")
        continue
      }
      let resource = [reference.kind, reference.namespace, reference.name].compactMap { $0 }
        .joined(separator: "/")
      let field = result.field?.path ?? ""
      let change: String
      if result.severity == .info, let current = result.field?.currentValue,
        let proposed = result.field?.proposedValue
      {
        change = "\(current) → \(proposed)"
      } else {
        change = "[\(result.severity.rawValue)] \(result.message)"
      }
      rows.append([resource, field, change])
    }
    var widths = [0, 0]
    for row in rows {
      widths[0] = max(widths[0], row[0].count)
      widths[1] = max(widths[1], row[1].count)
    }
    var text = ""
    if rows.count > 1 {
      for row in rows {
        text +=
          row[0].padding(to: widths[0]) + "  " + row[1].padding(to: widths[1]) + "  "
          + row[2] + "\n"
      }
    }
    for line in footer { text += line + "\n" }
    return text
  }

  /// The results as kpt writes them with `--results-dir`: one
  /// `FunctionResultList` with one item for this run.
  static func resultsList(_ results: [KRMResult], status: Outcome.Status, stderr: String)
    -> [UInt8]
  {
    var item: [(String, YAMLFragment)] = [
      ("exec", .scalar("krm-mirror")), ("exitCode", .integer(Int(status.rawValue))),
    ]
    if !stderr.isEmpty { item.append(("stderr", .scalar(stderr))) }
    if !results.isEmpty { item.append(("results", .sequence(results.map(\.fragment)))) }
    let list = YAMLFragment.mapping([
      ("apiVersion", .scalar("kpt.dev/v1")), ("kind", .scalar("FunctionResultList")),
      ("metadata", .mapping([("name", .scalar("fnresults"))])),
      ("exitCode", .integer(Int(status.rawValue))), ("items", .sequence([.mapping(item)])),
    ])
    return list.renderBlockDocument()
  }
}

extension String {
  /// The string padded with spaces to `width` characters.
  fileprivate func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
