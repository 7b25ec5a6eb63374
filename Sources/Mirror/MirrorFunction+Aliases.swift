import KRM
import YAMLSplice

/// Resources whose document holds aliases: edits decided per use.
///
/// The resources are processed in the document's ``AliasExpansion`` (every
/// alias replaced by a copy of its node, so every node there has one use),
/// and the edits are taken back to the original text:
/// - an edit outside every copy applies where it was made (the anchored
///   node's own use, and everything else);
/// - an alias stays an alias when its copy came out with the same value as
///   its anchored node (both unchanged, or both changed alike); otherwise
///   the edited copy is written in its place, so the use that must differ
///   gets its own literal copy and the anchored node keeps what its own use
///   wants.
/// A tag added to an anchored `metadata.labels` thus stays out of the
/// selector that aliases it, and a host field written as an alias is
/// rewritten at that field only. Documents without aliases never come here.
extension MirrorFunction {
  /// A failure of the per-use path: an internal error, with its message.
  enum UsesFailure: Error {
    case internalError(String)
  }

  /// Processes the resources `items` picks from the expansion of
  /// `document`'s bytes `region` (which hold its nodes): outcomes in item
  /// order; edits (offsets into `document.source`) and results go to
  /// `output`. Aliases that would expand past
  /// ``AliasExpansion/growthLimit(for:)`` (an alias bomb) are not
  /// expanded: the resources are processed as they are, with a warning. Cost: one expansion, two parses of the expanded region (one
  /// before, one after editing it), the function per resource.
  func processUses(
    in document: Document, region: Range<Int>, items: (Document) -> [NodeID],
    into output: inout Output
  ) throws(UsesFailure) -> [ItemOutcome] {
    let expansion: AliasExpansion
    let expanded: Document
    do {
      expansion = try AliasExpansion(document: document, region: region)
      let documents = try StreamParser.parse(expansion.text)
      guard documents.count == 1 else {
        throw UsesFailure.internalError("the expanded document parses as \(documents.count)")
      }
      expanded = documents[0]
    } catch let error as YAMLSyntaxError {
      guard error.context == "alias limit" else {
        throw .internalError("the expanded document does not parse: \(error.problem)")
      }
      // An alias bomb: edits go where the anchored nodes are, as they are.
      output.results.append(
        KRMResult(
          message:
            "aliases expand to more than \(AliasExpansion.growthLimit(for: region.count)) bytes (line \(error.line)): edits are made at anchored nodes and reach every alias of them",
          severity: .warning))
      return items(document).map {
        process(ResourceItem(document: document, node: $0), into: &output)
      }
    } catch let error as UsesFailure {
      throw error
    } catch {
      throw .internalError("\(error)")
    }
    var local = Output()
    swap(&local.plans, &output.plans)
    swap(&local.secrets, &output.secrets)
    var outcomes: [ItemOutcome] = []
    for node in items(expanded) {
      outcomes.append(process(ResourceItem(document: expanded, node: node), into: &local))
    }
    swap(&local.plans, &output.plans)
    swap(&local.secrets, &output.secrets)
    output.results.append(contentsOf: local.results, otherSource: expansion.text)
    let start = output.edits.count
    output.edits += try originalEdits(of: local.edits, in: expansion, document: document)
    Splicer.sortTail(&output.edits, from: start)
    return outcomes
  }

  /// Takes `edits` of the expanded text back to the original source (see
  /// the type's comment).
  private func originalEdits(
    of edits: [Edit], in expansion: AliasExpansion, document: Document
  ) throws(UsesFailure) -> [Edit] {
    let text = expansion.text
    let ordered: [Edit]
    let edited: [UInt8]
    let after: Document
    do {
      ordered = try Splicer.order(edits, within: 0..<text.count)
      edited = try Splicer.apply(ordered, to: text)
      guard let parsed = try StreamParser.parse(edited).first else {
        throw UsesFailure.internalError("the edited expansion has no document")
      }
      after = parsed
    } catch let error as UsesFailure {
      throw error
    } catch {
      throw .internalError("the edited expansion does not parse: \(error)")
    }
    // Growth of the text before each edit's end, for moving offsets.
    var growth: [Int] = [0]
    for edit in ordered {
      growth.append(growth[growth.count - 1] + edit.replacement.count - edit.range.count)
    }
    /// Where `offset` of the expanded text is after editing; insertions at
    /// `offset` count as before it unless `insertionsAfter`.
    func moved(_ offset: Int, insertionsAfter: Bool = false) -> Int {
      var low = 0
      var high = ordered.count
      while low < high {
        let middle = (low + high) / 2
        let range = ordered[middle].range
        let before =
          range.upperBound < offset
          || (range.upperBound == offset && (!insertionsAfter || range.lowerBound < offset))
        if before { low = middle + 1 } else { high = middle }
      }
      return offset + growth[low]
    }
    var result: [Edit] = []
    var removed = Set<Int>()
    var copyIndex = 0
    let copies = expansion.copies
    for edit in ordered {
      let range = edit.range
      // Copies this edit touches.
      while copyIndex < copies.count && copies[copyIndex].expanded.upperBound < range.lowerBound {
        copyIndex += 1
      }
      var touched: [Int] = []
      var index = copyIndex
      while index < copies.count && copies[index].expanded.lowerBound <= range.upperBound {
        let copy = copies[index].expanded
        let overlaps =
          range.isEmpty
          ? copy.lowerBound < range.lowerBound && range.lowerBound < copy.upperBound
          : copy.lowerBound < range.upperBound && range.lowerBound < copy.upperBound
        if overlaps { touched.append(index) }
        index += 1
      }
      if touched.count == 1, copies[touched[0]].expanded.lowerBound <= range.lowerBound,
        range.upperBound <= copies[touched[0]].expanded.upperBound
      {
        continue  // Inside one copy: the copy's final text is read below.
      }
      guard
        touched.allSatisfy({
          range.lowerBound <= copies[$0].expanded.lowerBound
            && copies[$0].expanded.upperBound <= range.upperBound
        }),
        let lower = expansion.originalOffset(ofExpanded: range.lowerBound),
        let upper = expansion.originalOffset(ofExpanded: range.upperBound)
      else {
        throw .internalError("an edit crosses an alias's copy at byte \(range.lowerBound)")
      }
      removed.formUnion(touched)
      var moved = edit
      moved.range = lower..<upper
      result.append(moved)
    }
    for (index, copy) in copies.enumerated() where !removed.contains(index) {
      let copyStart = moved(copy.expanded.lowerBound)
      let copyEnd = moved(copy.expanded.upperBound, insertionsAfter: true)
      let targetStart = moved(
        expansion.expandedOffset(ofOriginal: document.span(of: copy.target).lowerBound))
      if let copyNode = after.outermostNode(startingAt: copyStart),
        let targetNode = after.outermostNode(startingAt: targetStart),
        after.sameValue(copyNode, targetNode)
      {
        continue  // Its use agrees with the anchored node's: the alias stays.
      }
      result.append(Edit(range: copy.original, replacement: Array(edited[copyStart..<copyEnd])))
    }
    return result
  }
}
