import Foundation
import Mirror
import MirrorProperties
import TestSupport
import Testing
import YAMLSplice

/// The run's properties on inputs nobody chose by hand: every input the
/// fuzzer ever broke (Fixtures/fuzz) and every golden fixture, each under
/// configurations drawn as the fuzzer draws them (``DrawnConfiguration``),
/// in every mode.
struct PropertyTests {
  static let folder = Fixtures.directory(of: #filePath).appendingPathComponent("Fixtures")
  static let inputs = Fixtures.files(under: folder, suffixes: [".yaml"])
  /// Configurations drawn per input and mode.
  static let drawsPerMode = 3

  /// The violations of `checks` on `input` under the configuration of its
  /// `#~` line, if any, and under `draws` configurations per mode that
  /// `name` draws, each with the configuration that broke it.
  static func violations(
    _ input: [UInt8], name: String, draws: Int, checks: MirrorProperties.Checks
  ) -> [String] {
    var found: [String] = []
    // A fuzzer finding carries the configuration it was found under.
    if DrawnConfiguration.split(input).payload.count != input.count,
      let violation = MirrorProperties.violation(inFuzzInput: input, checks: checks)
    {
      found.append("\(name): \(violation) under its own #~ configuration")
    }
    for mode in DrawnConfiguration.Mode.allCases {
      for draw in 0..<draws {
        let configuration = DrawnConfiguration(
          drawingFrom: Array("\(name)#\(draw)".utf8), mode: mode)
        if let violation = MirrorProperties.violation(
          in: input, configuration: configuration, checks: checks)
        {
          found.append("\(name): \(violation) under \(configuration)")
        }
      }
    }
    return found
  }

  @Test("fuzzer findings and fixtures keep every property under drawn configurations")
  func fixtures() throws {
    #expect(!Self.inputs.isEmpty)
    for file in Self.inputs {
      let input = try #require(Fixtures.bytes(at: file))
      for violation in Self.violations(
        input, name: file.lastPathComponent, draws: Self.drawsPerMode, checks: .all)
      {
        Issue.record(Comment(rawValue: violation))
      }
    }
  }
}

/// The properties on generated YAML: thousands of streams mixing every
/// construct the generator knows, each under a drawn configuration in
/// every mode.
struct GeneratedPropertyTests {
  static let cases = 1500

  static func violations(seed: UInt64, checks: MirrorProperties.Checks) -> (
    found: [String], parsed: Int
  ) {
    var generator = GeneratedYAML(seed: seed)
    var parsed = 0
    var found: [String] = []
    for index in 0..<Self.cases {
      let input = generator.stream()
      if (try? StreamParser.parse(input)) != nil { parsed += 1 }
      for violation in PropertyTests.violations(
        input, name: "case \(index)", draws: 1, checks: checks)
      {
        found.append("\(violation)\n\(String(decoding: input, as: UTF8.self))")
      }
    }
    return (found, parsed)
  }

  @Test("generated streams parse, and every run keeps every property")
  func generated() {
    let (found, parsed) = Self.violations(seed: 2026, checks: .all)
    for violation in found { Issue.record(Comment(rawValue: violation)) }
    // The generator writes valid YAML: nearly every case must parse, or the
    // properties above were only checked on the error path.
    #expect(parsed > Self.cases * 9 / 10, "only \(parsed) of \(Self.cases) generated streams parse")
  }

  @Test("generated streams: bytes outside the rewritten hosts and added annotations are unchanged")
  func untouchedBytes() throws {
    var generator = GeneratedYAML(seed: 7)
    // TLS coverage adds hosts to lists by design; here only rewrites and tags.
    let invocation = Invocation(
      from: "staging.mycompany.com", to: "mirror.mycompany.com",
      settings: [("cover-rule-hosts", "false")])
    var compared = 0
    for index in 0..<Self.cases {
      let input = generator.stream()
      let outcome = Runner(invocation: invocation, readFile: { _ in nil }).run(input: input)
      guard outcome.status == .success else { continue }
      compared += 1
      let restored = Self.undo(outcome.stdout)
      let identical = restored == input
      #expect(
        identical,
        "case \(index): \(ByteDiffText.first(input, restored))")
    }
    #expect(compared > Self.cases * 9 / 10)
  }

  /// Reverses what the mirror adds or changes in generated input: removes
  /// the krm-mirror annotations (block lines, flow entries, created
  /// `annotations:` blocks) and maps mirror hosts back. What is left must be
  /// the input byte for byte.
  static func undo(_ output: [UInt8]) -> [UInt8] {
    var text = String(decoding: output, as: UTF8.self)
    let lineBreak = text.contains("\r\n") ? "\r\n" : "\n"
    var lines = text.components(separatedBy: lineBreak)
    lines.removeAll { $0.trimmingCharacters(in: .whitespaces).hasPrefix("krm-mirror.dev/") }
    // An `annotations:` block created for the tags is now empty.
    var kept: [String] = []
    for (index, line) in lines.enumerated() {
      let isEmptyCreated =
        line == "  annotations:"
        && (index + 1 >= lines.count || !lines[index + 1].hasPrefix("    "))
      if !isEmptyCreated { kept.append(line) }
    }
    text = kept.joined(separator: lineBreak)
    for key in ["krm-mirror.dev/original-hosts", "krm-mirror.dev/host-map"] {
      while let range = text.range(of: ", \(key): ") {
        let end = text[range.upperBound...].firstIndex { $0 == "," || $0 == "}" } ?? text.endIndex
        var value = text[range.upperBound..<end]
        // A quoted value may hold commas.
        if value.hasPrefix("\"") {
          let close = text[text.index(after: range.upperBound)...].firstIndex(of: "\"") ?? end
          value = text[range.upperBound...close]
        }
        text.removeSubrange(range.lowerBound..<value.endIndex)
      }
    }
    text = text.replacingOccurrences(of: "mirror.mycompany.com", with: "staging.mycompany.com")
    return Array(text.utf8)
  }
}

/// The first differing line of two byte strings, for messages.
enum ByteDiffText {
  static func first(_ lhs: [UInt8], _ rhs: [UInt8]) -> String {
    let a = String(decoding: lhs, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    let b = String(decoding: rhs, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(a.count, b.count) {
      let x = index < a.count ? String(a[index]) : "<none>"
      let y = index < b.count ? String(b[index]) : "<none>"
      if x != y { return "line \(index + 1): \(x.debugDescription) vs \(y.debugDescription)" }
    }
    return "same lines"
  }
}
