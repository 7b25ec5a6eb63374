import Mirror

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#endif

/// The process's byte I/O: `read(2)`/`write(2)` loops, no buffering layers.
enum StandardIO {
  /// Reads all of a file descriptor; nil on a read error.
  static func readAll(_ descriptor: Int32) -> [UInt8]? {
    var bytes: [UInt8] = []
    var status = stat()
    if fstat(descriptor, &status) == 0 && status.st_size > 0 {
      bytes.reserveCapacity(Int(status.st_size) + 1)
    }
    while true {
      switch readBlock(descriptor, size: 1 << 20, into: &bytes) {
      case .more: continue
      case .end: return bytes
      case .failed: return nil
      }
    }
  }

  /// Appends up to `size` bytes of `descriptor` to `bytes`, reading until
  /// that many arrived or the input ended (so a pipe's timing never changes
  /// how input is split). The block is read straight into the array's
  /// storage: when the array has spare capacity (a regular file's size
  /// reserved) the block is at most that, so the storage is never moved;
  /// otherwise it grows geometrically. Cost: one zero fill and one copy by
  /// the kernel of the bytes read.
  static func readBlock(_ descriptor: Int32, size: Int, into bytes: inout [UInt8])
    -> RunIO.ReadStatus
  {
    let start = bytes.count
    let spare = bytes.capacity - start
    let block = spare > 0 ? min(size, spare) : size
    if spare < block { bytes.reserveCapacity(max(start + block, 2 * bytes.capacity)) }
    bytes.append(contentsOf: repeatElement(0, count: block))
    var filled = 0
    var status = RunIO.ReadStatus.more
    bytes.withUnsafeMutableBufferPointer { storage in
      guard let base = storage.baseAddress.map({ $0 + start }) else { return }
      while filled < block {
        let count = read(descriptor, base + filled, block - filled)
        if count < 0 {
          if errno == EINTR { continue }
          status = .failed
          return
        }
        if count == 0 {
          status = .end
          return
        }
        filled += count
      }
    }
    bytes.removeLast(block - filled)
    return status
  }

  /// A reader of stdin for ``RunIO``: blocks of 1 MiB. When stdin is a
  /// regular file the first read reserves its size, so that a ResourceList
  /// read whole grows its buffer once (address space only; untouched pages
  /// cost no memory).
  static func standardInputReader() -> (inout [UInt8]) -> RunIO.ReadStatus {
    var first = true
    return { bytes in
      if first {
        first = false
        var status = stat()
        if fstat(0, &status) == 0 && status.st_mode & S_IFMT == S_IFREG && status.st_size > 0 {
          bytes.reserveCapacity(Int(status.st_size) + 1)
        }
      }
      return readBlock(0, size: 1 << 20, into: &bytes)
    }
  }

  /// Reads a whole file, or says why it cannot (the system's reason:
  /// `No such file or directory`, `is a directory`, …).
  static func readFile(_ path: String) -> Result<[UInt8], Runner.ReadFailure> {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return .failure(.init(reason: systemReason())) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return .failure(.init(reason: systemReason())) }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return .failure(.init(reason: "is a directory"))
    default: return .failure(.init(reason: "not a regular file"))
    }
    guard let bytes = readAll(descriptor) else { return .failure(.init(reason: systemReason())) }
    return .success(bytes)
  }

  /// Writes a whole file (created or truncated); nil when it worked, else
  /// the system's reason.
  static func writeFile(_ path: String, _ bytes: [UInt8]) -> String? {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { return systemReason() }
    defer { close(descriptor) }
    return write(bytes, to: descriptor) ? nil : systemReason()
  }

  /// The text of the current `errno`.
  private static func systemReason() -> String {
    strerror(errno).map { String(cString: $0) } ?? "error \(errno)"
  }

  /// Writes all of `bytes`, retrying partial writes and EINTR; false on error.
  @discardableResult
  static func write(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    bytes.withUnsafeBufferPointer { write($0, to: descriptor) }
  }

  /// Writes all of `buffer`, retrying partial writes and EINTR; false on error.
  @discardableResult
  static func write(_ buffer: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Bool {
    var offset = 0
    while offset < buffer.count {
      let written = Glibc.write(
        descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += written
    }
    return true
  }

  /// Writes text to stderr.
  static func writeError(_ text: String) {
    write(Array(text.utf8), to: 2)
  }
}
