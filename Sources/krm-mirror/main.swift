import Mirror

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif

// The `krm-mirror` command: arguments in, bytes through, exit status out.
let status: Int32
do {
  switch try CommandLineArguments.parse(Array(CommandLine.arguments.dropFirst())) {
  case .help:
    StandardIO.write(Array(Usage.help.utf8), to: 1)
    status = 0
  case .version:
    StandardIO.write(Array((Usage.version + "\n").utf8), to: 1)
    status = 0
  case .run(let invocation, let review):
    let io = RunIO(
      read: StandardIO.standardInputReader(),
      write: { StandardIO.write($0, to: 1) },
      report: StandardIO.writeError)
    status =
      Runner(invocation: invocation, readFileOrFail: StandardIO.readFile)
      .run(io, review: review, writeFile: StandardIO.writeFile).rawValue
  }
} catch {
  StandardIO.writeError(
    "krm-mirror: error: \(error.message)\nUsage: krm-mirror [<options>] [<plugin-config>]; see krm-mirror --help\n"
  )
  status = 2
}
exit(status)
