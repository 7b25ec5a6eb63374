public import KRM

/// Where a run reads its input and writes its output: the process's stdin,
/// stdout and stderr in the executable, memory in tests.
public struct RunIO {
  /// How a read ended.
  public enum ReadStatus: Sendable {
    /// Bytes were appended and more may follow.
    case more
    /// The input ended; the last bytes (possibly none) were appended.
    case end
    /// The input could not be read.
    case failed
  }

  /// Appends the next block of input to the buffer.
  public var read: (inout [UInt8]) -> ReadStatus
  /// Writes bytes to the output; false when they could not be written.
  public var write: (UnsafeBufferPointer<UInt8>) -> Bool
  /// Writes text for humans (stderr).
  public var report: (String) -> Void
  /// Receives every result of the run as it is decided, when set (review
  /// output: `--summary`, `--results`). Nil costs nothing.
  public var result: ((KRMResult) -> Void)?

  /// Creates the I/O from its three operations.
  public init(
    read: @escaping (inout [UInt8]) -> ReadStatus,
    write: @escaping (UnsafeBufferPointer<UInt8>) -> Bool,
    report: @escaping (String) -> Void
  ) {
    self.read = read
    self.write = write
    self.report = report
  }
}
