extension ResourceList {
  /// Where a block-style ResourceList's `functionConfig` entry probably is,
  /// found from the text alone: the last line starting `functionConfig:`
  /// within the input's last MiB, up to the next line that starts another
  /// top-level key. kpt and kustomize write it after `items`, so the
  /// configuration can be read before the items are parsed.
  ///
  /// A guess: callers parse the region alone and must check what they read
  /// against the real parse. Cost: O(bytes scanned), at most 1 MiB.
  public static func functionConfigRegion(in input: [UInt8]) -> Range<Int>? {
    let key = Array("functionConfig:".utf8)
    let lowest = max(0, input.count - (1 << 20))
    return input.withUnsafeBufferPointer { bytes -> Range<Int>? in
      var lineStart = -1
      var index = bytes.count - key.count
      while index >= lowest {
        if index == 0 || bytes[index - 1] == 0x0A, bytes[index] == key[0],
          key.indices.allSatisfy({ bytes[index + $0] == key[$0] })
        {
          lineStart = index
          break
        }
        index -= 1
      }
      guard lineStart >= 0 else { return nil }
      // The region ends where a line starts with a top-level key.
      var end = lineStart + key.count
      while end < bytes.count {
        if bytes[end] == 0x0A, end + 1 < bytes.count {
          let next = bytes[end + 1]
          if next != 0x20 && next != 0x09 && next != 0x0A && next != 0x0D && next != 0x23 {
            return lineStart..<(end + 1)
          }
        }
        end += 1
      }
      return lineStart..<bytes.count
    }
  }
}
