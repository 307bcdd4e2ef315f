"""Early cutoff for the project-wide dataflow solve (as incremental build systems do it).

After an edit, every file's summary is at hand (the edited ones analysed again, the rest from
the cache) and the solver would run over all of them. But when the edited files' taint
summaries are equal to the ones the previous run solved, every input of the solve is the same,
and so is its output: the previous run's dataflow findings are reused. Editing a comment, a
log message or a constant no data flows through costs the one file's analysis only; an edit
that changes a summary (a new call, a moved line) is solved again in full.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrutiny.cache import Cache
from scrutiny.config import Settings
from scrutiny.dataflow import dataflow_findings
from scrutiny.engine.walker import RawFinding

if TYPE_CHECKING:
    from scrutiny.pipeline import FileWork

__all__ = ["dataflow_findings", "solve"]  # the solve itself is looked up here (tests spy on it)

_MOST_CHANGED = 64  # past this many edited files, comparing summaries is not worth it


def solve(
    store: Cache, keys: dict[str, str], works: Sequence[FileWork], settings: Settings
) -> dict[str, list[RawFinding]]:
    """The dataflow findings of `works`, reused from the last solve of the same files when no
    edited file's summary changed; the solve is recorded for the next run either way."""
    record = _record_key(store, keys)
    last = store.get_run(record)
    found = _reused(store, last, keys, works) if isinstance(last, dict) else None
    if found is None:
        found = dataflow_findings(works, settings)
    store.put_run(record, {"keys": dict(keys), "found": found})
    return found


def _record_key(store: Cache, keys: dict[str, str]) -> str:
    """One record per run settings and set of reviewed paths: the latest solve over them."""
    digest = hashlib.sha256(f"solve\0{store.run}\0".encode())
    for path in sorted(keys):
        digest.update(path.encode() + b"\0")
    return digest.hexdigest()


def _reused(
    store: Cache, last: dict[str, Any], keys: dict[str, str], works: Sequence[FileWork]
) -> dict[str, list[RawFinding]] | None:
    before: dict[str, str] = last.get("keys", {})
    found = last.get("found")
    if not isinstance(found, dict) or set(before) != set(keys) or len(works) != len(keys):
        return None
    changed = [path for path, key in keys.items() if before[path] != key]
    if len(changed) > _MOST_CHANGED:
        return None
    old = store.get_files(before[path] for path in changed)
    now = {w.result.path: w for w in works}
    for path in changed:
        previous, current = old.get(before[path]), now.get(path)
        if previous is None or current is None:
            return None
        if previous.taint != current.taint or previous.active != current.active:
            return None
    return found
