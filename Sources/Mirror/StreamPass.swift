import KRM
import YAMLSplice

/// Filter and legacy-plugin mode: the function over a multi-document stream,
/// part by part (each part whole documents, see ``DocumentCutter``).
///
/// Output and messages are held until the held output reaches `holdLimit`
/// bytes; up to that size a run is all or nothing (nothing on stdout after
/// any error). Past it the held output is written and later parts follow as
/// they are done, so memory stays flat whatever the input size; an error
/// then stops the output at the last part written before it and the exit
/// status says so. Cost per part: one parse, the function, one splice.
struct StreamPass {
  let function: MirrorFunction
  /// The lowest severity reported on stderr.
  let minimum: KRMResult.Severity
  let holdLimit: Int
  var tally = RunTally()
  /// The current part's edits and results (buffers reused part to part).
  var output = MirrorFunction.Output()
  var held: [UInt8] = []
  var heldReport = ""
  /// Whether held output has been written (the run is no longer all or nothing).
  var streaming = false
  /// Whether a result of severity error was produced: no more output.
  var failed = false
  /// Input bytes and line breaks before the next part, for error positions.
  var partStart = 0
  var linesBefore = 0
  /// With `secretNames: rename`, the input parts whose output is held, and
  /// the pass's state when output was last written: a second pass over
  /// those parts may be needed (see ``SecretRenames``).
  var heldInput: [[UInt8]] = []
  var written = Written()

  /// What a pass had done when it last wrote output.
  struct Written {
    var tally = RunTally()
    var partStart = 0
    var linesBefore = 0
    var failed = false
    var secrets = SecretRenames()
    var reviewResults: [KRMResult] = []
  }

  /// The results for ``RunIO/result``, delivered when the run ends (a
  /// second pass over held parts replaces theirs).
  var reviewResults: [KRMResult] = []

  init(
    config: MirrorConfig, minimum: KRMResult.Severity, holdLimit: Int,
    secretKnowledge: SecretRenames? = nil
  ) {
    self.function = MirrorFunction(config: config, secretKnowledge: secretKnowledge)
    self.minimum = minimum
    self.holdLimit = holdLimit
  }

  /// Whether input parts are kept for a second pass.
  private var keepsInput: Bool {
    function.config.secretNames == .rename && function.secretKnowledge == nil
  }

  /// Processes the next part. `documents` are its documents when already
  /// parsed. Returns the exit status when the run must stop (malformed
  /// input, unwritable output), after reporting why.
  mutating func add(_ part: [UInt8], documents parsed: [Document]? = nil, io: RunIO)
    -> Outcome.Status?
  {
    let documents: [Document]
    if let parsed {
      documents = parsed
    } else if let pieces = ConcatenatedJSON.pieces(of: part) {
      // Concatenated JSON objects: each is parsed (and its errors placed)
      // on its own, as the documents of a stream are.
      for piece in pieces {
        if let stopped = add(Array(part[piece]), io: io) { return stopped }
      }
      return nil
    } else {
      do {
        documents = try StreamParser.parse(part)
      } catch {
        let located = error.shifted(byBytes: partStart, lines: linesBefore)
        return stop(
          with: located.rendered(name: "stdin", source: part, sourceStart: partStart), io: io)
      }
    }
    if keepsInput { heldInput.append(part) }
    output.edits.removeAll(keepingCapacity: true)
    output.results.removeAll()
    var previousEnd = 0
    for document in documents {
      defer { previousEnd = document.span.upperBound }
      // A user's `kind: List` is written back as it came, its items
      // processed as the resources they are (no KRM framing, no results).
      let items = { (document: Document) in ResourceList.userListItems(document) ?? [document.root]
      }
      guard document.hasAliases else {
        for node in items(document) {
          tally.add(function.process(ResourceItem(document: document, node: node), into: &output))
        }
        continue
      }
      do {
        let outcomes = try function.processUses(
          in: document, region: previousEnd..<document.span.upperBound, items: items,
          into: &output)
        for outcome in outcomes { tally.add(outcome) }
      } catch {
        switch error {
        case .internalError(let message):
          return stop(with: "krm-mirror: internal error: \(message); nothing more written", io: io)
        }
      }
    }
    for index in 0..<output.results.count {
      if io.result != nil { reviewResults.append(output.results.result(at: index, source: part)) }
      let severity = output.results.severity(at: index)
      if severity == .error { failed = true }
      if severity >= minimum {
        heldReport += "krm-mirror: " + output.results.line(at: index, source: part) + "\n"
      }
    }
    if !failed {
      // Once the output is large, room for all of it up to the hold limit
      // at once: growing by doubling would copy it and hold both copies.
      if held.count + part.count > 1 << 20 && held.capacity < holdLimit {
        held.reserveCapacity(min(holdLimit, 1 << 26) + (1 << 20))
      }
      do {
        try Splicer.splice(part, range: 0..<part.count, edits: output.edits, into: &held)
      } catch {
        return stop(
          with:
            "krm-mirror: internal error: overlapping edits at bytes \(partStart + error.first.lowerBound) and \(partStart + error.second.lowerBound); nothing more written",
          io: io)
      }
    }
    partStart += part.count
    linesBefore += SourcePosition.lineBreaks(in: part)
    if held.count >= holdLimit {
      streaming = true
      if keepsInput {
        heldInput = []
        written = Written(
          tally: tally, partStart: partStart, linesBefore: linesBefore, failed: failed,
          secrets: output.secrets, reviewResults: reviewResults)
      }
      return flush(io)
    }
    return nil
  }

  /// Ends the run: the summary, the held messages and, unless a result was
  /// an error, the held output.
  ///
  /// With `secretNames: rename`, when a secret name was decided before
  /// the host that decides it (see ``SecretRenames``), the parts whose
  /// output is held are processed again with what the whole stream showed;
  /// if such a name is in output already written, an error says so.
  mutating func finish(io: RunIO) -> Outcome.Status {
    if let knowledge = Runner.secretKnowledgeForAnotherPass([output.secrets], function) {
      if !written.secrets.answersHold(under: knowledge, function.secretNames) {
        failed = true
        heldReport +=
          "krm-mirror: error: secretNames: rename: a secret name was decided before the host that decides it, in output already written (the stream held more than \(holdLimit) bytes of output); put the resources with the hosts (Ingress, Certificate, ...) first, or pipe a ResourceList\n"
      } else {
        var again = StreamPass(
          config: function.config, minimum: minimum, holdLimit: holdLimit,
          secretKnowledge: knowledge)
        again.tally = written.tally
        again.partStart = written.partStart
        again.linesBefore = written.linesBefore
        again.failed = written.failed
        again.reviewResults = written.reviewResults
        again.streaming = streaming
        again.output.secrets = written.secrets
        again.output.secrets.adopt(knowledge)
        for part in heldInput {
          if let stopped = again.add(part, io: io) { return stopped }
        }
        self = again
      }
    }
    for result in output.secrets.unfollowedResults(function.secretNames) {
      failed = true
      heldReport += "krm-mirror: " + result.line + "\n"
      reviewResults.append(result)
    }
    let closing = tally.closingResults(function)
    if let sink = io.result {
      for result in reviewResults + closing { sink(result) }
    }
    for result in closing {
      if result.severity == .error { failed = true }
      if result.severity >= minimum { heldReport += "krm-mirror: " + result.line + "\n" }
    }
    if failed {
      held = []
      _ = flush(io)
      return .failure
    }
    return flush(io) ?? .success
  }

  /// Reports why the run stops. Held output is dropped; held messages are
  /// kept only when output was already written (they describe it).
  private mutating func stop(with message: String, io: RunIO) -> Outcome.Status {
    if !streaming { heldReport = "" }
    held = []
    heldReport += message + "\n"
    _ = flush(io)
    return .failure
  }

  /// Writes the held messages and output.
  private mutating func flush(_ io: RunIO) -> Outcome.Status? {
    if !heldReport.isEmpty { io.report(heldReport) }
    heldReport = ""
    defer { held.removeAll(keepingCapacity: true) }
    if !held.isEmpty && !held.withUnsafeBufferPointer({ io.write($0) }) {
      io.report("krm-mirror: cannot write stdout\n")
      return .failure
    }
    return nil
  }
}
