#!/usr/bin/env bash
# Builds fuzz/krm-mirror-fuzz: the library targets compiled with libFuzzer
# and AddressSanitizer instrumentation, linked with fuzz/FuzzEntry.swift.
# (SwiftPM cannot link a fuzzing executable target itself: it renames the
# entry point, so the entry is linked here with swiftc.)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-fuzz
swift build -c release --scratch-path "$scratch" --target MirrorProperties \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing >/dev/null
bin="$scratch/release"
objects=$(find "$bin/YAMLSplice.build" "$bin/KRM.build" "$bin/Mirror.build" "$bin/MirrorProperties.build" -name '*.o')
swiftc -O -sanitize=fuzzer,address -parse-as-library \
  -I "$bin/Modules" -Xcc -fmodule-map-file=Sources/CYAML/module.modulemap \
  fuzz/FuzzEntry.swift $objects -Xlinker -l:libyaml.a -o fuzz/krm-mirror-fuzz 2>&1 \
  | grep -v "Cannot export local symbol" || true
test -x fuzz/krm-mirror-fuzz
echo "built fuzz/krm-mirror-fuzz"
