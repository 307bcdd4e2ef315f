"""Early cutoff after an edit (as incremental build systems do it).

Each solve is recorded with the file keys it saw, its dataflow findings, the project's rootwrap
filters and the whole run it finished. On the next run, if the files that changed since have
taint summaries equal to the ones recorded (a comment, a log message, a constant no data flows
through), every input of the solve is the same and so is its output: the unchanged files'
finished results are the recorded run's, and only the edited files are analysed and finished
again (`reuse`). A summary that differs only by its line numbers (lines inserted or deleted
above code: `relocate.py`) reuses the solve too, with those lines renumbered in the findings.
When a summary did change, the whole project is solved again (`solve`), with the edited files'
fresh analyses passed on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrutiny.cache import Cache
from scrutiny.config import Settings
from scrutiny.dataflow import dataflow_findings
from scrutiny.engine.walker import RawFinding
from scrutiny.findings import FileResult
from scrutiny.relocate import LineMap, line_map, moved_finding, moved_raw
from scrutiny.rootwrap.crosscheck import cross_check, project_filters
from scrutiny.rootwrap.review import is_filters

if TYPE_CHECKING:
    from scrutiny.pipeline import FileWork

__all__ = ["dataflow_findings", "reuse", "solve"]  # the solve is looked up here (tests spy on it)

_MOST_CHANGED = 64  # past this many edited files, comparing summaries is not worth it

Finish = Callable[["FileWork", Sequence[RawFinding]], FileResult]


def solve(
    store: Cache, keys: dict[str, str], run_id: str | None, works: Sequence[FileWork], settings: Settings
) -> dict[str, list[RawFinding]]:
    """The dataflow findings of `works`, recorded for the next run's `reuse`."""
    found = dataflow_findings(works, settings)
    record = {"keys": dict(keys), "found": found, "run": run_id, "filters": project_filters(works)}
    store.put_run(_record_key(store, keys), record)
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
    for path, work in fresh:
        before = old.get(record["keys"][path])
        if before is None or before.active != work.active:
            return None, fresh
        lines = {} if before.taint == work.taint else line_map(before.taint, work.taint)
        if lines is None:
            return None, fresh
        if lines:
            moves[path] = lines  # code moved, nothing else: the solve's findings, renumbered
    previous = store.get_run(record["run"]) if record.get("run") else None
    if not isinstance(previous, list) or len(previous) != len(paths):
        return None, fresh
    found: dict[str, list[RawFinding]] = record["found"]
    results = {result.path: result for result in previous}
    if moves:
        found = {path: [moved_raw(raw, moves) for raw in raws] for path, raws in found.items()}
        results = {path: _moved(result, moves) for path, result in results.items()}
    works = cross_check([work for _, work in fresh], settings.models, record["filters"])
    for work in works:
        results[work.result.path] = finish(work, found.get(work.result.path, ()))
    if set(results) != set(paths):
        return None, fresh
    store.put_run(record_key, {**record, "keys": dict(keys), "found": found, "run": run_id})
    return [results[path] for path in paths], fresh


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


def _record_key(store: Cache, keys: dict[str, str]) -> str:
    """One record per run settings and set of reviewed paths: the latest solve over them."""
    digest = hashlib.sha256(f"solve\0{store.run}\0".encode())
    for path in sorted(keys):
        digest.update(path.encode() + b"\0")
    return digest.hexdigest()
