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
    let chunk = 1 << 20
    while true {
      let before = bytes.count
      bytes.append(contentsOf: repeatElement(0, count: chunk))
      let count = bytes.withUnsafeMutableBufferPointer { buffer in
        read(descriptor, buffer.baseAddress.map { $0 + before }, chunk)
      }
      if count < 0 {
        bytes.removeLast(chunk)
        if errno == EINTR { continue }
        return nil
      }
      bytes.removeLast(chunk - count)
      if count == 0 { return bytes }
    }
  }

  /// Reads a whole file; nil when it cannot be opened or read.
  static func readFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
    return readAll(descriptor)
  }

  /// Writes all of `bytes`, retrying partial writes and EINTR; false on error.
  @discardableResult
  static func write(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
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
  }

  /// Writes text to stderr.
  static func writeError(_ text: String) {
    write(Array(text.utf8), to: 2)
  }
}
