"""One repository's review, as an executor runs it: in a local worker process or on a Dask
worker. It takes plain data and returns plain data (the reports as text), so it pickles, and the
machine that runs the fleet writes every file: workers need no access to the output directory.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from scrutiny import review_paths
from scrutiny.config import ConfigError, Settings, find_pyproject, load
from scrutiny.discovery import discover, is_test_path
from scrutiny.fleet.checkout import CheckoutError, prepare
from scrutiny.fleet.manifest import Repository
from scrutiny.fleet.relative import relative
from scrutiny.fleet.summary import Row
from scrutiny.reporters import REPORTERS, RenderOptions
from scrutiny.review import exit_code


@dataclass(frozen=True, slots=True)
class Task:
    repo: Repository
    work_dir: str  # absolute: git checkouts and the shared cache live here
    jobs: int = 1  # worker processes for this repository's own review
    isolated: bool = False  # ignore the repository's [tool.scrutiny]
    cache: bool = True
    previous: str | None = None  # the stamp of complete results from an earlier run


@dataclass(frozen=True, slots=True)
class Outcome:
    row: Row
    stamp: str | None = None  # what the results depend on; equal stamps, equal results
    json_report: str | None = None
    sarif_report: str | None = None


def review_repository(task: Task) -> Outcome:
    """Never raises: a repository that cannot be reviewed is a `failed` row with the reason."""
    repo = task.repo
    row = Row(repo.name, repo.source, repo.ref)
    try:
        return _review(task, row)
    except (CheckoutError, ConfigError) as exc:
        return Outcome(replace(row, status="failed", error=str(exc)))
    except Exception as exc:  # an internal error stops this repository only
        last = traceback.format_exception(exc)[-1].strip()  # `RuntimeError: what went wrong`
        return Outcome(replace(row, status="failed", error=f"internal error: {last}"))


def _review(task: Task, row: Row) -> Outcome:
    root, row.commit = prepare(task.repo, task.work_dir)
    settings = repository_settings(root, task)
    files = _files(root, settings)
    stamp = _stamp(settings, root, files, row.commit if task.repo.url else None)
    if stamp == task.previous:
        return Outcome(replace(row, status="unchanged"), stamp)
    review = relative(review_paths([root], settings, files=files), root)
    row.exit_code = exit_code(review)
    row.files, row.file_errors = review.stats.files, review.stats.errors
    row.severities = {sev.value: n for sev, n in review.by_severity().items()}
    row.rules = dict(sorted(Counter(f.code for f in review.active).items()))
    json_report = REPORTERS["json"](review, RenderOptions())
    sarif_report = REPORTERS["sarif"](review, RenderOptions())
    return Outcome(row, stamp, json_report, sarif_report)


def repository_settings(root: str, task: Task) -> Settings:
    """The repository's own `[tool.scrutiny]` (at its top level only: a fleet never applies a
    parent directory's settings to a repository), with the fleet's jobs and cache."""
    from scrutiny.selection import check_selectors

    settings = Settings()
    found = None if task.isolated else find_pyproject(root)
    if found is not None and found.parent == Path(root).resolve():
        settings = load(found)
    try:
        check_selectors([*settings.select, *settings.ignore])
    except ValueError as exc:
        raise ConfigError(f"{found}: {exc}") from exc
    # The cache is the fleet's, never a directory a reviewed repository's settings name.
    cache_dir = os.path.join(task.work_dir, "cache")
    return settings.merged(jobs=task.jobs, cache=task.cache and settings.cache, cache_dir=cache_dir)


def _files(root: str, settings: Settings) -> list[str]:
    files = list(discover([root], settings.exclude, settings.respect_gitignore))
    if settings.tests == "skip":
        files = [f for f in files if not is_test_path(os.path.relpath(f, root))]
    return files


def _stamp(settings: Settings, root: str, files: list[str], commit: str | None) -> str:
    """scrutiny's code and settings, and the commit (a fetched checkout) or every file's size
    and modification time (a directory, which may hold uncommitted edits)."""
    from scrutiny.cache import run_key

    digest = hashlib.sha256(run_key(settings, []).encode())
    if commit is not None:
        digest.update(f"commit:{commit}".encode())
        return digest.hexdigest()
    for path in files:
        try:
            stat = os.stat(path)
        except OSError:
            digest.update(f"{path}:missing\n".encode())
            continue
        digest.update(f"{os.path.relpath(path, root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
