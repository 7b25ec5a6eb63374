public import Foundation

/// What a child process did.
public struct ProcessResult: Sendable {
  /// Exit status.
  public var status: Int32
  /// Bytes written to stdout.
  public var stdout: [UInt8]
  /// Text written to stderr.
  public var stderr: String
}

/// Runs programs for end-to-end tests.
public enum ProcessRunner {
  /// Runs `executable` with `arguments`, feeding `input` on stdin through
  /// a pipe, or with `inputFile` (a regular file) as stdin when given.
  /// `environment` replaces the inherited one when given.
  public static func run(
    _ executable: String, _ arguments: [String] = [], input: [UInt8] = [],
    inputFile: URL? = nil, environment: [String: String]? = nil, currentDirectory: URL? = nil
  ) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    if let inputFile {
      process.standardInput = try FileHandle(forReadingFrom: inputFile)
    } else {
      process.standardInput = stdin
    }
    process.standardOutput = stdout
    process.standardError = stderr
    // A child that exits before reading all its input (--help, a usage
    // error) must not kill the test process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    try process.run()
    let group = DispatchGroup()
    let errorBox = DataBox()
    DispatchQueue.global().async(group: group) {
      try? stdin.fileHandleForWriting.write(contentsOf: Data(input))
      try? stdin.fileHandleForWriting.close()
    }
    DispatchQueue.global().async(group: group) {
      errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile()
    }
    let outData = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    group.wait()
    return ProcessResult(
      status: process.terminationStatus, stdout: [UInt8](outData),
      stderr: String(decoding: errorBox.data, as: UTF8.self))
  }

  /// The full path of a program on PATH, or nil.
  public static func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// The built `krm-mirror` binary beside the running test bundle.
  public static var krmMirror: String {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = bundle.deletingLastPathComponent()
    while folder.path != "/" {
      let candidate = folder.appendingPathComponent("krm-mirror").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      folder.deleteLastPathComponent()
    }
    return Fixtures.packageRoot().appendingPathComponent(".build/debug/krm-mirror").path
  }
}

/// Carries bytes out of a reader thread; written once before `group.wait()`.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}
