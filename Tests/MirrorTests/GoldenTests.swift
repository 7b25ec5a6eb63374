import Foundation
import KRM
import Mirror
import TestSupport
import Testing
import YAMLSplice

/// Byte-exact golden tests: each `Fixtures/<mode>/<name>.in.yaml` goes through
/// the runner and must give `<name>.out.yaml` exactly, and the output fed
/// back must change nothing (idempotence). `UPDATE_GOLDEN=1` re-records.
struct GoldenTests {
  static let folder = Fixtures.directory(of: #filePath).appendingPathComponent("Fixtures")

  static func names(_ mode: String) -> [String] {
    Fixtures.files(under: folder.appendingPathComponent(mode), suffixes: [".in.yaml"]).map {
      String($0.lastPathComponent.dropLast(".in.yaml".count))
    }
  }

  static let filterInvocation = Invocation(
    from: "staging.mycompany.com", to: "mirror.mycompany.com")

  static func run(_ input: [UInt8], _ invocation: Invocation = Invocation()) -> Outcome {
    Runner(invocation: invocation, readFile: { _ in nil }).run(input: input)
  }

  /// The invocation for a filter fixture: `NAME.args` beside it holds one
  /// command-line setting per line (`key=value`, as the ConfigMap keys);
  /// the mapping is always staging.mycompany.com → mirror.mycompany.com.
  static func invocation(for url: URL) -> Invocation {
    var invocation = filterInvocation
    let argsURL = url.deletingPathExtension().deletingPathExtension().appendingPathExtension("args")
    guard let bytes = Fixtures.bytes(at: argsURL) else { return invocation }
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: "=", maxSplits: 1)
      if parts.count == 2 { invocation.settings.append((String(parts[0]), String(parts[1]))) }
    }
    return invocation
  }

  @Test("filter mode, byte for byte", arguments: names("filter"))
  func filter(name: String) throws {
    let url = Self.folder.appendingPathComponent("filter/\(name).in.yaml")
    let input = try #require(Fixtures.bytes(at: url))
    let invocation = Self.invocation(for: url)
    let first = Self.run(input, invocation)
    if Self.failingFilter.contains(name) {
      // A run with an error result: exit 1, nothing on stdout, and the
      // messages on stderr as recorded in `NAME.stderr`.
      #expect(first.status == .failure)
      #expect(first.stdout.isEmpty, "\(first.stdout.count) bytes on stdout")
      Golden.check(
        Array(first.stderr.utf8),
        against: url.deletingPathExtension().deletingPathExtension()
          .appendingPathExtension("stderr"))
      return
    }
    #expect(first.status == .success, "\(first.stderr)")
    Golden.check(
      first.stdout,
      against: url.deletingPathExtension().deletingPathExtension()
        .appendingPathExtension("out.yaml"))
    let second = Self.run(first.stdout, invocation)
    #expect(second.status == .success)
    let unchanged = second.stdout == first.stdout
    #expect(
      unchanged,
      "second run changed: \(ByteDiff.describe(expected: first.stdout, actual: second.stdout) ?? "")"
    )
  }

  /// Filter fixtures that must fail (an error result): they have a
  /// `NAME.stderr` golden instead of `NAME.out.yaml`.
  static let failingFilter: Set<String> = ["leaks-error"]

  /// Fixtures whose configuration is wrong: exit 1 with error results.
  static let failing: Set<String> = [
    "config-errors", "no-config", "leaks-error", "check-hosts", "secret-unfollowed",
  ]

  @Test("KRM function mode, byte for byte", arguments: names("krm"))
  func krm(name: String) throws {
    let url = Self.folder.appendingPathComponent("krm/\(name).in.yaml")
    let input = try #require(Fixtures.bytes(at: url))
    let first = Self.run(input)
    #expect(first.status == (Self.failing.contains(name) ? .failure : .success), "\(first.stderr)")
    Golden.check(
      first.stdout,
      against: url.deletingPathExtension().deletingPathExtension()
        .appendingPathExtension("out.yaml"))
    guard first.status == .success else { return }
    // A second run only replaces `results`: the items come out unchanged.
    let second = Self.run(first.stdout)
    let firstItems = try Self.itemsBytes(first.stdout)
    let secondItems = try Self.itemsBytes(second.stdout)
    #expect(firstItems == secondItems, "items changed on the second run")
  }

  static func itemsBytes(_ bytes: [UInt8]) throws -> [UInt8] {
    let document = try #require(try StreamParser.parse(bytes).first)
    let list = try #require(ResourceList(document))
    guard let items = list.itemsNode else { return [] }
    return Array(bytes[document.span(of: items)])
  }
}
