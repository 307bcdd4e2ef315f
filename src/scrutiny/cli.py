"""Command line: arguments -> Settings -> review -> reporter -> exit code.

Exit codes (public API): 0 nothing at or above the thresholds; 1 findings, or files that could
not be reviewed; 2 usage error, internal error, or nothing could be reviewed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from scrutiny import __version__
from scrutiny.cli_change import baseline_group, change_options, take_scope
from scrutiny.config import TEST_PROFILES, ConfigError, Settings, find_pyproject, load
from scrutiny.findings import Confidence, Severity
from scrutiny.fleet.cli import fleet_command
from scrutiny.llm.options import llm_options, pop_options

FORMATS = ("text", "json", "sarif", "markdown", "gerrit", "github")
EXIT_USAGE = 2


def _codes(values: Sequence[str]) -> tuple[str, ...] | None:
    """`--select A,B --select C` -> ("A", "B", "C"); None when not given."""
    if not values:
        return None
    return tuple(c.strip() for v in values for c in v.split(",") if c.strip())


def _settings(paths: Sequence[str], config: str | None, isolated: bool, **cli: Any) -> Settings:
    base = Settings()
    if not isolated:
        found = Path(config) if config else find_pyproject(paths[0] if paths and paths[0] != "-" else ".")
        if found is not None:
            base = load(found)
    severity = cli.pop("min_severity")
    confidence = cli.pop("min_confidence")
    return base.merged(
        select=_codes(cli.pop("select")),
        ignore=_codes(cli.pop("ignore")),
        exclude=tuple(cli.pop("exclude")) + base.exclude if cli.get("exclude") else None,
        min_severity=Severity.parse(severity) if severity else None,
        min_confidence=Confidence.parse(confidence) if confidence else None,
        **{k: v for k, v in cli.items() if k != "exclude"},
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scrutiny")
def main() -> None:
    """scrutiny: a security code reviewer for Python."""


@main.command()
@click.argument("paths", nargs=-1)
@change_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE."
)
@click.option("--select", multiple=True, help="Rule codes, code prefixes or names to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or names not to run.")
@click.option("--preview/--no-preview", default=None, help="Also run rules still in preview.")
@click.option(
    "--min-severity", type=click.Choice([s.value for s in Severity]), help="Report only at or above."
)
@click.option(
    "--min-confidence", type=click.Choice([c.value for c in Confidence]), help="Report only at or above."
)
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option(
    "--no-gitignore", "respect_gitignore", flag_value=False, default=None, help="Review ignored files too."
)
@click.option("-j", "--jobs", type=click.IntRange(min=0), help="Worker processes (default: all cores).")
@click.option(
    "--tests", type=click.Choice(TEST_PROFILES), help="Test code: quiet profile, full rules, or skip."
)
@click.option(
    "--max-file-bytes", type=click.IntRange(min=1), help="Files larger than this are reported, not read."
)
@click.option("--no-cache", "cache", flag_value=False, default=None, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False), help="Cache directory (default: .scrutiny_cache)."
)
@click.option(
    "--observations/--no-observations",
    default=None,
    callback=lambda _ctx, _param, on: None if on is None else ("always" if on else "never"),
    help="Print the review narrative per file (default: when at most 20 files are reviewed).",
)
@click.option("--stdin-filename", help="With PATH `-`: the name of the file read from standard input.")
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False), help="pyproject.toml to read settings from."
)
@click.option("--isolated", is_flag=True, help="Ignore pyproject.toml settings.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; report findings and the verdict only.")
@click.option("--timing", is_flag=True, help="Include elapsed time in the report (not reproducible).")
@click.option("--strict", is_flag=True, default=None, hidden=True, help="Re-raise rule errors (for tests).")
@llm_options  # --llm-*: the optional LLM stage (llm/options.py)
def review(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    stdin_filename: str | None,
    config: str | None,
    isolated: bool,
    quiet: bool,
    timing: bool,
    **options: Any,
) -> None:
    """Review Python files and directories for security defects."""
    from scrutiny.run import run_review

    paths, scope = take_scope(paths, options)  # --diff/--staged/--patch/--baseline: cli_change.py
    llm = pop_options(options)  # None unless --llm-url is given
    if llm is not None and "-" in paths:
        raise click.UsageError("the LLM stage reviews files on disk, not standard input")
    from scrutiny.selection import check_selectors  # loads the catalogue: not for --help

    try:
        settings = _settings(paths, config, isolated, **options)
        check_selectors([*settings.select, *settings.ignore])
    except (ConfigError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    if "-" in paths and len(paths) > 1:
        raise click.UsageError("`-` (standard input) cannot be combined with other paths")
    code = run_review(paths, settings, fmt, output, stdin_filename, quiet, timing, scope=scope, llm=llm)
    sys.exit(code)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List the rule catalogue."""
    from scrutiny.run import list_rules

    click.echo(list_rules(fmt), nl=False)


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Print a rule's documentation (by code or name)."""
    from scrutiny.rules import ALL_RULES
    from scrutiny.rules.docs import render

    for rule in ALL_RULES:
        if code.upper() == rule.code or code.lower() == rule.name:
            click.echo(render(rule), nl=False)
            return
    raise click.UsageError(f"no rule `{code}` (see `scrutiny rules`)")


main.add_command(baseline_group)
main.add_command(fleet_command)  # many repositories: fleet/
