import KRM
import YAMLSplice

/// Filter and legacy-plugin mode: a multi-document stream, part by part.
extension Runner {
  func streamPass(_ config: MirrorConfig) -> StreamPass {
    StreamPass(
      config: config, minimum: invocation.verbose ? .info : .warning, holdLimit: holdLimit)
  }

  /// Processes a stream part by part: `input` holds the first bytes read,
  /// with a document boundary at `firstCut` that `cutter` found.
  func runStream(
    _ first: [UInt8], firstCut: Int, cutter: DocumentCutter, config: MirrorConfig, io: RunIO
  ) -> Outcome.Status {
    var pass = streamPass(config)
    var input = first
    var cutter = cutter
    var cut: Int? = firstCut
    var status = RunIO.ReadStatus.more
    while true {
      if let cut, status == .more {
        let part = Array(input[..<cut])
        input.removeFirst(cut)
        cutter.removeFirst(cut)
        if let stopped = pass.add(part, io: io) { return stopped }
      }
      if status == .end {
        if !input.isEmpty, let stopped = pass.add(input, io: io) { return stopped }
        return pass.finish(io: io)
      }
      status = io.read(&input)
      if status == .failed {
        io.report("krm-mirror: cannot read stdin\n")
        return .failure
      }
      cut = input.withUnsafeBufferPointer { cutter.lastCut(in: $0) }
    }
  }
}
