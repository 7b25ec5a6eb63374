public import Foundation
public import Testing

/// Byte-exact golden comparison with re-recording (`UPDATE_GOLDEN=1`).
public enum Golden {
  /// Compares `actual` with the file at `url` byte for byte and records an
  /// issue with the first differing line. Under `UPDATE_GOLDEN` the file is
  /// rewritten instead.
  public static func check(
    _ actual: [UInt8], against url: URL, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    if Fixtures.updateGoldens {
      do {
        try Fixtures.write(actual, to: url)
      } catch {
        Issue.record("cannot write \(url.path): \(error)", sourceLocation: sourceLocation)
      }
      return
    }
    guard let expected = Fixtures.bytes(at: url) else {
      Issue.record(
        "missing golden \(url.lastPathComponent); run with UPDATE_GOLDEN=1",
        sourceLocation: sourceLocation)
      return
    }
    let identical = expected == actual
    #expect(
      identical,
      "\(url.lastPathComponent) \(ByteDiff.describe(expected: expected, actual: actual) ?? "")",
      sourceLocation: sourceLocation)
  }
}

/// Tools the end-to-end tests drive.
public enum Tool {
  /// The path of `name`. When it is missing, the test is cancelled with a
  /// loud message, or fails under CI (`CI=true`), where every tool must exist.
  public static func require(_ name: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws -> String
  {
    if let path = ProcessRunner.which(name) { return path }
    try unavailable(
      name, because: "\(name) is not installed: this test needs the real \(name)",
      sourceLocation: sourceLocation)
  }

  /// Ends a test whose prerequisite `name` is missing: cancelled with a loud
  /// `message` on a developer machine, failed under CI (`CI=true`).
  public static func unavailable(
    _ name: String, because message: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Never {
    if Fixtures.isCI {
      Issue.record(Comment(rawValue: message + " (CI requires it)"), sourceLocation: sourceLocation)
      throw MissingTool(name: name)
    }
    print("warning: SKIPPED — \(message)")
    try Test.cancel(Comment(rawValue: message), sourceLocation: sourceLocation)
  }

  /// Thrown after recording the failure for a tool missing under CI.
  public struct MissingTool: Error {
    /// The tool's name.
    public var name: String
  }
}
