import KRM
import YAMLSplice

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

/// Writes a list's results into the output, in order: rendered in chunks,
/// every other chunk on a second thread that stays at most one chunk ahead,
/// so two cores render while memory holds two chunks, not the whole text.
/// (A list's results can be larger than its input; rendering them is most
/// of what is left to do once the list is parsed.)
struct ResultsWriter {
  /// Results per chunk.
  static let chunkSize = 512

  /// The logs, written one after the other.
  let logs: [ResultLog]
  let style: SequenceSlot.Style
  let source: [UInt8]

  private var chunks: [(log: Int, range: Range<Int>)] {
    var chunks: [(log: Int, range: Range<Int>)] = []
    for (index, log) in logs.enumerated() {
      var start = 0
      while start < log.count {
        let end = min(log.count, start + Self.chunkSize)
        chunks.append((index, start..<end))
        start = end
      }
    }
    return chunks
  }

  /// Renders chunk `chunk` of `chunks` into `out`.
  private func render(_ chunk: (log: Int, range: Range<Int>), into out: inout ByteWriter) {
    let continuing = chunk.range.lowerBound == 0 && logs[..<chunk.log].contains { !$0.isEmpty }
    logs[chunk.log].render(
      chunk.range, as: style, source: source, continuing: continuing, into: &out)
  }

  /// Writes every result to `output`; with `parallel`, odd chunks are
  /// rendered on a second thread. Same bytes either way.
  func write(to output: inout BufferedOutput, parallel: Bool) {
    let chunks = self.chunks
    guard parallel && chunks.count > 1 else {
      for chunk in chunks {
        render(chunk, into: &output.buffer)
        output.flushIfFull()
      }
      return
    }
    let handoff = Handoff()
    let helper = BackgroundTask { [self] in
      var index = 1
      while index < chunks.count {
        var rendered = ByteWriter(capacity: 1 << 18)
        render(chunks[index], into: &rendered)
        handoff.put(rendered)
        index += 2
      }
    }
    for (index, chunk) in chunks.enumerated() {
      if index % 2 == 0 {
        render(chunk, into: &output.buffer)
      } else {
        let rendered = handoff.take()
        rendered.withBytes { output.buffer.append($0) }
      }
      output.flushIfFull()
    }
    helper.join()
  }
}

/// One slot passing rendered chunks from the helper thread to the writer:
/// `put` waits while the slot is full, `take` while it is empty.
private final class Handoff: @unchecked Sendable {
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var slot: ByteWriter?

  init() {
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(changed, nil)
  }

  deinit {
    pthread_cond_destroy(changed)
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
    changed.deallocate()
  }

  func put(_ chunk: consuming ByteWriter) {
    pthread_mutex_lock(mutex)
    while slot != nil { pthread_cond_wait(changed, mutex) }
    slot = consume chunk
    pthread_cond_broadcast(changed)
    pthread_mutex_unlock(mutex)
  }

  func take() -> ByteWriter {
    pthread_mutex_lock(mutex)
    while true {
      if let chunk = slot.take() {
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        return chunk
      }
      pthread_cond_wait(changed, mutex)
    }
  }
}
