"""The command line for change reviews and baselines, kept apart from `cli.py`.

`review` gets `--diff`, `--staged`, `--patch` and `--baseline` through `change_options`, and
`take_scope` turns them into a `ChangeScope`; `baseline write` records accepted findings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from scrutiny.change import ChangeScope

F = TypeVar("F", bound=Callable[..., Any])

_CHANGE_FLAGS = ("--diff", "--staged", "--patch")


def change_options(command: F) -> F:
    """The change and baseline options of `scrutiny review`."""
    options = [
        click.option(
            "--diff", "diff", metavar="BASE",
            help="Review the change since BASE (merge-base with the working tree), or a range A..B / A...B.",
        ),
        click.option("--staged", is_flag=True, help="Review the change staged in git's index."),
        click.option(
            "--patch", type=click.Path(exists=True, dir_okay=False),
            help="Review the change a unified diff (applied to the checkout) makes.",
        ),
        click.option(
            "--baseline", type=click.Path(exists=True, dir_okay=False),
            help="Leave out the findings recorded by `scrutiny baseline write`.",
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def take_scope(paths: tuple[str, ...], options: dict[str, Any]) -> tuple[tuple[str, ...], ChangeScope | None]:
    """Pop the change options from `options`; the paths to review and the scope, if any."""
    from scrutiny import baseline as baselines
    from scrutiny import diff
    from scrutiny.change import ChangeScope

    spec, staged, patch, baseline_file = (options.pop(k) for k in ("diff", "staged", "patch", "baseline"))
    chosen = [flag for flag, value in zip(_CHANGE_FLAGS, (spec, staged, patch), strict=True) if value]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} cannot be combined")
    if not paths and not chosen:
        raise click.UsageError("Missing argument 'PATHS...' (or give --diff, --staged or --patch).")
    if "-" in paths and (chosen or baseline_file):
        raise click.UsageError("`-` (standard input) cannot be reviewed as a change or with a baseline")
    if not chosen and not baseline_file:
        return paths, None
    start = paths[0] if paths else "."
    try:
        change = None
        if patch:
            change = diff.from_patch(patch, start)
        elif chosen:
            change = diff.from_git(start, spec, staged)
        loaded = baselines.load(baseline_file) if baseline_file else None
    except (diff.ChangeError, baselines.BaselineError) as exc:
        raise click.UsageError(str(exc)) from exc
    scope = ChangeScope(change, loaded)
    return scope.paths(paths), scope


@click.group("baseline")
def baseline_group() -> None:
    """Record accepted findings, so later reviews show only new ones."""


@baseline_group.command("write")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.argument("paths", nargs=-1)
@click.option("--select", multiple=True, help="Rule codes, code prefixes or names to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or names not to run.")
@click.option("--preview/--no-preview", default=None, help="Also run rules still in preview.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="pyproject.toml to read.")
@click.option("--isolated", is_flag=True, help="Ignore pyproject.toml settings.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), help="Worker processes (default: all cores).")
def baseline_write(
    file: str,
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    preview: bool | None,
    config: str | None,
    isolated: bool,
    jobs: int | None,
) -> None:
    """Review PATHS (default: .) and record every finding in FILE as accepted."""
    from scrutiny import baseline as baselines
    from scrutiny import review_paths
    from scrutiny.cli import _settings
    from scrutiny.config import ConfigError
    from scrutiny.selection import check_selectors

    paths = paths or (".",)
    try:
        settings = _settings(paths, config, isolated, select=select, ignore=ignore, exclude=(),
                             min_severity=None, min_confidence=None, preview=preview, jobs=jobs)  # fmt: skip
        check_selectors([*settings.select, *settings.ignore])
    except (ConfigError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    review = review_paths(paths, settings)
    rows = baselines.write(file, review)
    total = sum(e.count for e in rows)
    click.echo(f"Wrote {len(rows)} baseline entries ({total} findings) to {file}.")
