"""Small projects on disk, and their reviews compared whole (shared by the cache tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrutiny import Settings, review_paths


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text) under `root`; returns `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def everything(root: Path, **overrides: object) -> list[tuple[Any, ...]]:
    """Every finding of a review of `root` whole: location, message, confidence, and each step
    of its evidence, so a reused or incremental result can be compared with a fresh one."""
    review = review_paths([str(root)], Settings(jobs=1).merged(**overrides))
    return sorted(
        (
            Path(f.path).name,
            f.code,
            (f.location.line, f.location.column, f.location.end_line, f.location.end_column),
            f.message,
            f.confidence,
            tuple((Path(s.path).name, s.line, s.column, s.description) for s in f.evidence),
        )
        for f in review.findings
    )
