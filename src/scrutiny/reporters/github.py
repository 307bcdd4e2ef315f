"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding,
shown on the pull request's diff, then the verdict as a plain log line.

Paths are relative to the current directory (a workflow runs at the repository's top level).
Values are escaped as the runner's command parser requires (`%`, CR, LF; and `:` `,` in
properties), so text from the reviewed code cannot end a command or start another.
"""

from __future__ import annotations

import os

from scrutiny.findings import Finding, Severity
from scrutiny.reporters.common import RenderOptions
from scrutiny.review import Review

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    loc = f.location
    path = os.path.relpath(os.path.abspath(f.path)).replace(os.sep, "/")
    props = [f"file={path}", f"line={loc.line}", f"col={loc.column + 1}"]
    if loc.end_line >= loc.line:
        props.append(f"endLine={loc.end_line}")
        if loc.end_line == loc.line and loc.end_column > loc.column:
            props.append(f"endColumn={loc.end_column + 1}")
    props.append(f"title={f.code} {f.name} ({f.cwe_id}, {f.severity.value} severity)")
    message = f"{f.message}. Fix: {f.fix}"
    return f"::{_LEVEL[f.severity]} {','.join(escape_property(p) for p in props)}::{escape_data(message)}"


def render(review: Review, options: RenderOptions) -> str:
    lines = [annotation(f) for f in review.active]
    for e in review.errors:
        where = os.path.relpath(os.path.abspath(e.path)).replace(os.sep, "/")
        props = (
            [f"file={where}"] + ([f"line={e.line}"] if e.line else []) + ["title=scrutiny could not review"]
        )
        lines.append(f"::warning {','.join(escape_property(p) for p in props)}::{escape_data(e.message)}")
    lines.append(f"scrutiny: {escape_data(review.verdict)}")
    if review.preexisting:
        lines.append(
            f"scrutiny: {len(review.preexisting)} pre-existing finding(s) in touched functions, not counted."
        )
    return "\n".join(lines) + "\n"
