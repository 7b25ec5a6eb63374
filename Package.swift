// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target shares: language mode 6 with existential
/// `any` spelled out and imports internal unless marked otherwise.
let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "krm-mirror",
  products: [
    .executable(name: "krm-mirror", targets: ["krm-mirror"])
  ],
  // No package dependencies: flags are parsed by hand (see
  // Sources/krm-mirror/CommandLineArguments.swift), which keeps Foundation
  // out of the static binary and startup short.
  dependencies: [],
  targets: [
    // The only place libyaml is named (Debian: libyaml-dev, pkg-config
    // yaml-0.1). No `pkgConfig:` here: pkg-config would add `-lyaml` and link
    // the shared library; YAMLSplice links libyaml.a instead. yaml.h is in
    // /usr/include.
    .systemLibrary(
      name: "CYAML",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),
    // Generic YAML: events, byte offsets, node table, scalar styles, splicing.
    // libyaml is linked statically (libyaml.a ships with libyaml-dev), so the
    // shipped binary needs nothing beyond glibc's family at run time.
    .target(
      name: "YAMLSplice",
      dependencies: ["CYAML"],
      swiftSettings: strictSettings,
      linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libyaml.a"])]
    ),
    // KRM framing: modes, ResourceList, item views, results, config maps.
    .target(
      name: "KRM",
      dependencies: ["YAMLSplice"],
      swiftSettings: strictSettings
    ),
    // The product: host matching, field table, the mirror functions.
    .target(
      name: "Mirror",
      dependencies: ["YAMLSplice", "KRM"],
      swiftSettings: strictSettings
    ),
    // Thin executable: flags, stdin/stdout, exit codes.
    .executableTarget(
      name: "krm-mirror",
      dependencies: ["Mirror", "KRM", "YAMLSplice"],
      swiftSettings: strictSettings
    ),
    // The run's invariants, checked by the fuzzer and the property tests;
    // not a dependency of the executable, so never shipped.
    .target(
      name: "MirrorProperties",
      dependencies: ["Mirror", "KRM", "YAMLSplice"],
      swiftSettings: strictSettings
    ),
    // Helpers shared by the test targets (fixtures, goldens, processes).
    .target(
      name: "TestSupport",
      path: "Tests/TestSupport",
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "YAMLSpliceTests",
      dependencies: ["YAMLSplice", "TestSupport"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "KRMTests",
      dependencies: ["KRM", "YAMLSplice", "TestSupport"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "MirrorTests",
      dependencies: ["Mirror", "KRM", "YAMLSplice", "MirrorProperties", "TestSupport"],
      exclude: ["Fixtures"],
      swiftSettings: strictSettings
    ),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["krm-mirror", "TestSupport"],
      swiftSettings: strictSettings
    ),
  ]
)
