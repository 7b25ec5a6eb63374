// libFuzzer entry for krm-mirror: the whole path (parse, mode detection,
// config decoding, host matching, splicing) on arbitrary bytes, with the
// properties checked on every input. Built by fuzz/build.sh, never shipped.
import KRM
import Mirror
import YAMLSplice

#if canImport(Glibc)
  import Glibc
#endif

/// Stops the fuzzer with a message: a property does not hold.
func violated(_ property: String, _ input: [UInt8]) -> Never {
  let text = "property violated: \(property)\n"
  _ = text.withCString { write(2, $0, strlen($0)) }
  abort()
}

let invocations = [
  Invocation(from: "staging.mycompany.com", to: "mirror.mycompany.com"),
  Invocation(
    hostPairs: ["mycompany.com=mirror.mycompany.com", "example.org=mirror.example.net"],
    settings: [("text", "true"), ("secret-names", "rename"), ("cluster-issuer", "le-staging")]),
  Invocation(),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  let parses: Bool
  do {
    _ = try StreamParser.parse(input)
    parses = true
  } catch {
    parses = false
  }
  // One configuration per input, picked by its length: three times the
  // executions per second of running all three on every input.
  for invocation in [invocations[size % invocations.count]] {
    let runner = Runner(invocation: invocation, readFile: { _ in nil })
    let first = runner.run(input: input)
    if !parses {
      // Malformed input: a positioned error, exit 1, nothing on stdout.
      if first.status != .failure || !first.stdout.isEmpty || !first.stderr.hasPrefix("stdin:") {
        violated("malformed input must fail with a positioned error and no output", input)
      }
      continue
    }
    if first.status == .usage { continue }
    if first.status == .success && first.stdout.isEmpty && !input.isEmpty {
      violated("empty output with exit 0 for non-empty input", input)
    }
    guard first.status == .success else { continue }
    // Output parses.
    guard (try? StreamParser.parse(first.stdout)) != nil else {
      violated("output does not parse", input)
    }
    // With no matching host (the third invocation has no hosts: only
    // ResourceLists with their own config get here) and in general: a
    // second run changes nothing but results.
    let second = runner.run(input: first.stdout)
    if second.status == .success {
      let isList = (try? StreamParser.parse(first.stdout)).map {
        $0.count == 1 && ResourceList($0[0]) != nil
      } ?? false
      if !isList && second.stdout != first.stdout {
        violated("second run changed the output", input)
      }
    }
  }
  // Identity: a mapping that matches nothing gives the input back.
  let identity = Runner(
    invocation: Invocation(from: "no-such-host.invalid", to: "mirror.invalid"),
    readFile: { _ in nil }
  ).run(input: input)
  if parses && identity.status == .success {
    let isList = (try? StreamParser.parse(input)).map { $0.count == 1 && ResourceList($0[0]) != nil } ?? false
    if !isList && identity.stdout != input && !(input.isEmpty && identity.stdout.isEmpty) {
      violated("no matching host, but the output differs from the input", input)
    }
  }
  return 0
}
