"""`scrutiny fleet MANIFEST`: arguments -> FleetOptions -> run_fleet -> table -> exit code.

Only click is imported here: the review machinery loads when the command runs, not for --help.
"""

from __future__ import annotations

import sys
from typing import Any

import click

EXECUTORS = ("local", "dask")


@click.command("fleet")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output-dir", default="fleet-results", show_default=True, type=click.Path(file_okay=False),
    help="Where NAME.json, NAME.sarif and summary.json are written.",
)  # fmt: skip
@click.option(
    "--work-dir", default=".scrutiny_fleet", show_default=True, type=click.Path(file_okay=False),
    help="Git checkouts and the review cache (with dask: a path the workers can write).",
)  # fmt: skip
@click.option("--executor", type=click.Choice(EXECUTORS), default="local", show_default=True)
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="The Dask scheduler (with --executor dask).")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=0), default=0,
    help="Local executor: repositories at once (0: all cores).",
)  # fmt: skip
@click.option("--restart", is_flag=True, help="Review every repository again, even those already complete.")
@click.option("--isolated", is_flag=True, help="Ignore the repositories' own [tool.scrutiny] settings.")
@click.option("--no-cache", "cache", flag_value=False, default=True, help="Neither read nor write the cache.")
@click.option("-q", "--quiet", is_flag=True, help="No line per repository on stderr while the run goes on.")
def fleet_command(manifest: str, quiet: bool, **options: Any) -> None:
    """Review the repositories a manifest lists: one JSON and one SARIF report each, and a summary.

    MANIFEST is TOML (`[[repository]]` tables with `name`, and `path` or `url` with an optional
    `ref`) when its name ends in `.toml`, else text: one path or git URL per line, `#` comments.
    Exit code: 2 if a repository failed, else 1 if any has findings, else 0.
    """
    from scrutiny.fleet.executors import ExecutorError
    from scrutiny.fleet.manifest import ManifestError, load_manifest
    from scrutiny.fleet.run import FleetOptions, run_fleet
    from scrutiny.fleet.summary import Row, fleet_exit_code, summary_table

    fleet = FleetOptions(**options)
    if fleet.executor == "dask" and not fleet.scheduler:
        raise click.UsageError(
            "--executor dask needs --scheduler tcp://HOST:PORT (start one: `dask scheduler`)"
        )
    if fleet.scheduler and fleet.executor != "dask":
        raise click.UsageError("--scheduler goes with --executor dask")
    try:
        repos = load_manifest(manifest)
    except ManifestError as exc:
        raise click.UsageError(str(exc)) from exc

    def progress(row: Row) -> None:
        if not quiet:
            detail = row.error if row.status == "failed" else f"{row.findings} findings, {row.files} files"
            click.echo(f"scrutiny fleet: {row.name}: {row.status}: {detail}", err=True)

    try:
        rows = run_fleet(repos, fleet, progress)
    except ExecutorError as exc:
        click.echo(f"scrutiny: {exc}", err=True)
        sys.exit(2)
    click.echo(summary_table(rows), nl=False)
    sys.exit(fleet_exit_code(rows))
