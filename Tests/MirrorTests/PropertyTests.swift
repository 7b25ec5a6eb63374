import Foundation
import MirrorProperties
import TestSupport
import Testing

/// The run's properties on inputs nobody chose by hand: every input the
/// fuzzer ever broke (Fixtures/fuzz) and every golden fixture, under each
/// configuration of MirrorProperties.
struct PropertyTests {
  static let folder = Fixtures.directory(of: #filePath).appendingPathComponent("Fixtures")
  static let inputs = Fixtures.files(under: folder, suffixes: [".yaml"])

  @Test("fuzzer findings and fixtures keep every property")
  func fixtures() throws {
    #expect(!Self.inputs.isEmpty)
    for file in Self.inputs {
      let input = try #require(Fixtures.bytes(at: file))
      for invocation in MirrorProperties.invocations {
        let violation = MirrorProperties.violation(in: input, invocation: invocation)
        #expect(violation == nil, "\(file.lastPathComponent): \(violation ?? "")")
      }
    }
  }
}
