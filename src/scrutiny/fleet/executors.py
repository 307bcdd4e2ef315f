"""Where repositories are reviewed: a local process pool, or an existing Dask cluster.

Both yield each repository's `Outcome` as soon as it is done, so the caller writes results as
they come and an interrupted run keeps everything finished before the interruption. A worker
that dies, or an error outside the review itself, becomes that repository's `failed` row.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed

from scrutiny.fleet.summary import Row
from scrutiny.fleet.worker import Outcome, Task, review_repository

CONNECT_TIMEOUT = 30  # seconds to reach a Dask scheduler before giving up


class ExecutorError(RuntimeError):
    """The executor cannot start (dask not installed, scheduler unreachable); exit 2."""


def failed(task: Task, exc: BaseException) -> Outcome:
    repo = task.repo
    error = f"worker error: {type(exc).__name__}: {exc}"
    return Outcome(Row(repo.name, repo.source, repo.ref, status="failed", error=error))


def run_local(tasks: Sequence[Task], jobs: int) -> Iterator[Outcome]:
    """`jobs` repositories at a time, each in its own process (forked on Linux: the parent
    has loaded scrutiny already, and no thread runs in it)."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield review_repository(task)
        return
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_quiet_interrupt) as pool:
        futures: dict[Future[Outcome], Task] = {pool.submit(review_repository, t): t for t in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # BrokenProcessPool: a worker died (out of memory, killed)
                yield failed(futures[future], exc)


def _quiet_interrupt() -> None:
    """Ctrl-C reaches every process of the group: workers end at once and silently (no trace
    per worker); the parent stops, and what was finished is already written."""
    signal.signal(signal.SIGINT, lambda _signum, _frame: os._exit(130))


def run_dask(tasks: Sequence[Task], scheduler: str) -> Iterator[Outcome]:
    """Each repository is one task on the cluster. Workers need scrutiny (and git, for URLs)
    installed; they return the reports as text, so they need no shared output directory."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise ExecutorError(
            "`--executor dask` needs Dask: pip install 'scrutiny[dask]' (dask[distributed])"
        ) from exc
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at `{scheduler}`: {exc}") from exc
    run = uuid.uuid4().hex[:8]  # keys unique per run: the cluster may be shared with others
    with client:
        futures = {
            client.submit(
                review_repository, task, key=f"scrutiny-fleet-{run}-{task.repo.name}", pure=False
            ): task
            for task in tasks
        }
        for future in dask_completed(list(futures), loop=client.loop):
            try:
                outcome: Outcome = future.result()
            except Exception as exc:  # KilledWorker, a worker without scrutiny installed, ...
                outcome = failed(futures[future], exc)
            future.release()
            yield outcome
