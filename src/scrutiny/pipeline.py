"""Review files: one file in one process (`review_file`), many in parallel (`review_files`).

Workers receive paths and settings, and send back plain `FileResult`s; a worker that dies
takes only its own file with it, which is reported as an error.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache, partial

from scrutiny import cutoff, suppress
from scrutiny.cache import Cache
from scrutiny.config import Settings, resolve_jobs, resolve_observations
from scrutiny.dataflow import dataflow_findings, twins_of
from scrutiny.discovery import is_test_path
from scrutiny.engine.context import Context
from scrutiny.engine.model import load_models
from scrutiny.engine.source import Source, load
from scrutiny.engine.taint.ir import FileSummary
from scrutiny.engine.taint.local import FileAnalysis
from scrutiny.engine.taint.modules import module_name
from scrutiny.engine.walker import RawFinding, Walker
from scrutiny.findings import FileError, FileResult
from scrutiny.rootwrap import review as rootwrap
from scrutiny.rootwrap.crosscheck import cross_check
from scrutiny.rootwrap.ini import Entry as FilterEntry
from scrutiny.rules import ALL_RULES, Rule
from scrutiny.selection import for_file, selected

# Deep but legal code (long `elif` chains, nested calls) needs more than the default 1000
# frames in the recursive walk; past this, the file is reported as too deep to review.
_RECURSION_LIMIT = 6000


@cache
def _twins(extra: tuple[type[Rule], ...] = ()) -> dict[str, tuple[tuple[str, ...], bool]]:
    return {rule.code: (rule.bandit, rule.dataflow) for rule in (*ALL_RULES, *extra)}


@cache
def _names(extra: tuple[type[Rule], ...] = ()) -> dict[str, str]:
    return {rule.name: rule.code for rule in (*ALL_RULES, *extra)}


@cache
def _instances(classes: tuple[type[Rule], ...]) -> tuple[Rule, ...]:
    return tuple(cls() for cls in classes)


@dataclass(slots=True)
class FileWork:
    """A worker's output: the result so far, plus what the parent needs to finish it."""

    result: FileResult
    raw: list[RawFinding] = field(default_factory=list)
    suppressions: list[suppress.Suppression] = field(default_factory=list)
    active: frozenset[str] = frozenset()
    taint: FileSummary | None = None
    extra_rules: tuple[type[Rule], ...] = ()  # rules passed directly, not in the catalogue
    filters: tuple[FilterEntry, ...] = ()  # a rootwrap filter file's entries, for SCR122


def analyze(
    source: Source, settings: Settings, rules: Sequence[type[Rule]] | None, project: frozenset[str]
) -> FileWork:
    """One walk: pattern rules, and the file's taint summary when dataflow rules are in force."""
    is_test = is_test_path(source.path)
    work = FileWork(FileResult(source.path, lines=len(source.lines), reviewed=True, is_test=is_test))
    chosen = for_file(selected(settings) if rules is None else rules, is_test, settings)
    ctx = Context(source, load_models(settings.models), is_test=is_test)
    observer = None
    if any(rule.dataflow for rule in chosen):
        module, is_package = module_name(source.path)
        observer = FileAnalysis(ctx, module, project | {module.split(".", 1)[0]}, is_package)
    walker = Walker(_instances(tuple(r for r in chosen if not r.dataflow)), ctx, settings.strict, observer)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        walker.run()
    except RecursionError:
        if settings.strict:
            raise
        work.result.errors.append(FileError(source.path, "too-deep", "code nests too deeply to review"))
        work.result.reviewed = False
        return work
    finally:
        sys.setrecursionlimit(limit)
    work.raw = walker.findings
    work.suppressions = suppress.parse(source.text, source.lowered())
    work.active = frozenset(rule.code for rule in chosen)
    work.extra_rules = tuple(r for r in chosen if r not in ALL_RULES)
    work.taint = observer.summary if observer is not None else None
    work.result.errors.extend(walker.errors)
    if settings.observations != "never":  # the narrative: small runs only (config.resolve_observations)
        from scrutiny.observations import observe

        work.result.observations = observe(source, ctx.models)
    return work


def finish(work: FileWork, dataflow: Sequence[RawFinding] = ()) -> FileResult:
    """Add the file's dataflow findings, drop their pattern twins, apply suppressions."""
    raw = list(work.raw)
    if dataflow:
        superseded = {(d.finding.line, twin) for d in dataflow for twin in twins_of(d.finding.code)}
        raw = [r for r in raw if (r.finding.line, r.finding.code) not in superseded]
        raw += dataflow
    extra = work.extra_rules
    findings, notices = suppress.apply(
        work.result.path, raw, work.suppressions, _twins(extra), work.active, _names(extra)
    )
    # A new result: the work stays as analysed, so the cache stores it before any solve.
    return replace(work.result, findings=findings, notices=notices)


def review_source(
    source: Source, settings: Settings, rules: Sequence[type[Rule]] | None = None
) -> FileResult:
    """Review one parsed file on its own (dataflow within the file only)."""
    work = cross_check([analyze(source, settings, rules, frozenset())], settings.models)[0]
    found = dataflow_findings([work], settings)
    return finish(work, found.get(source.path, ()))


def needs_tree(path: str, settings: Settings) -> bool:
    """Whether any rule in force for the file reads its syntax tree. Test code's quiet profile
    runs only text rules (SCR804), so test files are read but not parsed: parsing is most of
    a review's cost, and a test file that does not parse is no security defect."""
    chosen = for_file(selected(settings), is_test_path(path), settings)
    return settings.observations != "never" or not all(rule.text_only for rule in chosen)


def review_file(path: str, settings: Settings, data: bytes | None = None) -> FileResult:
    if rootwrap.is_filters(path):  # oslo.rootwrap INI, not Python
        return finish(rootwrap.analyze_file(path, settings, data))
    loaded = load(path, settings.max_file_bytes, data, needs_tree(path, settings))
    if isinstance(loaded, FileError):
        return FileResult(path, errors=[loaded], is_test=is_test_path(path))
    return review_source(loaded, settings)


def _analyze_file(path: str, settings: Settings, project: frozenset[str]) -> FileWork:
    if rootwrap.is_filters(path):  # oslo.rootwrap INI, not Python
        return rootwrap.analyze_file(path, settings)
    loaded = load(path, settings.max_file_bytes, parse_tree=needs_tree(path, settings))
    if isinstance(loaded, FileError):
        return FileWork(FileResult(path, errors=[loaded], is_test=is_test_path(path)))
    return analyze(loaded, settings, None, project)


def _worker(args: tuple[str, Settings, frozenset[str]]) -> FileWork:
    path, settings, project = args
    try:
        return _analyze_file(path, settings, project)
    except Exception as exc:  # the last line of defence: one file, never the run
        if settings.strict:
            raise
        error = FileError(path, "internal", f"internal error: {type(exc).__name__}: {exc}")
        return FileWork(FileResult(path, errors=[error]))


def project_packages(paths: Sequence[str]) -> frozenset[str]:
    """Top-level package names of the reviewed files: calls into these are followed."""
    tops: set[str] = set()
    by_directory: dict[str, str] = {}  # a package's top depends only on where the file sits
    for path in paths:
        directory = os.path.dirname(path)
        top = by_directory.get(directory)
        if top is None:
            name, is_package = module_name(path)
            top = name.split(".", 1)[0]
            if "." in name or is_package:  # inside a package: every file here shares the top
                by_directory[directory] = top
        tops.add(top)
    return frozenset(tops)


def review_files(
    paths: Sequence[str],
    settings: Settings,
    progress: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Review `paths` with `settings.jobs` processes; results come back in input order."""
    selected(settings)  # fail fast on bad selectors, in the parent, before forking
    settings = resolve_observations(settings, len(paths))  # `auto` decided before cache keys
    load_models(settings.models)
    project = project_packages(paths)
    store = Cache.open(settings, project)
    with _fewer_collections():  # unpickling cached summaries makes millions of objects too
        if store is None:
            return _review(paths, settings, progress, project, {})
        try:
            return _cached_review(store, paths, settings, progress, project)
        finally:
            store.close()


def _cached_review(
    store: Cache,
    paths: Sequence[str],
    settings: Settings,
    progress: Callable[[FileResult], None] | None,
    project: frozenset[str],
) -> list[FileResult]:
    """Reuse the finished run when no file changed; the last run's results but the edited
    files' when their taint summaries did not change (cutoff.py); else reuse each unchanged
    file's analysis and solve the dataflow again (cross-file findings follow an edited callee)."""
    keys = store.file_keys(paths, settings.max_file_bytes)
    run_id = store.run_id(paths, keys)
    if run_id is not None:
        results = store.get_run(run_id)
        if isinstance(results, list) and len(results) == len(paths):
            for result in results:
                _report_result(result, progress)
            return results
    quick, fresh = cutoff.reuse(
        store, paths, keys, run_id, settings, lambda p: _worker((p, settings, project)), finish
    )
    _store_fresh(store, keys, fresh)
    if quick is not None:  # no edited file's summary changed: the last run's results stand
        for result in quick:
            _report_result(result, progress)
        if run_id is not None:
            store.put_run(run_id, quick)
        return quick
    cached = store.get_files({keys[p] for p in paths if p in keys} - {keys[p] for p, _ in fresh})
    known = {path: cached[key] for path, key in keys.items() if key in cached}
    known.update(fresh)
    more: list[tuple[str, FileWork]] = []
    # With every file keyed, the solve is recorded for the next edit's reuse.
    solve = partial(cutoff.solve, store, keys, run_id) if run_id is not None else dataflow_findings
    results = _review(paths, settings, progress, project, known, more, solve)
    _store_fresh(store, keys, more)
    if run_id is not None:
        store.put_run(run_id, results)
    return results


def _store_fresh(store: Cache, keys: dict[str, str], fresh: list[tuple[str, FileWork]]) -> None:
    # Files whose review failed to read or parse are cheap to redo and may be fixed by then.
    store.put_files((keys[p], w) for p, w in fresh if p in keys and w.result.reviewed)


def _review(
    paths: Sequence[str],
    settings: Settings,
    progress: Callable[[FileResult], None] | None,
    project: frozenset[str],
    known: dict[str, FileWork],
    fresh: list[tuple[str, FileWork]] | None = None,
    solve: Callable[[Sequence[FileWork], Settings], dict[str, list[RawFinding]]] = dataflow_findings,
) -> list[FileResult]:
    todo = [(p, settings, project) for p in paths if p not in known]
    jobs = min(resolve_jobs(settings.jobs), max(1, len(todo)))
    if jobs == 1 or len(todo) < 4:
        done = [_report(_worker(w), progress) for w in todo]
    else:
        done = _parallel(todo, jobs, progress)
    if fresh is not None:
        fresh.extend((w.result.path, w) for w in done)
    by_path = {w.result.path: w for w in done}
    for work in known.values():
        _report_result(work.result, progress)
    works = [known[p] if p in known else by_path[p] for p in paths]
    # SCR122 needs every filter file: calls some filter allows are dropped (copies: the
    # cache keeps the works as analysed).
    works = cross_check(works, settings.models)
    found = solve(works, settings)
    return [finish(w, found.get(w.result.path, ())) for w in works]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """`ast.parse` allocates millions of objects, which triggers the cycle collector over and
    over although syntax trees hold no cycles; a large first generation cuts its cost (a third
    of the dataflow stage on neutron, measured) without letting memory grow. Forked workers
    inherit the setting."""
    before = gc.get_threshold()
    gc.set_threshold(200_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _report(work: FileWork, progress: Callable[[FileResult], None] | None) -> FileWork:
    _report_result(work.result, progress)
    return work


def _report_result(result: FileResult, progress: Callable[[FileResult], None] | None) -> None:
    if progress is not None:
        progress(result)


def _parallel(
    work: Sequence[tuple[str, Settings, frozenset[str]]],
    jobs: int,
    progress: Callable[[FileResult], None] | None,
) -> list[FileWork]:
    # Largest files first, in small chunks: the workers finish together instead of one of them
    # ending on a large file while the other waits (results are put back in order by path).
    work = sorted(work, key=lambda item: -_size(item[0]))
    chunk = max(1, min(8, len(work) // (jobs * 16) or 1))
    works: list[FileWork] = []
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
            works.extend(_report(w, progress) for w in pool.map(_worker, work, chunksize=chunk))
    except BrokenProcessPool:
        # A worker died (out of memory, killed): finish the rest in this process.
        done = {w.result.path for w in works}
        works.extend(_report(_worker(w), progress) for w in work if w[0] not in done)
    return works


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _context() -> multiprocessing.context.BaseContext:
    # fork is fastest and the parent holds nothing a child should not share; elsewhere spawn.
    method = (
        "fork"
        if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
        else "spawn"
    )
    return multiprocessing.get_context(method)
