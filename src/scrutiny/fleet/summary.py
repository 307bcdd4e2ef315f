"""The fleet summary: one row per repository (findings by severity and by rule, or the error
that stopped it), printed as a table and written as `summary.json`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from scrutiny import __version__
from scrutiny.findings import Severity

SUMMARY_SCHEMA_VERSION = "1.0"
FAILED = 2  # a repository that could not be reviewed counts as `scrutiny review`'s internal error
SEVERITIES = tuple(s.value for s in sorted(Severity, reverse=True))  # critical first


@dataclass(slots=True)
class Row:
    name: str
    source: str  # the manifest's path or URL
    ref: str | None = None
    # reviewed: this run; unchanged: results kept from an earlier run; failed: see `error`
    status: str = "reviewed"
    commit: str | None = None  # the git commit reviewed, when the repository is a git work tree
    exit_code: int = FAILED  # as `scrutiny review` would exit on this repository
    files: int = 0  # files reviewed
    file_errors: int = 0  # files that could not be reviewed
    severities: dict[str, int] = field(default_factory=dict)  # unsuppressed findings
    rules: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    @property
    def findings(self) -> int:
        return sum(self.severities.values())

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "findings": self.findings}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def fleet_exit_code(rows: Sequence[Row]) -> int:
    """2 when a repository failed (or had nothing to review), else 1 for findings, else 0."""
    return max((row.exit_code for row in rows), default=0)


def summary_dict(rows: Sequence[Row]) -> dict[str, Any]:
    severities: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for row in rows:
        severities.update(row.severities)
        rules.update(row.rules)
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "tool": {"name": "scrutiny", "version": __version__},
        "exit_code": fleet_exit_code(rows),
        "totals": {
            "repositories": len(rows),
            "failed": sum(row.status == "failed" for row in rows),
            "findings": sum(severities.values()),
            "severities": {s: severities[s] for s in SEVERITIES if severities[s]},
            "rules": dict(sorted(rules.items())),
        },
        "repositories": [row.to_dict() for row in rows],
    }


def summary_json(rows: Sequence[Row]) -> str:
    return json.dumps(summary_dict(rows), indent=2) + "\n"


def summary_table(rows: Sequence[Row]) -> str:
    """A fixed-width table, one line per repository, then the totals and the failures."""
    width = max([len("repository"), *(len(r.name) for r in rows)])
    numbers = ("files", "errors", *SEVERITIES)  # errors: files that could not be reviewed
    lines = [f"{'repository':<{width}}  {'status':<9} " + " ".join(f"{n:>8}" for n in numbers) + "  rules"]
    for row in rows:
        if row.status == "failed":
            lines.append(f"{row.name:<{width}}  {'failed':<9} " + " ".join(f"{'-':>8}" for _ in numbers))
            continue
        values = (row.files, row.file_errors, *(row.severities.get(s, 0) for s in SEVERITIES))
        counts = " ".join(f"{v:>8}" for v in values)
        rules = " ".join(f"{code}:{n}" for code, n in sorted(row.rules.items()))
        lines.append(f"{row.name:<{width}}  {row.status:<9} {counts}  {rules}".rstrip())
    failed = [row for row in rows if row.status == "failed"]
    findings = sum(row.findings for row in rows)
    lines.append("")
    lines.append(
        f"{len(rows)} repositories: {len(rows) - len(failed)} reviewed{_unchanged(rows)}, "
        f"{len(failed)} failed; "
        f"{findings} finding{'' if findings == 1 else 's'}."
    )
    lines.extend(f"{row.name}: {row.error}" for row in failed)
    return "\n".join(lines) + "\n"


def _unchanged(rows: Sequence[Row]) -> str:
    count = sum(row.status == "unchanged" for row in rows)
    return f" ({count} unchanged since an earlier run)" if count else ""
