"""The JSON report: a documented, versioned schema (docs/json-schema.md, report.schema.json).

The schema version changes when a field is removed or changes meaning; adding a field bumps the
minor version. Wall-clock time is included only with `--timing`, so output is reproducible.
"""

from __future__ import annotations

import json
from typing import Any

from scrutiny import __version__, cwe
from scrutiny.findings import Finding, Observation
from scrutiny.reporters.common import RenderOptions, display_path
from scrutiny.reporters.stages import stage_dict
from scrutiny.review import Review

# 1.1: `preexisting`, `change`, `baseline` (change reviews); 1.2: `stages`, finding
# `source`/`opinion`/`moved`; 1.3: `observations` (the review narrative per file)
SCHEMA_VERSION = "1.3"


def finding_dict(f: Finding) -> dict[str, Any]:
    loc = f.location
    return {
        "path": display_path(f.path),
        "line": loc.line,
        "column": loc.column + 1,
        "end_line": loc.end_line,
        "end_column": loc.end_column + 1,
        "rule": f.code,
        "name": f.name,
        "cwe": f.cwe_id,
        "cwe_name": cwe.name(f.cwe),
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "message": f.message,
        "fix": f.fix,
        "source_line": f.source_line,
        "scope": f.scope,
        "fingerprint": f.fingerprint,
        "evidence": [
            {
                "path": display_path(s.path),
                "line": s.line,
                "column": s.column + 1,
                "description": s.description,
            }
            for s in f.evidence
        ],
        "suppressed": f.suppressed,
        "source": f.source,  # static | llm | static+llm (1.2)
        "opinion": f.opinion,
        "moved": f.moved,
    }


def observation_dict(o: Observation) -> dict[str, Any]:
    return {"category": o.category, "lines": list(o.lines), "text": o.text}


def change_dict(review: Review) -> dict[str, Any] | None:
    c = review.change
    if c is None:
        return None
    return {
        "description": c.description,
        "base": c.base,
        "head": c.head,
        "files": [display_path(p) for p in c.files],
        "deleted": list(c.deleted),
        "other_files": c.other,
        "notes": list(c.notes),
    }


def baseline_dict(review: Review) -> dict[str, Any] | None:
    b = review.baseline
    if b is None:
        return None
    stale = [
        {"fingerprint": e.fingerprint, "rule": e.rule, "path": e.path, "count": e.count} for e in b.stale
    ]
    return {"path": display_path(b.path), "matched": b.matched, "stale": stale}


def report_dict(review: Review, options: RenderOptions) -> dict[str, Any]:
    s = review.stats
    stats: dict[str, Any] = {
        "files": s.files,
        "lines": s.lines,
        "test_files": s.test_files,
        "test_profile": s.test_profile,
        "files_with_errors": s.errors,
        "rules": s.rules,
    }
    if options.timing:
        stats["seconds"] = round(s.seconds, 3)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "scrutiny", "version": __version__},
        "verdict": review.verdict,
        "clean": review.clean,
        "counts": {sev.value: n for sev, n in review.by_severity().items()},
        "stats": stats,
        "findings": [finding_dict(f) for f in review.findings],
        "errors": [
            {
                "path": display_path(e.path),
                "kind": e.kind,
                "message": e.message,
                "line": e.line,
                "rule": e.rule,
            }
            for e in review.errors
        ],
        "notices": [
            {"path": display_path(n.path), "line": n.line, "kind": n.kind, "message": n.message}
            for n in review.notices
        ],
        "rules": review.rule_codes,
        "preexisting": [finding_dict(f) for f in review.preexisting],
        "change": change_dict(review),
        "baseline": baseline_dict(review),
        "stages": [stage_dict(s) for s in review.stages],  # optional stages (1.2): reporters/stages.py
        "observations": {  # the review narrative per file (1.3): observations/
            display_path(path): [observation_dict(o) for o in items]
            for path, items in sorted(review.observations.items())
        },
    }


def render(review: Review, options: RenderOptions) -> str:
    return json.dumps(report_dict(review, options), indent=2, ensure_ascii=False) + "\n"
