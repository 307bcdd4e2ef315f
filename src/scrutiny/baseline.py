"""Baselines: accepted findings recorded by fingerprint, path and count.

`scrutiny baseline write FILE` records the findings a project has accepted; `--baseline FILE`
leaves those out of later reports. Unlike Bandit's baseline, an entry carries a count: one
accepted `eval` does not hide a second copy pasted beside it. The fingerprint is the rule, the
enclosing function and the code with its whitespace normalized, so moving lines and re-indenting
keep it; the path is kept apart from it (relative to the baseline file, so the directory a run
starts from does not matter), which lets an entry follow its code when the file is renamed.
Entries no longer matched by any finding are listed as stale.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from scrutiny.findings import Finding
from scrutiny.review import BaselineEntry, BaselineSummary, Review

SCHEMA_VERSION = 1


class BaselineError(ValueError):
    """A baseline file scrutiny cannot read: exit 2, never an empty baseline."""


def fingerprint(finding: Finding) -> str:
    """Rule + enclosing scope + code with whitespace normalized; no path, no line number."""
    normalized = " ".join(finding.snippet.split())
    key = "\x1f".join((finding.code, finding.scope, normalized))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Baseline:
    path: str  # the file, as given
    entries: tuple[BaselineEntry, ...]

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def _relative(path: str, folder: str) -> str:
    return os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")


def entries(findings: Iterable[Finding], folder: str) -> list[BaselineEntry]:
    counts = Counter((fingerprint(f), f.code, _relative(f.path, folder)) for f in findings)
    rows = [BaselineEntry(fp, rule, path, n) for (fp, rule, path), n in counts.items()]
    return sorted(rows, key=lambda e: (e.path, e.rule, e.fingerprint))


def write(path: str, review: Review) -> list[BaselineEntry]:
    """Record the review's unsuppressed findings; returns the entries written."""
    rows = entries(review.active, os.path.dirname(os.path.abspath(path)))
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": "scrutiny",
        "entries": [
            {"fingerprint": e.fingerprint, "rule": e.rule, "path": e.path, "count": e.count} for e in rows
        ],
    }
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")
    return rows


def load(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"baseline {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise BaselineError(f"baseline {path}: not a scrutiny baseline (schema_version {SCHEMA_VERSION})")
    rows = data.get("entries")
    if not isinstance(rows, list):
        raise BaselineError(f"baseline {path}: `entries` must be a list")
    return Baseline(path, tuple(_entry(path, i, row) for i, row in enumerate(rows)))


def _entry(path: str, index: int, row: Any) -> BaselineEntry:
    try:
        entry = BaselineEntry(str(row["fingerprint"]), str(row["rule"]), str(row["path"]), int(row["count"]))
    except (TypeError, KeyError, ValueError) as exc:
        raise BaselineError(f"baseline {path}: entry {index + 1}: {exc!r}") from None
    if entry.count < 1:
        raise BaselineError(f"baseline {path}: entry {index + 1}: count must be at least 1")
    return entry


def apply(review: Review, baseline: Baseline, last: Callable[[Finding], bool] = lambda f: False) -> Review:
    """Leave out findings the baseline accepts, at most `count` per entry; list stale entries.

    Findings for which `last(finding)` is true are matched last: in a change review, a copy of
    an accepted defect on a changed line is the one reported.
    """
    folder = baseline.folder
    left: Counter[tuple[str, str]] = Counter()
    for e in baseline.entries:
        left[(e.fingerprint, e.path)] += e.count
    reviewed = {_relative(p, folder) for p in review.files}
    # An entry for a file that is gone (renamed, moved) matches the same code in another file.
    gone = {
        path for _, path in left if path not in reviewed and not os.path.exists(os.path.join(folder, path))
    }
    moved: dict[str, list[tuple[str, str]]] = {}
    for key in sorted(left):
        if key[1] in gone:
            moved.setdefault(key[0], []).append(key)
    kept: list[Finding] = []
    matched = 0
    for finding in sorted(review.findings, key=lambda f: (last(f), f.sort_key())):
        key = (fingerprint(finding), _relative(finding.path, folder))
        if finding.suppressed is None and left[key] <= 0:
            key = next((k for k in moved.get(key[0], ()) if left[k] > 0), key)
        if finding.suppressed is None and left[key] > 0:
            left[key] -= 1
            matched += 1
        else:
            kept.append(finding)
    kept.sort(key=Finding.sort_key)
    stale = tuple(
        replace(e, count=min(e.count, left[(e.fingerprint, e.path)]))
        for e in _unique(baseline.entries)
        if left[(e.fingerprint, e.path)] > 0 and (e.path in reviewed or e.path in gone)
    )
    summary = BaselineSummary(baseline.path, matched, stale)
    return replace(review, findings=kept, baseline=summary)


def _unique(rows: Iterable[BaselineEntry]) -> list[BaselineEntry]:
    seen: set[tuple[str, str]] = set()
    out = []
    for e in rows:
        if (e.fingerprint, e.path) not in seen:
            seen.add((e.fingerprint, e.path))
            out.append(e)
    return out
