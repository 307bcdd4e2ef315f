"""What the CLI commands do, apart from argument parsing: run, render, write, exit code."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from scrutiny import review_paths, review_text
from scrutiny.config import Settings
from scrutiny.discovery import discover
from scrutiny.engine.model import ModelError
from scrutiny.findings import FileResult
from scrutiny.reporters import REPORTERS, RenderOptions
from scrutiny.review import Review, exit_code

if TYPE_CHECKING:
    from scrutiny.change import ChangeScope
    from scrutiny.llm import LLMOptions

EXIT_ERROR = 2
_PROGRESS_AFTER = 0.4  # seconds: shorter runs never show a bar


def run_review(
    paths: Sequence[str],
    settings: Settings,
    fmt: str,
    output: str | None,
    stdin_filename: str | None,
    quiet: bool,
    timing: bool,
    *,
    scope: ChangeScope | None = None,
    llm: LLMOptions | None = None,
) -> int:
    try:
        review = (
            _review_stdin(settings, stdin_filename)
            if paths == ("-",)
            else _review_paths(paths, settings, quiet)
        )
        if scope is not None:  # a change review, a baseline: change.py
            review = scope.apply(review)
        if llm is not None:  # the optional LLM stage: llm/stage.py
            from scrutiny.llm import run_stage

            change = scope.change if scope is not None else None
            changed = None
            if change is not None:  # ask about the changed functions only
                changed = {
                    os.path.realpath(os.path.join(change.root, f.path)): f.touched
                    for f in change.python_files
                }
            review = run_stage(review, llm, settings, changed)
        options = RenderOptions(timing=timing, quiet=quiet, root=_common_root(paths))
        report = REPORTERS[fmt](review, options)
    except ModelError as exc:
        print(f"scrutiny: model error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception:  # an internal error must say so and exit 2, never look like "clean"
        if settings.strict:
            raise
        print("scrutiny: internal error; please report it with this trace:", file=sys.stderr)
        traceback.print_exc()
        return EXIT_ERROR
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:
        _write(report, fmt)
    return exit_code(review)


def _review_stdin(settings: Settings, stdin_filename: str | None) -> Review:
    return review_text(sys.stdin.buffer.read(), stdin_filename or "<stdin>", settings)


def _review_paths(paths: Sequence[str], settings: Settings, quiet: bool) -> Review:
    files = list(discover(paths, settings.exclude, settings.respect_gitignore))
    if settings.tests == "skip":
        from scrutiny.discovery import is_test_path

        files = [f for f in files if not is_test_path(f)]
    progress = None if quiet or not sys.stderr.isatty() else _Progress(len(files))
    try:
        return review_paths(paths, settings, progress, files=files)
    finally:
        if progress is not None:
            progress.close()


class _Progress:
    """A rich progress bar on stderr that appears only once a run takes longer than a moment."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.start = time.monotonic()
        self._bar: object | None = None
        self._update: Callable[[], None] | None = None

    def __call__(self, result: FileResult) -> None:
        self.done += 1
        if self._update is None and time.monotonic() - self.start > _PROGRESS_AFTER:
            self._open()
        if self._update is not None:
            self._update()

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # auto_refresh off: no background thread, so worker processes never fork one.
        bar = Progress(
            TextColumn("reviewing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True, auto_refresh=False,
        )  # fmt: skip
        task = bar.add_task("review", total=self.total)
        bar.start()

        last = [0.0]

        def update() -> None:  # at most ten redraws a second: a terminal is slower than a review
            now = time.monotonic()
            if now - last[0] >= 0.1 or self.done == self.total:
                last[0] = now
                bar.update(task, completed=self.done)
                bar.refresh()

        self._bar, self._update = bar, update

    def close(self) -> None:
        from rich.progress import Progress

        if isinstance(self._bar, Progress):
            self._bar.stop()


def _common_root(paths: Sequence[str]) -> str | None:
    real = [p for p in paths if p != "-"]
    if not real:
        return None
    try:
        root = os.path.commonpath([os.path.abspath(p) for p in real])
    except ValueError:
        return None
    return root if os.path.isdir(root) else os.path.dirname(root)


def _write(report: str, fmt: str) -> None:
    if fmt == "text" and sys.stdout.isatty():
        from rich.console import Console
        from rich.text import Text

        text = Text(report)
        text.highlight_regex(r"\b(critical|high) severity", "bold red")
        text.highlight_regex(r"\bmedium severity", "yellow")
        text.highlight_regex(r"No security defects are detected in the (code|file|change)\.", "bold green")
        Console(highlight=False, soft_wrap=True).print(text, end="")
        return
    sys.stdout.write(report)
    sys.stdout.flush()


def list_rules(fmt: str) -> str:
    from scrutiny import cwe
    from scrutiny.rules import ALL_RULES

    if fmt == "json":
        rows = [
            {"code": r.code, "name": r.name, "cwe": f"CWE-{r.cwe}", "cwe_name": cwe.name(r.cwe),
             "severity": r.severity.value, "confidence": r.confidence.value, "preview": r.preview,
             "bandit": list(r.bandit), "summary": r.summary()}
            for r in ALL_RULES
        ]  # fmt: skip
        return json.dumps(rows, indent=2) + "\n"
    lines = [f"{'code':<7} {'name':<34} {'cwe':<9} {'severity':<9} {'confidence':<10} bandit"]
    for r in ALL_RULES:
        flag = " (preview)" if r.preview else ""
        lines.append(
            f"{r.code:<7} {r.name:<34} {'CWE-' + str(r.cwe):<9} {r.severity.value:<9} "
            f"{r.confidence.value:<10} {','.join(r.bandit)}{flag}"
        )
    return "\n".join(lines) + "\n"
