public import Foundation
public import Testing

/// The real-manifest corpus vendored at `Tests/Corpus`: Kubernetes manifests
/// from public repositories, byte for byte, described (repository, commit,
/// license, file and byte counts) by `Tests/Corpus/SOURCES.md`.
public enum Corpus {
  /// `Tests/Corpus` in the package.
  public static var root: URL {
    Fixtures.packageRoot().appendingPathComponent("Tests/Corpus")
  }

  /// `Tests/Corpus/SOURCES.md`.
  public static var sources: URL { root.appendingPathComponent("SOURCES.md") }

  /// Every manifest of the corpus (`.yaml`, `.yml`, `.json`), sorted by
  /// path; empty when the folder is missing. Listed once per test process.
  public static let manifests: [URL] = Fixtures.files(
    under: root, suffixes: [".yaml", ".yml", ".json"])

  /// Fewer manifests than this means the folder is missing or was emptied:
  /// the corpus has 1,249 (SOURCES.md's total row).
  public static let minimumCount = 1000

  /// The corpus manifests, recording a failure and throwing when there are
  /// fewer than `minimumCount`, so that a test over the corpus cannot pass
  /// by looking at nothing.
  public static func requireManifests(sourceLocation: SourceLocation = #_sourceLocation)
    throws -> [URL]
  {
    let found = manifests.count
    try #require(
      found >= minimumCount,
      "found \(found) manifests under \(root.path), expected the vendored corpus (SOURCES.md)",
      sourceLocation: sourceLocation)
    return manifests
  }

  /// One repository row of the table in SOURCES.md.
  public struct Source: Sendable, Equatable {
    /// `owner/name` on GitHub.
    public var repository: String
    /// Number of files taken from it.
    public var files: Int
    /// Their total size in bytes.
    public var bytes: Int

    /// The folder holding its files: `owner__name`.
    public var folder: String { repository.replacingOccurrences(of: "/", with: "__") }
  }

  /// The repository rows of SOURCES.md's table (its total row excluded):
  /// rows whose first cell is `owner/name` and whose fourth and fifth cells
  /// are numbers. Empty when SOURCES.md cannot be read.
  public static func listedSources() -> [Source] {
    guard let text = try? String(contentsOf: sources, encoding: .utf8) else { return [] }
    var result: [Source] = []
    for line in text.split(separator: "\n") where line.hasPrefix("|") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 6, cells[1].contains("/"), !cells[1].hasPrefix("**"),
        let files = Int(cells[4]), let bytes = Int(cells[5])
      else { continue }
      result.append(Source(repository: cells[1], files: files, bytes: bytes))
    }
    return result
  }

  /// The files below `Tests/Corpus` that SOURCES.md names in backticks and
  /// that start with `LICENSES/` (the folder itself excluded).
  public static func listedLicenseTexts() -> [String] {
    guard let text = try? String(contentsOf: sources, encoding: .utf8) else { return [] }
    var names: Set<String> = []
    var rest = text[...]
    while let start = rest.range(of: "`LICENSES/") {
      let name = rest[rest.index(after: start.lowerBound)...].prefix { $0 != "`" && $0 != "\n" }
      if !name.hasSuffix("/") { names.insert(String(name)) }
      rest = rest[start.upperBound...]
    }
    return names.sorted()
  }
}
