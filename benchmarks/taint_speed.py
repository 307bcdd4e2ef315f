"""What the taint stage costs: whole-run time with and without it, against the parser's floor.

    python benchmarks/taint_speed.py [--runs 3] [--write docs/performance.md]

For neutron and nova (pinned sdists from PyPI), one process each, the minimum of `--runs`
interleaved rounds:
- floor: read every .py file and `ast.parse` it (CPython's own parser; nothing is faster);
- scrutiny without taint: `scrutiny review -j1 --ignore SCR9` (pattern rules only);
- scrutiny: `scrutiny review -j1` (the default rule set, dataflow included).
CPU seconds are measured for each child process (`resource.getrusage`), so a busy machine
inflates wall time but not the figures compared; wall time is printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from _corpora import PINNED, compile_scrutiny, corpus

FLOOR = """
import ast, os, sys
for root, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in files:
        if name.endswith(".py"):
            with open(os.path.join(root, name), "rb") as handle:
                data = handle.read()
            try:
                ast.parse(data)
            except (SyntaxError, ValueError):
                pass
"""


def measure(cmd: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def best(commands: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """The least disturbed (minimum) CPU and wall time of each command over `runs` rounds.

    Rounds interleave the commands, so a burst of load elsewhere on the machine hits all of them
    alike instead of one; the minimum is the figure least inflated by it."""
    samples: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for i, cmd in enumerate(commands):
            samples[i].append(measure(cmd))
    return [(min(c for c, _ in s), min(w for _, w in s)) for s in samples]


def scrutiny(path: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scrutiny",
        "review",
        "--isolated",
        "--no-cache",  # a cold review: the cache would hide the work measured
        "-j1",
        "-q",
        "--format",
        "json",
        *extra,
        str(path),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description="Cost of the taint stage against the parser floor.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="replace the taint section of this Markdown file")
    args = parser.parse_args()
    compile_scrutiny()
    rows = []
    for name in PINNED:
        path = corpus(name)
        lines = sum(p.read_bytes().count(b"\n") for p in path.rglob("*.py"))
        floor, bare, full = best(
            [[sys.executable, "-c", FLOOR, str(path)], scrutiny(path, "--ignore", "SCR9"), scrutiny(path)],
            args.runs,
        )
        taint = full[0] - bare[0]
        rows.append(
            f"| {name} {PINNED[name]} | {lines:,} | {floor[0]:.2f} | {bare[0]:.2f} | {full[0]:.2f} "
            f"| {taint:.2f} | {taint / floor[0]:.2f}x | {full[0] / floor[0]:.2f}x | {full[1]:.2f} |"
        )
    table = "\n".join([
        f"Measured by `python benchmarks/taint_speed.py --runs {args.runs}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; CPU seconds of one process, the "
        f"minimum of {args.runs} interleaved rounds.",
        "",
        "| corpus | lines | floor (read + ast.parse) | scrutiny without taint | scrutiny | taint stage "
        "| taint / floor | scrutiny / floor | scrutiny wall s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ])  # fmt: skip
    print(table)
    if args.write:
        replace_section(args.write, "taint", table)
    return 0


def replace_section(path: Path, name: str, body: str) -> None:
    """Swap the text between `<!-- name:start -->` and `<!-- name:end -->` in a Markdown file."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
