"""Early cutoff after an edit (as incremental build systems do it).

Each solve is recorded with the file keys it saw, its dataflow findings, the project's rootwrap
filters and the whole run it finished. On the next run, if the files that changed since have
taint summaries equal to the ones recorded (a comment, a log message, a constant no data flows
through), every input of the solve is the same and so is its output: the unchanged files'
finished results are the recorded run's, and only the edited files are analysed and finished
again (`reuse`). A summary that differs only by its line numbers (lines inserted or deleted
above code: `relocate.py`) reuses the solve too, with those lines renumbered in the findings.
When a summary did change, the solve is redone incrementally from the state the last one left
(`engine/taint/incremental.py`): only the calls and sinks the edit can reach, reading those
files' cached analyses; the files whose dataflow findings changed are finished again. When that
cannot serve, the whole project is solved again (`solve`), with the edited files' fresh
analyses passed on.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrutiny.cache import Cache
from scrutiny.config import Settings
from scrutiny.dataflow import dataflow_findings, findings
from scrutiny.engine.taint.incremental import Edit, State, resolve_again
from scrutiny.engine.taint.ir import FileSummary
from scrutiny.engine.taint.solve import Solver
from scrutiny.engine.walker import RawFinding
from scrutiny.findings import FileResult
from scrutiny.relocate import LineMap, line_map, moved_finding, moved_raw
from scrutiny.rootwrap.crosscheck import cross_check, project_filters
from scrutiny.rootwrap.review import is_filters

if TYPE_CHECKING:
    from scrutiny.pipeline import FileWork

# The solves are looked up here (tests spy on them).
__all__ = ["dataflow_findings", "resolve_again", "reuse", "solve"]

_MOST_CHANGED = 64  # past this many edited files, comparing summaries is not worth it

Finish = Callable[["FileWork", Sequence[RawFinding]], FileResult]


def solve(
    store: Cache, keys: dict[str, str], run_id: str | None, works: Sequence[FileWork], settings: Settings
) -> dict[str, list[RawFinding]]:
    """The dataflow findings of `works`, recorded for the next run's `reuse` with the solve's
    state (stored apart: only an edit that changes a summary reads it)."""
    record_key = _record_key(store, keys)
    generation = secrets.token_hex(8)

    def keep(solver: Solver) -> None:
        store.put_run(_state_key(record_key), {"generation": generation, "state": State.of(solver)})

    found = dataflow_findings(works, settings, keep)
    record = {
        "keys": dict(keys), "found": found, "run": run_id, "filters": project_filters(works),
        "state": generation,
    }  # fmt: skip
    store.put_run(record_key, record)
    return found


def reuse(
    store: Cache,
    paths: Sequence[str],
    keys: dict[str, str],
    run_id: str | None,
    settings: Settings,
    analyze: Callable[[str], FileWork],
    finish: Finish,
) -> tuple[list[FileResult] | None, list[tuple[str, FileWork]]]:
    """The run's results from the recorded one when no edited file's summary changed, else
    None; and the edited files analysed on the way (for the cache, and not to redo them).
    When reused, the record then stands for this run (`run_id`) and its files."""
    record_key = _record_key(store, keys)
    record = store.get_run(record_key)
    changed = _changed(record, paths, keys)
    if changed is None:
        return None, []
    old = store.get_files(record["keys"][path] for path in changed)
    fresh = [(path, analyze(path)) for path in changed]
    moves: dict[str, LineMap] = {}
    edits: dict[str, Edit] = {}  # files whose summary changed
    for path, work in fresh:
        before = old.get(record["keys"][path])
        if before is None or before.active != work.active:
            return None, fresh
        lines = {} if before.taint == work.taint else line_map(before.taint, work.taint)
        if lines is None:
            edits[path] = (before.taint, work.taint)
        elif lines:
            moves[path] = lines  # code moved, nothing else: the solve's findings, renumbered
    previous = store.get_run(record["run"]) if record.get("run") else None
    if not isinstance(previous, list) or len(previous) != len(paths) or (edits and moves):
        return None, fresh
    found: dict[str, list[RawFinding]] = record["found"]
    results = {result.path: result for result in previous}
    redo = [work for _, work in fresh]
    generation = record.get("state")  # of the solve's state, which the record stands for
    if moves:
        found = {path: [moved_raw(raw, moves) for raw in raws] for path, raws in found.items()}
        results = {path: _moved(result, moves) for path, result in results.items()}
        generation = None  # the state's evidence cites the old lines
    elif edits:
        again = _again(store, record_key, record, edits, dict(fresh), settings)
        if again is None:
            return None, fresh
        found, more, generation = again
        redo += more
    works = cross_check(redo, settings.models, record["filters"])
    for work in works:
        results[work.result.path] = finish(work, found.get(work.result.path, ()))
    if set(results) != set(paths):
        return None, fresh
    record = {**record, "keys": dict(keys), "found": found, "run": run_id, "state": generation}
    store.put_run(record_key, record)
    return [results[path] for path in paths], fresh


def _again(
    store: Cache,
    record_key: str,
    record: dict[str, Any],
    edits: dict[str, Edit],
    fresh: dict[str, FileWork],
    settings: Settings,
) -> tuple[dict[str, list[RawFinding]], list[FileWork], str] | None:
    """The incremental solve: the dataflow findings after the edits, the unedited files whose
    findings changed (analysed, from the cache, to be finished again), and the generation of
    the state stored for the next edit. None when only a full solve will do."""
    stored = store.get_run(_state_key(record_key)) if record.get("state") else None
    if not isinstance(stored, dict) or stored.get("generation") != record["state"]:
        return None
    keys: dict[str, str] = record["keys"]
    cached: dict[str, FileWork | None] = {}

    def work(path: str) -> FileWork | None:
        if path in fresh:
            return fresh[path]
        if path not in cached:
            cached[path] = store.get_files([keys[path]]).get(keys[path]) if path in keys else None
        return cached[path]

    def load(path: str) -> FileSummary | None:
        found = work(path)
        return found.taint if found is not None else None

    state: State = stored["state"]
    again = resolve_again(state, edits, load, list(keys))
    if again is None:
        return None
    flows, files = again
    active = {path: w.active for path in files if (w := work(path)) is not None}
    now = findings(flows, active, settings)
    found = {path: raws for path, raws in record["found"].items() if path not in files}
    found.update((path, raws) for path, raws in now.items() if raws)
    changed = [path for path in files if found.get(path, []) != record["found"].get(path, [])]
    more = [w for path in changed if path not in fresh and (w := work(path)) is not None]
    generation = secrets.token_hex(8)
    store.put_run(_state_key(record_key), {"generation": generation, "state": state})
    return found, more, generation


def _moved(result: FileResult, moves: dict[str, LineMap]) -> FileResult:
    """A finished result whose findings' evidence may run through a file whose lines moved."""
    findings = [moved_finding(f, moves) for f in result.findings]
    if all(a is b for a, b in zip(findings, result.findings, strict=True)):
        return result
    return replace(result, findings=findings)


def _changed(record: Any, paths: Sequence[str], keys: dict[str, str]) -> list[str] | None:
    """The paths whose key differs from the record's; None when the record cannot serve."""
    if not isinstance(record, dict) or not isinstance(record.get("found"), dict):
        return None
    before = record.get("keys")
    if not isinstance(before, dict) or set(before) != set(keys) or len(keys) != len(paths):
        return None
    changed = [path for path in paths if before[path] != keys[path]]
    if not changed or len(changed) > _MOST_CHANGED or any(is_filters(p) for p in changed):
        return None  # nothing changed: the whole-run entry was evicted; redo it properly
    return changed


def _state_key(record_key: str) -> str:
    return hashlib.sha256(f"state\0{record_key}".encode()).hexdigest()


def _record_key(store: Cache, keys: dict[str, str]) -> str:
    """One record per run settings and set of reviewed paths: the latest solve over them."""
    digest = hashlib.sha256(f"solve\0{store.run}\0".encode())
    for path in sorted(keys):
        digest.update(path.encode() + b"\0")
    return digest.hexdigest()
