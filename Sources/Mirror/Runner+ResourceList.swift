import KRM
import YAMLSplice

/// KRM function mode: a ResourceList in, the list with `results` out.
extension Runner {
  /// Processes a ResourceList and writes it with results: messages first,
  /// then the list, spliced straight to the output.
  func runResourceList(
    _ list: ResourceList, input: [UInt8], commandLineConfig: MirrorConfig?, io: RunIO
  ) -> Outcome.Status {
    var results: [KRMResult] = []
    var config: MirrorConfig?
    if let node = list.functionConfig {
      var decoder = ConfigDecoder(document: list.document)
      do {
        let decoded = try decoder.decode(node)
        if decoded != nil && commandLineConfig != nil {
          results.append(
            KRMResult(
              message:
                "configuration given twice: by functionConfig and on the command line; use one",
              severity: .error))
        }
        config = commandLineConfig ?? decoded
      } catch {
        let item = ResourceItem(document: list.document, node: node)
        results += error.errors.map { problem in
          KRMResult(
            message: problem.messageWithLine, severity: .error, resourceRef: item.resourceRef,
            field: .init(path: problem.field))
        }
      }
    } else {
      config = commandLineConfig
    }
    if config == nil && results.isEmpty {
      results.append(
        KRMResult(
          message:
            "no hosts configured: give a functionConfig (krm-mirror.dev/v1alpha1 Mirror, or a ConfigMap with from and to; kpt: -- from=A to=B)",
          severity: .error))
    }
    if list.hasMalformedItems {
      results.append(
        KRMResult(message: "items must be a sequence of resources", severity: .error))
    }
    var output = MirrorFunction.Output()
    for result in results { output.results.append(result) }
    if let config, results.isEmpty {
      let function = MirrorFunction(config: config)
      var tally = RunTally()
      for node in list.items {
        tally.add(
          function.process(ResourceItem(document: list.document, node: node), into: &output))
      }
      output.results.append(tally.summary(config))
    }
    return writeList(list, input: input, edits: output.edits, results: output.results, io: io)
  }

  /// The kpt layout, item by item: `functionConfig` is read first from its
  /// region (``ResourceList/functionConfigRegion(in:)``), then each item is
  /// processed as soon as it is parsed and its table dropped, so memory
  /// holds one item's table, not the list's. Nil when the layout is
  /// different, the configuration does not decode, or the full parse
  /// disagrees with the guess (then the general path runs, from scratch).
  func runResourceListByItem(_ input: [UInt8], io: RunIO) -> Outcome.Status? {
    guard let region = ResourceList.functionConfigRegion(in: input),
      let regionDocument = try? StreamParser.parse(Array(input[region])).first,
      regionDocument.kind(of: regionDocument.root) == .mapping,
      let configNode = regionDocument.value("functionConfig", in: regionDocument.root)
    else { return nil }
    var regionDecoder = ConfigDecoder(document: regionDocument)
    guard let config = try? regionDecoder.decode(configNode), !config.hosts.isEmpty
    else { return nil }
    let function = MirrorFunction(config: config)
    var output = MirrorFunction.Output()
    var tally = RunTally()
    var itemCount = 0
    var documents: [Document] = []
    do {
      try StreamParser.forEachDocument(
        in: input, detachingItemsOf: "items",
        item: { item in
          itemCount += 1
          tally.add(function.process(ResourceItem(document: item, node: item.root), into: &output))
        },
        document: { documents.append($0) })
    } catch {
      return nil
    }
    // The guess holds only if the real parse reads the same configuration
    // from a single ResourceList whose items were all detached.
    guard documents.count == 1, let list = ResourceList(documents[0]), !list.hasMalformedItems,
      list.items.count == itemCount, let listConfig = list.functionConfig
    else { return nil }
    var listDecoder = ConfigDecoder(document: list.document)
    guard let confirmed = try? listDecoder.decode(listConfig), confirmed == config else {
      return nil
    }
    output.results.append(tally.summary(config))
    return writeList(list, input: input, edits: output.edits, results: output.results, io: io)
  }

  /// Writes the list with `edits` and its `results`: messages first (when a
  /// result is an error), then the list, spliced straight to the output,
  /// the results rendered into it as it is written.
  func writeList(
    _ list: ResourceList, input: [UInt8], edits: [Edit], results: ResultLog, io: RunIO
  ) -> Outcome.Status {
    var edits = edits
    let slot = results.isEmpty ? nil : list.resultsSlot()
    edits.append(slot?.edit ?? list.resultsEdit(results))
    let failed = results.highestSeverity == .error
    let ordered: [Edit]
    do {
      ordered = try Splicer.order(edits, within: 0..<input.count)
    } catch {
      io.report(
        "krm-mirror: internal error: overlapping edits at bytes \(error.first.lowerBound) and \(error.second.lowerBound); nothing written\n"
      )
      return .failure
    }
    if failed { io.report(stderrLines(results, minimum: .warning, source: input)) }
    var output = BufferedOutput(write: io.write)
    Splicer.emit(
      input, range: 0..<input.count, ordered: ordered, to: { output.append($0) },
      fill: {
        guard let slot else { return }
        var start = 0
        while start < results.count {
          let end = min(results.count, start + 256)
          results.render(start..<end, as: slot.style, source: input, into: &output.buffer)
          output.flushIfFull()
          start = end
        }
      })
    guard output.flush() else {
      io.report("krm-mirror: cannot write stdout\n")
      return .failure
    }
    return failed ? .failure : .success
  }

  func stderrLines(_ results: ResultLog, minimum: KRMResult.Severity, source: [UInt8]) -> String {
    var text = ""
    for index in 0..<results.count where results.severity(at: index) >= minimum {
      text += "krm-mirror: " + results.line(at: index, source: source) + "\n"
    }
    return text
  }
}
