"""What a change review costs: a one-line edit to nova, against a full review and one file.

    python benchmarks/change_review.py [--runs 3] [--file nova/utils.py]

The nova sdist (pinned in _corpora.py, from PyPI into .bench/) is copied into a temporary git
repository and committed, and reviewed once (as the reviewer's or CI's previous run would have:
the cache in the repository's `.scrutiny_cache/` now holds every file of the base). Then each
child process is timed (wall seconds, median of `--runs`, the default worker count), every run
of a change review after a new edit of `--file` (so no run finds its whole result stored):
- change review, a line edited in place: a comment appended to a `return` line (the file is
  analysed again; its taint summary is unchanged, so the last solve is reused: early cutoff);
- change review, a line inserted: a comment line added at the top, which moves every line
  below it (the summary's line numbers change, nothing else: the last solve is reused with
  them renumbered);
- change review, a function added: a one-line function appended, which changes the file's
  summary: the dataflow is solved again incrementally (only what the edit can reach);
- change review, a call added in a function: a `print()` line inserted before a `return`,
  which changes the summary and moves every line below it (all of it counts as changed: the
  incremental solve redoes whatever reads it, or the whole project past a quarter of the calls);
- change review, no cache: `--diff HEAD --no-cache` (every file analysed);
- full review, no cache: `scrutiny review --no-cache .`;
- one file, no cache: `scrutiny review --no-cache FILE`, the baseline of the target.
Issue 5's target: a change review of a one-line edit at most twice the one-file review.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _corpora import PINNED, compile_scrutiny, corpus

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}  # fmt: skip


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, env={**os.environ, **GIT_ENV}, stdout=subprocess.DEVNULL
    )


def prepare(work: Path) -> Path:
    repo = work / "nova"
    shutil.copytree(corpus("nova"), repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "nova sdist")
    timed(repo, ["."], 1)  # the previous review: primes the cache with the base
    return repo


def in_place(lines: list[str], run: int) -> list[str]:
    index = next(i for i, line in enumerate(lines) if line.startswith("    return "))
    return [*lines[:index], lines[index].rstrip("\n") + f"  # a one-line edit ({run})\n", *lines[index + 1 :]]


def inserted(lines: list[str], run: int) -> list[str]:
    # One or two lines, alternately: each run moves the code relative to the run before.
    return [f"# a one-line edit ({run})\n"] * (1 + run % 2) + lines


def call_added(lines: list[str], run: int) -> list[str]:
    # A call added inside a function: the summary changes and the lines below move.
    index = next(i for i, line in enumerate(lines) if line.startswith("    return "))
    return [*lines[:index], f"    print({run})  # a one-line edit\n", *lines[index:]]


def added(lines: list[str], run: int) -> list[str]:
    # A new function: the file's taint summary changes, so the whole project is solved again.
    return [*lines, f"def _edited_{run}(value): return str(value)  # a one-line edit\n"]


def edited(
    repo: Path, file: str, edit: Callable[[list[str], int], list[str]], runs: int
) -> tuple[float, int]:
    """`--diff HEAD` after a fresh edit before each run; the file is restored afterwards."""
    path = repo / file
    original = path.read_text(encoding="utf-8")
    samples, code = [], 0
    for run in range(runs):
        path.write_text("".join(edit(original.splitlines(keepends=True), run)), encoding="utf-8")
        seconds, code = timed(repo, ["--diff", "HEAD"], 1)
        samples.append(seconds)
    path.write_text(original, encoding="utf-8")
    return statistics.median(samples), code


def timed(repo: Path, args: list[str], runs: int) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "scrutiny", "review", "--quiet", "--format", "json", *args]
    samples, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(
            cmd, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        ).returncode
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--file", default="nova/utils.py")
    options = parser.parse_args()
    compile_scrutiny()
    with tempfile.TemporaryDirectory(prefix="scrutiny-change-") as work:
        repo = prepare(Path(work))
        file, runs = options.file, options.runs
        rows = [
            ("change review, a line edited in place", edited(repo, file, in_place, runs)),
            ("change review, a line inserted", edited(repo, file, inserted, runs)),
            ("change review, a function added", edited(repo, file, added, runs)),
            ("change review, a call added in a function", edited(repo, file, call_added, runs)),
        ]
        (repo / file).write_text("".join(in_place((repo / file).read_text().splitlines(True), 0)))
        rows += [
            ("change review, no cache", timed(repo, ["--no-cache", "--diff", "HEAD"], runs)),
            ("full review, no cache", timed(repo, ["--no-cache", "."], runs)),
            (f"one file, no cache ({file})", timed(repo, ["--no-cache", file], runs)),
        ]
    print(f"nova {PINNED['nova']}, one-line edits to {options.file}; wall seconds, median of {runs}")
    for name, (seconds, code) in rows:
        print(f"  {name:<45} {seconds:8.2f} s   (exit {code})")
    one = rows[-1][1][0]
    for name, (seconds, _) in rows[:4]:
        print(f"  {name} / one-file review: {seconds / one:.1f}x (target <= 2x)")


if __name__ == "__main__":
    main()
