// libFuzzer entry for krm-mirror: the whole path (parse, mode detection,
// config decoding, host matching, splicing) on arbitrary bytes, under a
// configuration drawn from the input itself, with the properties of
// MirrorProperties checked on every input. Built by fuzz/build.sh, never
// shipped.
import MirrorProperties

#if canImport(Glibc)
  import Glibc
#endif

/// The properties checked: all of them, or with
/// `KRM_MIRROR_FUZZ_CHECKS=basics` only the byte-level ones (to hunt for
/// parse and splice findings alone).
let checks: MirrorProperties.Checks = {
  guard let value = getenv("KRM_MIRROR_FUZZ_CHECKS") else { return .all }
  return String(cString: value) == "basics" ? .basics : .all
}()

/// Runs one fuzzer input through the whole path and aborts when a
/// property is violated (libFuzzer then saves the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  // The configuration comes from the input's last `#~` line, else from
  // its length (see DrawnConfiguration).
  if let property = MirrorProperties.violation(inFuzzInput: input, checks: checks) {
    let text = "property violated: \(property)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    abort()
  }
  return 0
}
