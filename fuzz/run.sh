#!/usr/bin/env bash
# Time-boxed fuzzing: fuzz/run.sh [SECONDS] (default 60), or a fixed number
# of runs with FUZZ_RUNS=N [FUZZ_SEED=S] (repeatable: CI uses it).
# Seeds: every manifest under Tests (the fixtures and the real-manifest
# corpus vendored in Tests/Corpus) and examples, copied into
# .build-fuzz/corpus (never committed), each also with a `#~N` last line
# that draws its run configuration. KRM_MIRROR_FUZZ_CHECKS=basics checks only
# the byte-level properties. Crashes land in
# fuzz/artifacts/; turn each into a regression fixture under
# Tests/MirrorTests/Fixtures/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ -x fuzz/krm-mirror-fuzz ] || fuzz/build.sh
corpus=.build-fuzz/corpus
mkdir -p "$corpus" fuzz/artifacts
if [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
  [ -f Tests/Corpus/SOURCES.md ] || { echo "fuzz/run.sh: Tests/Corpus is missing" >&2; exit 1; }
  n=0
  while IFS= read -r -d '' file; do
    n=$((n + 1)); cp "$file" "$corpus/seed-$n"
    # The same seed with a drawn configuration line (`#~…`, see
    # Sources/MirrorProperties/DrawnConfiguration.swift), so the fuzzer
    # starts from inputs that carry one and mutates it.
    { cat "$file"; [ -z "$(tail -c1 "$file")" ] || echo; printf '#~%s' "$n"; } >"$corpus/seed-$n-drawn"
  done < <(find Tests examples -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 2>/dev/null | sort -z)
  echo "seeded $n files" >&2
fi
# ASan records a stack per allocation; two frames are enough for a
# report and make runs about a quarter faster.
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=2}"
# The Swift runtime's backtracer, run after a property violation, reads
# memory that ASan then reports as an "unknown-crash", burying the real
# message ("property violated: ..."); libFuzzer still reports the crash
# and writes the input without it.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
# Regression inputs found earlier are replayed first; a failing one is shown.
if [ -d Tests/MirrorTests/Fixtures/fuzz ]; then
  replay=$(fuzz/krm-mirror-fuzz Tests/MirrorTests/Fixtures/fuzz/* 2>&1) || {
    printf '%s\n' "$replay" | tail -n 40 >&2
    echo "fuzz/run.sh: a regression fixture under Tests/MirrorTests/Fixtures/fuzz fails" >&2
    exit 1
  }
fi
# FUZZ_RUNS (with FUZZ_SEED) gives a fixed, repeatable run instead of a time box.
if [ -n "${FUZZ_RUNS:-}" ]; then
  limit=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
else
  limit=(-max_total_time="$seconds")
fi
exec fuzz/krm-mirror-fuzz "$corpus" "${limit[@]}" -max_len=${FUZZ_MAX_LEN:-8192} \
  -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 -detect_leaks=0
