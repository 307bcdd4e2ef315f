"""scrutiny: a security code reviewer for Python.

The public API: review paths or source text and get a `Review` back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from scrutiny.config import Settings
from scrutiny.findings import (
    Confidence,
    EvidenceStep,
    FileError,
    FileResult,
    Finding,
    Location,
    Notice,
    Severity,
)
from scrutiny.review import CLEAN_VERDICT, Review, assemble

__version__ = "0.1.0"


def review_paths(
    paths: Sequence[str],
    settings: Settings | None = None,
    progress: Callable[[FileResult], None] | None = None,
    files: Sequence[str] | None = None,
) -> Review:
    """Review files and directories; `files` skips discovery when the caller already has it."""
    from scrutiny.pipeline import review_files
    from scrutiny.selection import selected

    settings = settings or Settings()
    start = time.perf_counter()
    if files is None:
        from scrutiny.discovery import discover

        files = list(discover(paths, settings.exclude, settings.respect_gitignore))
    results = review_files(files, settings, progress)
    codes = [rule.code for rule in selected(settings)]
    return assemble(results, settings, codes, time.perf_counter() - start)


def review_text(text: str | bytes, path: str = "<stdin>", settings: Settings | None = None) -> Review:
    """Review one file's text, as `scrutiny review - --stdin-filename PATH` does. Bytes are
    decoded as Python decodes a file (BOM, coding cookie), text is taken as it is."""
    from scrutiny.pipeline import review_file
    from scrutiny.selection import selected

    settings = settings or Settings()
    start = time.perf_counter()
    data = text.encode("utf-8") if isinstance(text, str) else text
    result = review_file(path, settings, data=data)
    codes = [rule.code for rule in selected(settings)]
    return assemble([result], settings, codes, time.perf_counter() - start)


__all__ = [
    "CLEAN_VERDICT",
    "Confidence",
    "EvidenceStep",
    "FileError",
    "Finding",
    "Location",
    "Notice",
    "Review",
    "Settings",
    "Severity",
    "__version__",
    "review_paths",
    "review_text",
]
