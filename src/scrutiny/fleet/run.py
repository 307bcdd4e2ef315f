"""A fleet run: manifest -> tasks -> executor -> reports written as they come -> summary."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from scrutiny.config import resolve_jobs
from scrutiny.fleet import state
from scrutiny.fleet.executors import run_dask, run_local
from scrutiny.fleet.manifest import Repository
from scrutiny.fleet.summary import Row, summary_json
from scrutiny.fleet.worker import Outcome, Task


@dataclass(frozen=True, slots=True)
class FleetOptions:
    output_dir: str = "fleet-results"
    work_dir: str = ".scrutiny_fleet"  # git checkouts and the review cache
    executor: str = "local"
    scheduler: str | None = None  # with the dask executor: tcp://HOST:PORT
    jobs: int = 0  # local executor: repositories at once; 0: all cores
    restart: bool = False  # review every repository again, even those complete from before
    isolated: bool = False  # ignore each repository's [tool.scrutiny]
    cache: bool = True


def run_fleet(
    repos: Sequence[Repository], options: FleetOptions, report: Callable[[Row], None] | None = None
) -> list[Row]:
    """Review every repository; `report` hears of each as it finishes. Rows in manifest order."""
    output_dir = os.path.abspath(options.output_dir)
    work_dir = os.path.abspath(options.work_dir)  # as the workers will see it
    os.makedirs(output_dir, exist_ok=True)
    os.makedirs(work_dir, exist_ok=True)
    earlier = {} if options.restart else _earlier(output_dir, repos)
    tasks = _tasks(repos, options, work_dir, earlier)
    rows: dict[str, Row] = {}
    for outcome in _execute(tasks, options):
        row = _record(output_dir, outcome, earlier.get(outcome.row.name))
        rows[row.name] = row
        if report is not None:
            report(row)
    ordered = [rows[repo.name] for repo in repos]
    state.write_atomic(os.path.join(output_dir, state.SUMMARY), summary_json(ordered))
    return ordered


def _earlier(output_dir: str, repos: Sequence[Repository]) -> dict[str, tuple[str, Row]]:
    found = {repo.name: state.load_complete(output_dir, repo.name) for repo in repos}
    return {name: done for name, done in found.items() if done is not None}


def _tasks(
    repos: Sequence[Repository], options: FleetOptions, work_dir: str, earlier: dict[str, tuple[str, Row]]
) -> list[Task]:
    if options.executor == "dask":
        per_repo = 1  # a Dask worker is one slot of a cluster: parallelism comes from the repositories
    else:  # the cores left to each repository by the repositories reviewed beside it
        per_repo = max(1, resolve_jobs(0) // _local_jobs(options, len(repos)))
    previous = {name: stamp for name, (stamp, _row) in earlier.items()}
    return [
        Task(repo, work_dir, per_repo, options.isolated, options.cache, previous.get(repo.name))
        for repo in repos
    ]


def _local_jobs(options: FleetOptions, repositories: int) -> int:
    return max(1, min(resolve_jobs(options.jobs), repositories))


def _execute(tasks: Sequence[Task], options: FleetOptions) -> Iterator[Outcome]:
    if options.executor == "dask":
        if not options.scheduler:
            raise ValueError("the dask executor needs --scheduler tcp://HOST:PORT")
        return run_dask(tasks, options.scheduler)
    return run_local(tasks, _local_jobs(options, len(tasks)))


def _record(output_dir: str, outcome: Outcome, earlier: tuple[str, Row] | None) -> Row:
    """Write what the outcome brings; the row the summary shows."""
    row = outcome.row
    if row.status == "failed":
        state.forget(output_dir, row.name)
        return row
    if row.status == "unchanged" and earlier is not None:
        return replace(earlier[1], status="unchanged", source=row.source, ref=row.ref, commit=row.commit)
    assert outcome.stamp is not None and outcome.json_report is not None
    assert outcome.sarif_report is not None
    state.save(output_dir, row, outcome.stamp, outcome.json_report, outcome.sarif_report)
    return row
