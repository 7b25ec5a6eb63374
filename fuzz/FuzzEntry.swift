// libFuzzer entry for krm-mirror: the whole path (parse, mode detection,
// config decoding, host matching, splicing) on arbitrary bytes, with the
// properties of MirrorProperties checked on every input. Built by
// fuzz/build.sh, never shipped.
import MirrorProperties

#if canImport(Glibc)
  import Glibc
#endif

/// Runs one fuzzer input through the whole path and aborts when a
/// property is violated (libFuzzer then saves the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  // One configuration per input, picked by its length.
  let invocation = MirrorProperties.invocations[size % MirrorProperties.invocations.count]
  if let property = MirrorProperties.violation(in: input, invocation: invocation) {
    let text = "property violated: \(property)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    abort()
  }
  return 0
}
