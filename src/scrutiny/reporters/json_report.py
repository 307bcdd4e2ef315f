"""The JSON report: a documented, versioned schema (docs/json-schema.md, report.schema.json).

The schema version changes when a field is removed or changes meaning; adding a field bumps the
minor version. Wall-clock time is included only with `--timing`, so output is reproducible.
"""

from __future__ import annotations

import json
from typing import Any

from scrutiny import __version__, cwe
from scrutiny.findings import Finding
from scrutiny.reporters.common import RenderOptions, display_path
from scrutiny.review import Review

SCHEMA_VERSION = "1.0"


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
    }


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
    }


def render(review: Review, options: RenderOptions) -> str:
    return json.dumps(report_dict(review, options), indent=2, ensure_ascii=False) + "\n"
