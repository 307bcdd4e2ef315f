"""Review files: one file in one process (`review_file`), many in parallel (`review_files`).

Workers receive paths and settings, and send back plain `FileResult`s; a worker that dies
takes only its own file with it, which is reported as an error.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache

from scrutiny import suppress
from scrutiny.config import Settings, resolve_jobs
from scrutiny.discovery import is_test_path
from scrutiny.engine.context import Context
from scrutiny.engine.model import load_models
from scrutiny.engine.source import Source, load
from scrutiny.engine.walker import Walker
from scrutiny.findings import FileError, FileResult
from scrutiny.rules import ALL_RULES, Rule
from scrutiny.selection import for_file, selected

# Deep but legal code (long `elif` chains, nested calls) needs more than the default 1000
# frames in the recursive walk; past this, the file is reported as too deep to review.
_RECURSION_LIMIT = 6000


@cache
def _twins() -> dict[str, tuple[tuple[str, ...], bool]]:
    return {rule.code: (rule.bandit, rule.dataflow) for rule in ALL_RULES}


@cache
def _instances(classes: tuple[type[Rule], ...]) -> tuple[Rule, ...]:
    return tuple(cls() for cls in classes)


def review_source(
    source: Source, settings: Settings, rules: Sequence[type[Rule]] | None = None
) -> FileResult:
    """Review parsed source with the given rules (default: those `settings` select)."""
    is_test = is_test_path(source.path)
    result = FileResult(source.path, lines=len(source.lines), reviewed=True, is_test=is_test)
    chosen = for_file(selected(settings) if rules is None else rules, is_test, settings)
    ctx = Context(source, load_models(settings.models), is_test=is_test)
    walker = Walker(_instances(tuple(chosen)), ctx, strict=settings.strict)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        walker.run()
    except RecursionError:
        if settings.strict:
            raise
        result.errors.append(FileError(source.path, "too-deep", "code nests too deeply to review"))
        result.reviewed = False
        return result
    finally:
        sys.setrecursionlimit(limit)
    sups = suppress.parse(source.text)
    active = frozenset(rule.code for rule in chosen)
    result.findings, result.notices = suppress.apply(source.path, walker.findings, sups, _twins(), active)
    result.errors.extend(walker.errors)
    return result


def review_file(path: str, settings: Settings, data: bytes | None = None) -> FileResult:
    loaded = load(path, settings.max_file_bytes, data)
    if isinstance(loaded, FileError):
        return FileResult(path, errors=[loaded], is_test=is_test_path(path))
    return review_source(loaded, settings)


def _worker(args: tuple[str, Settings]) -> FileResult:
    path, settings = args
    try:
        return review_file(path, settings)
    except Exception as exc:  # the last line of defence: one file, never the run
        if settings.strict:
            raise
        return FileResult(
            path, errors=[FileError(path, "internal", f"internal error: {type(exc).__name__}: {exc}")]
        )


def review_files(
    paths: Sequence[str],
    settings: Settings,
    progress: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Review `paths` with `settings.jobs` processes; results come back in input order."""
    jobs = min(resolve_jobs(settings.jobs), max(1, len(paths)))
    selected(settings)  # fail fast on bad selectors, in the parent, before forking
    load_models(settings.models)
    if jobs == 1 or len(paths) < 4:
        results = []
        for path in paths:
            result = _worker((path, settings))
            results.append(result)
            if progress is not None:
                progress(result)
        return results
    return _parallel(paths, settings, jobs, progress)


def _parallel(
    paths: Sequence[str], settings: Settings, jobs: int, progress: Callable[[FileResult], None] | None
) -> list[FileResult]:
    # Small chunks keep the load even (file sizes vary a lot); big enough to amortize pickling.
    chunk = max(1, min(16, len(paths) // (jobs * 8) or 1))
    results: list[FileResult] = []
    work: Iterable[tuple[str, Settings]] = ((p, settings) for p in paths)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
            for result in pool.map(_worker, work, chunksize=chunk):
                results.append(result)
                if progress is not None:
                    progress(result)
    except BrokenProcessPool:
        # A worker died (out of memory, killed): finish the rest in this process.
        done = {r.path for r in results}
        for path in paths:
            if path not in done:
                result = _worker((path, settings))
                results.append(result)
                if progress is not None:
                    progress(result)
    return results


def _context() -> multiprocessing.context.BaseContext:
    # fork is fastest and the parent holds nothing a child should not share; elsewhere spawn.
    method = (
        "fork"
        if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
        else "spawn"
    )
    return multiprocessing.get_context(method)
