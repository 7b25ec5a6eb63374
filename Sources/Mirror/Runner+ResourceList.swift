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
        // Lines counted in the configuration as its author wrote it (kpt
        // builds the list around it), the list's line after it.
        let configLine =
          SourcePosition(byteOffset: list.document.span(of: node).lowerBound, in: input).line
        results += error.errors.map { problem in
          let message =
            problem.line.map {
              "\(problem.message) (functionConfig line \($0 - configLine + 1), line \($0) of the input)"
            } ?? problem.message
          return KRMResult(
            message: message, severity: .error, resourceRef: item.resourceRef,
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
      var function = MirrorFunction(config: config)
      var tally = RunTally()
      while true {
        tally = RunTally()
        if list.document.hasAliases {
          do {
            let outcomes = try function.processUses(
              in: list.document, region: 0..<list.document.span.upperBound,
              items: { ResourceList($0)?.items ?? [] }, into: &output)
            for outcome in outcomes { tally.add(outcome) }
          } catch {
            output.edits.removeAll()
            switch error {
            case .internalError(let message):
              output.results.append(
                KRMResult(message: "internal error: \(message)", severity: .error))
            }
            break
          }
        } else {
          for node in list.items {
            tally.add(
              function.process(ResourceItem(document: list.document, node: node), into: &output))
          }
        }
        guard let knowledge = Self.secretKnowledgeForAnotherPass([output.secrets], function)
        else { break }
        function = MirrorFunction(config: config, secretKnowledge: knowledge)
        output = MirrorFunction.Output()
      }
      for result in output.secrets.unfollowedResults(function.secretNames) {
        output.results.append(result)
      }
      for result in tally.closingResults(function) { output.results.append(result) }
    }
    return writeList(
      input: input, edits: [output.edits], results: [output.results], resultsIn: list.document,
      root: list.root, layout: list.layout, io: io)
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
    var function = MirrorFunction(config: config)
    if usesTwoThreads(for: input),
      let status = runResourceListInParts(
        input, configRegion: region, config: config, function: function, io: io)
    {
      return status
    }
    var output = MirrorFunction.Output()
    var tally = RunTally()
    var itemCount = 0
    var hasAliases = false
    var documents: [Document] = []
    while true {
      output = MirrorFunction.Output()
      tally = RunTally()
      itemCount = 0
      documents = []
      do {
        try StreamParser.forEachDocument(
          in: input, detachingItemsOf: "items",
          item: { item in
            itemCount += 1
            hasAliases = hasAliases || item.hasAliases
            tally.add(
              function.process(ResourceItem(document: item, node: item.root), into: &output))
          },
          document: { documents.append($0) })
      } catch {
        return nil
      }
      if hasAliases { break }
      guard let knowledge = Self.secretKnowledgeForAnotherPass([output.secrets], function)
      else { break }
      function = MirrorFunction(config: config, secretKnowledge: knowledge)
    }
    // Aliases are decided per use over the whole list (an item's alias may
    // name another item's anchor): the general path.
    if hasAliases || documents.contains(where: \.hasAliases) { return nil }
    // The guess holds only if the real parse reads the same configuration
    // from a single ResourceList whose items were all detached.
    guard documents.count == 1, let list = ResourceList(documents[0]), !list.hasMalformedItems,
      list.items.count == itemCount, let listConfig = list.functionConfig
    else { return nil }
    var listDecoder = ConfigDecoder(document: list.document)
    guard let confirmed = try? listDecoder.decode(listConfig), confirmed == config else {
      return nil
    }
    for result in output.secrets.unfollowedResults(function.secretNames) {
      output.results.append(result)
    }
    for result in tally.closingResults(function) { output.results.append(result) }
    return writeList(
      input: input, edits: [output.edits], results: [output.results], resultsIn: list.document,
      root: list.root, layout: list.layout, io: io)
  }

  /// What secret renaming learnt from a pass whose outputs recorded
  /// `parts`, when an answer it gave does not hold with everything known
  /// (see ``SecretRenames``): the input must be processed again with it.
  /// Nil when the pass stands.
  static func secretKnowledgeForAnotherPass(_ parts: [SecretRenames], _ function: MirrorFunction)
    -> SecretRenames?
  {
    guard function.config.secretNames == .rename, function.secretKnowledge == nil else {
      return nil
    }
    let all = SecretRenames.merged(parts)
    return all.needsAnotherPass(function.secretNames) ? all : nil
  }

  /// Writes the list with `edits` and its `results`: messages first (when a
  /// result is an error), then the list, spliced straight to the output,
  /// the results rendered into it as it is written. `edits` come in parts
  /// (each in order, the parts one after the other), so that the parts of
  /// a list worked on apart are never copied into one array.
  ///
  /// `results` go under the key `results` of the mapping `root` of
  /// `document` (replacing one that is there, else appended), laid out by
  /// `layout`. A list run always has a result (its summary or an error).
  func writeList(
    input: [UInt8], edits: [[Edit]], results: [ResultLog], resultsIn document: Document,
    root: NodeID, layout: BlockLayout, io: RunIO
  ) -> Outcome.Status {
    precondition(results.contains { !$0.isEmpty }, "a list run always has a result")
    let slot = document.sequenceSlot(forKey: "results", in: root, layout: layout)
    let failed = results.contains { $0.highestSeverity == .error }
    if let sink = io.result {
      for log in results {
        for index in 0..<log.count { sink(log.result(at: index, source: input)) }
      }
    }
    let ordered: [[Edit]]
    do {
      ordered = try Splicer.order(parts: edits + [[slot.edit]], within: 0..<input.count)
    } catch {
      io.report(
        "krm-mirror: internal error: overlapping edits at bytes \(error.first.lowerBound) and \(error.second.lowerBound); nothing written\n"
      )
      return .failure
    }
    if failed {
      io.report(results.map { stderrLines($0, minimum: .warning, source: input) }.joined())
    }
    var output = BufferedOutput(write: io.write)
    let writer = ResultsWriter(logs: results, style: slot.style, source: input)
    let parallel = usesTwoThreads(for: input)
    Splicer.emit(
      input, range: 0..<input.count, orderedParts: ordered, to: { output.append($0) },
      fill: { writer.write(to: &output, parallel: parallel) })
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
