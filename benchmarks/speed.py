"""How fast scrutiny reviews a large project, against the parser's floor, Bandit and Ruff.

    python benchmarks/speed.py [--runs 3] [--write docs/performance.md]
    python benchmarks/speed.py --corpus src --limit 30 --runs 1 --no-tools   # reduced mode

Full mode reviews the pinned neutron and nova sdists from PyPI and installs Bandit and Ruff into
`.bench/speed-tools/` (a virtualenv of its own). Every command runs as its own process, in
interleaved rounds (a burst of load elsewhere hits all of them alike), and each figure is the
median of `--runs` rounds: wall seconds, CPU seconds (user + system of the process and the
workers it waited for, from `wait4`) and peak resident memory of the largest process.

Rows: the floor (read + `ast.parse` of every file in one process), scrutiny with one job and
with all cores (cold, no cache), scrutiny warm (the same review again, cache hot), scrutiny after
one file is edited (cache hot for the others), start-up (`scrutiny --version`), `bandit -r` and
`ruff check --select S`. Targets are issue 8's; the script prints whether each one holds.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _corpora import PINNED, ROOT, compile_scrutiny, corpus
from taint_speed import FLOOR, replace_section

TOOLS = ROOT / ".bench" / "speed-tools"
WORK = ROOT / ".bench" / "speed-work"
BANDIT, RUFF = "1.9.4", "0.17.6"


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mb: float


def measure(cmd: list[str], cwd: Path | None = None) -> Sample:
    """One child process: wall time, CPU of it and its waited-for workers, its peak RSS."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"failed ({child.returncode}): {' '.join(cmd)}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def tools() -> tuple[Path | None, Path | None]:
    """Bandit and Ruff, pinned, in a virtualenv of their own (PyPI only)."""
    bindir = TOOLS / "bin"
    if not (bindir / "bandit").exists() or not (bindir / "ruff").exists():
        venv.create(TOOLS, with_pip=True)
        pip = [str(bindir / "python"), "-m", "pip", "install", "-q", f"bandit=={BANDIT}", f"ruff=={RUFF}"]
        subprocess.run(pip, check=True)
    return bindir / "bandit", bindir / "ruff"


def scrutiny(*args: str) -> list[str]:
    return [sys.executable, "-m", "scrutiny", *args]


def review(path: Path, *extra: str) -> list[str]:
    return scrutiny("review", "--isolated", "-q", "--format", "json", "-o", os.devnull, *extra, str(path))


def subset(source: Path, limit: int) -> Path:
    """A copy of the first `limit` Python files of `source` (sorted), for the reduced mode."""
    target = WORK / f"subset-{source.name}-{limit}"
    shutil.rmtree(target, ignore_errors=True)
    for path in sorted(source.rglob("*.py"))[:limit]:
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    return target


def edited(path: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    """(edit, restore): each edit changes one mid-sized file anew, so no earlier run's cache
    matches; restore puts the file back as it was."""
    files = sorted(path.rglob("*.py"), key=lambda p: (p.stat().st_size, str(p)))
    target = files[len(files) // 2]
    original = target.read_bytes()

    def edit() -> None:
        target.write_bytes(original + f"\n# edit {time.time_ns()}\n".encode())

    def restore() -> None:
        target.write_bytes(original)

    return edit, restore


def bench(name: str, path: Path, runs: int, bandit: Path | None, ruff: Path | None) -> dict[str, Sample]:
    cache = WORK / f"cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    warm_cmd = review(path, "--cache-dir", str(cache))
    measure(warm_cmd)  # prime the cache once
    edit, restore = edited(path)
    commands: dict[str, tuple[list[str], Callable[[], None] | None]] = {
        "floor": ([sys.executable, "-c", FLOOR, str(path)], None),
        "one job": (review(path, "-j1", "--no-cache"), None),
        "all cores": (review(path, "-j0", "--no-cache"), None),
        "warm": (warm_cmd, None),
        "one file edited": (warm_cmd, edit),
        "start-up": (scrutiny("--version"), None),
    }
    if bandit is not None:
        commands["bandit -r"] = ([str(bandit), "-r", "-q", "-f", "json", "-o", os.devnull, str(path)], None)
    if ruff is not None:
        ruff_cmd = [str(ruff), "check", "--select", "S", "--no-cache", "--exit-zero", "-q", str(path)]
        commands["ruff --select S"] = (ruff_cmd, None)
    samples: dict[str, list[Sample]] = {label: [] for label in commands}
    try:
        for _ in range(runs):
            for label, (cmd, before) in commands.items():
                if before is not None:
                    before()
                samples[label].append(measure(cmd))
                if label == "one file edited":
                    measure(warm_cmd)  # the edit's run is cached: next round's warm row is warm again
    finally:
        restore()
    return {label: median(values) for label, values in samples.items()}


def median(values: list[Sample]) -> Sample:
    return Sample(
        statistics.median(v.wall for v in values),
        statistics.median(v.cpu for v in values),
        statistics.median(v.rss_mb for v in values),
    )


def targets(s: dict[str, Sample]) -> list[tuple[str, float, str, bool]]:
    """(what, measured ratio, target, holds) — issue 8's targets."""
    floor, one, every = s["floor"].cpu, s["one job"], s["all cores"]
    rows = [
        ("one job CPU / floor CPU", one.cpu / floor, "<= 2.5", one.cpu / floor <= 2.5),
        ("one job wall / all cores wall", one.wall / every.wall, ">= 1.7", one.wall / every.wall >= 1.7),
        ("warm wall / cold wall (all cores)", s["warm"].wall / every.wall, "<= 0.10",
         s["warm"].wall / every.wall <= 0.10),
        ("one file edited wall / cold wall", s["one file edited"].wall / every.wall, "<= 0.15",
         s["one file edited"].wall / every.wall <= 0.15),
        ("start-up wall, seconds", s["start-up"].wall, "<= 0.3", s["start-up"].wall <= 0.3),
        ("peak memory one job, MiB", one.rss_mb, "<= 1024", one.rss_mb <= 1024),
    ]  # fmt: skip
    if "bandit -r" in s:
        ratio = s["bandit -r"].cpu / one.cpu
        rows.insert(1, ("bandit CPU / one job CPU", ratio, ">= 5", ratio >= 5))
    return rows


def render(results: dict[str, tuple[int, int, dict[str, Sample]]], runs: int, command: str) -> str:
    out = [
        f"Measured by `{command}` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Bandit {BANDIT}, Ruff {RUFF}; the median of {runs} "
        "interleaved rounds; CPU = user + system seconds of the process and its workers; memory = "
        "peak resident set of the largest process.",
    ]
    for name, (files, lines, s) in results.items():
        floor = s["floor"]
        out += ["", f"**{name}** ({files:,} files, {lines:,} lines)", "",
                "| command | wall s | CPU s | peak MiB | CPU / floor |",
                "| --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
        for label, sample in s.items():
            out.append(
                f"| {label} | {sample.wall:.2f} | {sample.cpu:.2f} | {sample.rss_mb:.0f} "
                f"| {sample.cpu / floor.cpu:.2f}x |"
            )
        out += ["", "| target | measured | wanted | holds |", "| --- | ---: | --- | --- |"]
        for what, value, wanted, holds in targets(s):
            out.append(f"| {what} | {value:.2f} | {wanted} | {'yes' if holds else '**no**'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="scrutiny's speed against the parser, Bandit and Ruff.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, action="append", help="a local tree instead of the sdists")
    parser.add_argument("--limit", type=int, help="review only the first N files of each corpus (a copy)")
    parser.add_argument("--no-tools", action="store_true", help="skip Bandit and Ruff (no install)")
    parser.add_argument("--write", type=Path, help="replace the speed section of this Markdown file")
    args = parser.parse_args(argv)
    compile_scrutiny()
    bandit, ruff = (None, None) if args.no_tools else tools()
    trees = {p.name: p for p in args.corpus} if args.corpus else {n: corpus(n) / n for n in PINNED}
    results = {}
    for name, tree in trees.items():
        path = subset(tree, args.limit) if args.limit else tree
        files = list(path.rglob("*.py"))
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        label = f"{name} {PINNED[name]}" if name in PINNED and not args.corpus else name
        results[label] = (len(files), lines, bench(name, path, args.runs, bandit, ruff))
    command = "python benchmarks/speed.py " + " ".join(argv if argv is not None else sys.argv[1:])
    table = render(results, args.runs, command.strip())
    print(table)
    if args.write:
        replace_section(args.write, "speed", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
