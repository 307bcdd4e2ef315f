"""What a change review costs: a one-line edit to nova, against a full review and one file.

    python benchmarks/change_review.py [--runs 1] [--file nova/utils.py]

The nova sdist (pinned in _corpora.py, from PyPI into .bench/) is copied into a temporary git
repository and committed, and reviewed once (as the reviewer's or CI's previous run would have:
the cache in the repository's `.scrutiny_cache/` now holds every file of the base). One line of
`--file` is then edited and each child process is timed (wall seconds, median of `--runs`, the
default worker count):
- change review, cache warm: `scrutiny review --diff HEAD` (the edited file is analysed again,
  the others come from the cache, the project's dataflow is solved again, then split);
- change review, no cache: the same with `--no-cache` (every file analysed);
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
from pathlib import Path

from _corpora import PINNED, corpus

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}  # fmt: skip


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=repo, check=True, env={**os.environ, **GIT_ENV}, stdout=subprocess.DEVNULL
    )


def prepare(work: Path, file: str) -> Path:
    repo = work / "nova"
    shutil.copytree(corpus("nova"), repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "nova sdist")
    timed(repo, ["."], 1)  # the previous review: primes the cache with the base
    path = repo / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("    return "))
    lines[index] = lines[index].rstrip("\n") + "  # a one-line edit\n"
    path.write_text("".join(lines), encoding="utf-8")
    return repo


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
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--file", default="nova/utils.py")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scrutiny-change-") as work:
        repo = prepare(Path(work), options.file)
        rows = [
            ("change review, cache warm", timed(repo, ["--diff", "HEAD"], options.runs)),
            ("change review, no cache", timed(repo, ["--no-cache", "--diff", "HEAD"], options.runs)),
            ("full review, no cache", timed(repo, ["--no-cache", "."], options.runs)),
            (f"one file, no cache ({options.file})", timed(repo, ["--no-cache", options.file], options.runs)),
        ]
    print(f"nova {PINNED['nova']}, one-line edit to {options.file}; wall seconds, median of {options.runs}")
    for name, (seconds, code) in rows:
        print(f"  {name:<40} {seconds:8.2f} s   (exit {code})")
    ratio = rows[0][1][0] / rows[3][1][0]
    print(f"  change review (cache warm) / one-file review: {ratio:.1f}x (target <= 2x)")


if __name__ == "__main__":
    main()
