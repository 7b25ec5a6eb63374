#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

/// Work running on a second thread until ``join()`` waits for it: how a
/// run uses the machine's second core (one part of a list parsed and
/// processed there while this thread does the other).
///
/// A plain POSIX thread: no Foundation, no Dispatch. What the work writes
/// is read by the caller only after ``join()``, which orders the two.
final class BackgroundTask: @unchecked Sendable {
  private var thread: pthread_t?
  private let work: () -> Void

  /// Starts `work` on a new thread; when no thread can be made, it runs
  /// here and now instead, so the result is the same either way.
  init(_ work: @escaping () -> Void) {
    self.work = work
    let context = Unmanaged.passRetained(self).toOpaque()
    var created = pthread_t()
    let status = pthread_create(
      &created, nil,
      { context in
        guard let context else { return nil }
        let task = Unmanaged<BackgroundTask>.fromOpaque(context).takeRetainedValue()
        task.work()
        return nil
      }, context)
    if status == 0 {
      thread = created
    } else {
      Unmanaged<BackgroundTask>.fromOpaque(context).release()
      work()
    }
  }

  /// Waits until the work is done.
  func join() {
    if let thread {
      pthread_join(thread, nil)
      self.thread = nil
    }
  }

  /// Number of processors online; 1 when it cannot be told.
  static var processorCount: Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }
}
