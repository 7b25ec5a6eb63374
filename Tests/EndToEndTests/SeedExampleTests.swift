import Foundation
import TestSupport
import Testing

/// The seed scenario, `examples/seed`, through the binary and the real kpt.
@Suite(.serialized)
struct SeedExampleTests {
  static let example = Fixtures.packageRoot().appendingPathComponent("examples/seed")
  static let binary = ProcessRunner.krmMirror

  @Test("as a filter the output is .expected/filter.yaml, byte for byte, and stable")
  func filter() throws {
    let input = try #require(
      Fixtures.bytes(at: Self.example.appendingPathComponent("ingress.yaml")))
    let arguments = ["--from", "staging.mycompany.com", "--to", "mirror.mycompany.com"]
    let first = try ProcessRunner.run(Self.binary, arguments, input: input)
    #expect(first.status == 0, "\(first.stderr)")
    Golden.check(
      first.stdout, against: Self.example.appendingPathComponent(".expected/filter.yaml"))
    let second = try ProcessRunner.run(Self.binary, arguments, input: first.stdout)
    #expect(second.stdout == first.stdout)
  }

  @Test("kpt fn eval --exec, twice: hosts rewritten, second run changes nothing")
  func kptEval() throws {
    let kpt = try Tool.require("kpt")
    let work = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-seed-\(getpid())")
    try? FileManager.default.removeItem(at: work)
    try FileManager.default.copyItem(at: Self.example, to: work)
    defer { try? FileManager.default.removeItem(at: work) }
    let kptfile = try #require(Fixtures.bytes(at: work.appendingPathComponent("Kptfile")))
    let arguments = [
      "fn", "eval", work.path, "--exec", Self.binary, "--",
      "from=staging.mycompany.com", "to=mirror.mycompany.com",
    ]
    let first = try ProcessRunner.run(kpt, arguments)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stderr.contains("[PASS]"))
    let ingress = work.appendingPathComponent("ingress.yaml")
    let afterFirst = try #require(Fixtures.bytes(at: ingress))
    Golden.check(afterFirst, against: Self.example.appendingPathComponent(".expected/ingress.yaml"))
    #expect(Fixtures.bytes(at: work.appendingPathComponent("Kptfile")) == kptfile)

    let second = try ProcessRunner.run(kpt, arguments)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.contains("no host matched"))
    #expect(Fixtures.bytes(at: ingress) == afterFirst, "the second run changed ingress.yaml")
  }

  @Test("kpt fn eval with a broken config fails and writes no file")
  func kptEvalFailure() throws {
    let kpt = try Tool.require("kpt")
    let work = FileManager.default.temporaryDirectory.appendingPathComponent(
      "krm-mirror-seed-fail-\(getpid())")
    try? FileManager.default.removeItem(at: work)
    try FileManager.default.copyItem(at: Self.example, to: work)
    defer { try? FileManager.default.removeItem(at: work) }
    let before = try #require(Fixtures.bytes(at: work.appendingPathComponent("ingress.yaml")))
    let result = try ProcessRunner.run(
      kpt, ["fn", "eval", work.path, "--exec", Self.binary, "--", "from=staging.mycompany.com"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("data.to"))
    #expect(Fixtures.bytes(at: work.appendingPathComponent("ingress.yaml")) == before)
  }
}
