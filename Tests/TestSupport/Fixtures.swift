public import Foundation

/// Reading and writing test fixtures beside the test sources, without
/// bundles: paths come from `#filePath`.
public enum Fixtures {
  /// The folder holding the calling test file.
  public static func directory(of filePath: String) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent()
  }

  /// The package root (the folder holding `Package.swift`).
  public static func packageRoot(filePath: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while url.path != "/" {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        return url
      }
      url.deleteLastPathComponent()
    }
    return url
  }

  /// Bytes of a file, or nil when it does not exist.
  public static func bytes(at url: URL) -> [UInt8]? {
    (try? Data(contentsOf: url)).map { [UInt8]($0) }
  }

  /// Writes bytes to a file, creating folders.
  public static func write(_ bytes: [UInt8], to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  /// Files (recursively) below `url` whose names end with one of `suffixes`,
  /// sorted by path.
  public static func files(under url: URL, suffixes: [String]) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
    else { return [] }
    var result: [URL] = []
    for case let file as URL in enumerator where suffixes.contains(where: file.path.hasSuffix) {
      result.append(file)
    }
    return result.sorted { $0.path < $1.path }
  }

  /// Whether the environment asks goldens to be re-recorded.
  public static var updateGoldens: Bool {
    ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil
  }

  /// Whether this run is CI (`CI=true`): tools that tests need must exist.
  public static var isCI: Bool {
    ProcessInfo.processInfo.environment["CI"] == "true"
  }
}
