"""The incremental solve against the full one, on nova: same flows, and what each edit redoes.

    python benchmarks/incremental_solve.py

The pinned nova sdist (from PyPI into .bench/) is copied to a temporary directory and analysed
once (every file's taint summary); the full solve runs and leaves its state. Then each edit
below is applied to a copy of one file, that file alone is analysed again, and
`resolve_again` runs from a fresh copy of the state, beside a full solve over the edited
project. Printed per edit: the calls redone, the sink files resolved again, both times, and
whether the flows (sink, source, cleared kinds, every evidence step) are identical. An edit the
incremental solve refuses (it would redo more than a quarter of the calls, ...) prints
`full solve`.
"""

from __future__ import annotations

import copy
import gc
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _corpora import corpus

from scrutiny import pipeline
from scrutiny.config import Settings
from scrutiny.discovery import discover
from scrutiny.engine.taint import incremental
from scrutiny.engine.taint.ir import FileSummary
from scrutiny.engine.taint.solve import Flow, Solver

EDITS: list[tuple[str, str, Callable[[str], str]]] = [
    ("a function added", "nova/utils.py", lambda t: t + "\n\ndef _edited(value):\n    return str(value)\n"),
    ("a return changed", "nova/utils.py", lambda t: t.replace("    return ", "    return None or ", 1)),
    (
        "a sink added in an API handler",
        "nova/api/openstack/compute/servers.py",
        lambda t: t.replace(
            "    def show(self, req, id):", "    def show(self, req, id):\n        os.system(id)", 1
        ),
    ),
    (
        "a function added to an API module",
        "nova/api/openstack/compute/servers.py",
        lambda t: t + "\n\ndef _edited(req):\n    return req.params\n",
    ),
]


def key(flow: Flow) -> tuple[Any, ...]:
    sink = flow.sink
    return (
        sink.path,
        sink.line,
        sink.column,
        flow.source_kind,
        flow.source_api,
        sorted(flow.cleared),
        flow.trace,
    )


@dataclass
class Corpus:
    summaries: dict[str, FileSummary]
    order: list[str]
    base: list[Flow]  # the full solve's flows before any edit
    state: incremental.State  # what it left


def main() -> None:
    sys.setrecursionlimit(10_000)
    gc.set_threshold(200_000, 20, 100)  # as a review does (pipeline._fewer_collections)
    with tempfile.TemporaryDirectory(prefix="scrutiny-incremental-") as work:
        root = Path(work) / "nova"
        shutil.copytree(corpus("nova"), root)
        os.chdir(root)
        paths = sorted(discover(["nova"]))
        settings = Settings(cache=False, jobs=2)
        project = pipeline.project_packages(paths)
        works = pipeline._parallel([(p, settings, project) for p in paths], 2, None)
        summaries = {w.result.path: w.taint for w in works if w.taint is not None}
        order = [p for p in paths if p in summaries]
        full = Solver([summaries[p] for p in order])
        nova = Corpus(summaries, order, full.flows(), incremental.State.of(full))
        size = len(pickle.dumps(nova.state, protocol=pickle.HIGHEST_PROTOCOL))
        print(f"nova: {len(order)} summaries, {len(full.deps)} calls passing taint, {len(nova.base)} flows;")
        print(f"state {size / 2**20:.1f} MiB pickled")
        for name, file, edit in EDITS:
            path = next(p for p in order if p.endswith(file))
            original = Path(path).read_text(encoding="utf-8")
            Path(path).write_text(edit(original), encoding="utf-8")
            try:
                new = pipeline._analyze_file(path, settings, project).taint
            finally:
                Path(path).write_text(original, encoding="utf-8")
            compare(name, path, new, nova)


def compare(name: str, path: str, new: FileSummary | None, nova: Corpus) -> None:
    state = copy.deepcopy(nova.state)  # each edit starts from the full solve's state
    edits: dict[str, tuple[FileSummary | None, FileSummary | None]] = {path: (nova.summaries[path], new)}
    start = time.perf_counter()
    again = incremental.resolve_again(state, edits, nova.summaries.get, nova.order)
    seconds = time.perf_counter() - start
    files = [new if p == path else nova.summaries[p] for p in nova.order]
    start = time.perf_counter()
    reference = Solver([f for f in files if f is not None]).flows()
    full = time.perf_counter() - start
    if again is None:
        print(f"  {name:<36} full solve (refused)          full {full:.3f} s")
        return
    flows, sinks = again
    merged = [f for f in nova.base if f.sink.path not in sinks] + flows
    same = sorted(map(key, merged)) == sorted(map(key, reference))
    print(
        f"  {name:<36} {len(sinks):3} sink files  incremental {seconds:.3f} s  full {full:.3f} s  "
        f"identical flows: {same}"
    )


if __name__ == "__main__":
    main()
