#!/usr/bin/env python3
"""Mutation testing for krm-mirror: does every promise have a test that fails
when it breaks?

Reads the catalogue scripts/mutants.tsv (id, file, original text, replacement,
the promise it breaks). For each mutant: checks that the original text occurs
exactly once in its file, applies the replacement, builds the tests, runs them
and records whether a test failed ("killed", with the first failing test) or
none did ("survived"). The file is always restored afterwards, on an error or
Ctrl-C too, and the tree is rebuilt unmutated at the end.

First the unmutated tree must build and pass (the baseline). The tests run
in two stages: the in-process suites first, stopped at the first
failure (a killed mutant is known in seconds), then, only for a mutant that
survived them, the end-to-end suite. The verdict is the whole suite's.

Usage: scripts/mutants.py [--only ID,ID] [--tests PATTERN] [--check] [--report FILE]
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "scripts" / "mutants.tsv"
STAGES = [
    ("in-process", ["--filter", "MirrorTests|KRMTests|YAMLSpliceTests"]),
    ("end-to-end", ["--filter", "EndToEndTests"]),
]
FAILURE = re.compile(r'✘ Test ("(?:[^"\\]|\\.)*") recorded an issue(?:.*? at (\S+?\.swift):\d+)?')
ARGUMENT = re.compile(r"with \d+ arguments? .*?→ (.*?) at \S+\.swift:")
XCTEST_FAILURE = re.compile(r"error: -\[(\S+) (\S+)\] :")
TEST_TIMEOUT = 30 * 60


class Mutant:
    def __init__(self, line_number, fields):
        if len(fields) != 5:
            raise ValueError(f"{CATALOGUE.name}:{line_number}: {len(fields)} fields, expected 5")
        self.id, self.file, self.original, self.replacement, self.promise = fields
        self.line_number = line_number
        self.result = "not run"
        self.killer = ""
        self.seconds = 0.0


def read_catalogue():
    mutants = []
    for number, line in enumerate(CATALOGUE.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "id":
            continue
        mutants.append(Mutant(number, fields))
    ids = [m.id for m in mutants]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        sys.exit(f"duplicate mutant ids: {', '.join(sorted(duplicates))}")
    return mutants


def occurrences(mutant):
    path = ROOT / mutant.file
    if not path.is_file():
        return -1
    return path.read_text().count(mutant.original)


def run_logged(command, log):
    """Runs a command in its own process group, output appended to `log`."""
    log.write(f"\n$ {' '.join(command)}\n")
    log.flush()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def failing_test(line):
    """The failing test a line of `swift test` output names, or None:
    `"display name" [argument] (File.swift)` or `Class.method` for XCTest."""
    match = FAILURE.search(line)
    if match:
        name = match.group(1)
        argument = ARGUMENT.search(line)
        if argument:
            name += f" [{argument.group(1)}]"
        return f"{name} ({match.group(2)})" if match.group(2) else name
    match = XCTEST_FAILURE.search(line)
    return f"{match.group(1)}.{match.group(2)}" if match else None


def run_stage(arguments, log, stop_early=True):
    """Runs one test stage; returns the failing tests, or None when the stage
    passed. Stops the run at the first failure when `stop_early`."""
    command = ["swift", "test", "--skip-build"] + arguments
    log.write(f"\n$ {' '.join(command)}\n")
    log.flush()
    env = dict(os.environ, CI="true")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        text=True,
        errors="replace",
    )
    failures = []
    started = time.monotonic()
    try:
        for line in process.stdout:
            log.write(line)
            failure = failing_test(line)
            if failure and failure not in failures:
                failures.append(failure)
                if stop_early:
                    break
            if time.monotonic() - started > TEST_TIMEOUT:
                failures.append("timeout")
                break
        killer = "; ".join(failures) or None
        if killer is None:
            status = process.wait()
            if status != 0:
                killer = f"test run exited {status}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return killer


def build(log):
    return run_logged(["swift", "build", "--build-tests"], log) == 0


def evaluate(mutant, log):
    path = ROOT / mutant.file
    original = path.read_bytes()
    text = original.decode()
    count = text.count(mutant.original)
    if count != 1:
        mutant.result = "stale"
        mutant.killer = f"original text found {count} times"
        return
    started = time.monotonic()
    try:
        path.write_text(text.replace(mutant.original, mutant.replacement, 1))
        log.write(f"\n===== mutant {mutant.id}: {mutant.file}\n")
        if not build(log):
            mutant.result = "unviable"
            mutant.killer = "does not compile"
            return
        for stage, arguments in STAGES:
            killer = run_stage(arguments, log, stop_early=stage != "selected")
            if killer:
                mutant.result = "killed"
                mutant.killer = killer
                return
        mutant.result = "SURVIVED"
    finally:
        path.write_bytes(original)
        mutant.seconds = time.monotonic() - started


def table(mutants):
    rows = [("id", "result", "killed by / note", "promise")]
    rows += [(m.id, m.result, m.killer, m.promise) for m in mutants]
    widths = [min(max(len(r[i]) for r in rows), 60) for i in range(3)]
    lines = []
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(3)] + [row[3]]
        lines.append(" | ".join(cells).rstrip())
    return "\n".join(lines)


def summary(mutants):
    run = [m for m in mutants if m.result in ("killed", "SURVIVED")]
    killed = sum(m.result == "killed" for m in run)
    rate = f"{100 * killed / len(run):.0f}%" if run else "n/a"
    others = len(mutants) - len(run)
    note = f"; {others} not evaluated (stale, unviable or not run)" if others else ""
    return f"killed {killed} of {len(run)} mutants ({rate}){note}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated mutant ids")
    parser.add_argument(
        "--check", action="store_true", help="only check that every original text occurs once"
    )
    parser.add_argument("--report", help="also write the table to this file")
    parser.add_argument(
        "--tests",
        help="run only the tests matching this swift test --filter pattern (to show that a"
        " given test kills a mutant); the verdict is then that of those tests alone",
    )
    arguments = parser.parse_args()

    mutants = read_catalogue()
    if arguments.tests:
        STAGES[:] = [("selected", ["--filter", arguments.tests])]
    if arguments.only:
        wanted = arguments.only.split(",")
        unknown = set(wanted) - {m.id for m in mutants}
        if unknown:
            sys.exit(f"unknown mutant ids: {', '.join(sorted(unknown))}")
        mutants = [m for m in mutants if m.id in wanted]

    bad = [(m, occurrences(m)) for m in mutants]
    bad = [(m, n) for m, n in bad if n != 1]
    for m, n in bad:
        where = "file missing" if n < 0 else f"original text found {n} times"
        print(f"{CATALOGUE.name}:{m.line_number}: {m.id}: {m.file}: {where}", file=sys.stderr)
    if arguments.check:
        print(f"{len(mutants) - len(bad)} of {len(mutants)} mutants apply")
        return 1 if bad else 0

    # SIGTERM and SIGHUP restore the file as Ctrl-C does.
    def interrupt(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)

    log_path = ROOT / ".build" / "mutants.log"
    log_path.parent.mkdir(exist_ok=True)
    interrupted = False
    with open(log_path, "w") as log:
        # The baseline: the unmutated tree must build and pass every stage,
        # or a failure would be counted as a kill.
        print("baseline: the unmutated tree ...", flush=True)
        if not build(log):
            sys.exit(f"the unmutated tree does not build; see {log_path}")
        for stage, stage_arguments in STAGES:
            failure = run_stage(stage_arguments, log)
            if failure:
                sys.exit(f"the unmutated tree fails {stage} tests: {failure}; see {log_path}")
        try:
            for index, mutant in enumerate(mutants, 1):
                print(f"[{index}/{len(mutants)}] {mutant.id} ({mutant.file}) ...", flush=True)
                evaluate(mutant, log)
                print(
                    f"    {mutant.result} {mutant.killer} [{mutant.seconds:.0f} s]", flush=True
                )
        except KeyboardInterrupt:
            interrupted = True
            print("interrupted; restoring and rebuilding", file=sys.stderr)
        finally:
            print("rebuilding the unmutated tree ...", flush=True)
            if not build(log):
                print(f"warning: the unmutated tree did not build; see {log_path}", file=sys.stderr)

    report = table(mutants) + "\n\n" + summary(mutants) + "\n"
    print()
    print(report, end="")
    print(f"(log: {log_path.relative_to(ROOT)})")
    if arguments.report:
        Path(arguments.report).write_text(report)
    if interrupted:
        return 130
    return 1 if any(m.result in ("SURVIVED", "stale", "unviable") for m in mutants) else 0


if __name__ == "__main__":
    sys.exit(main())
