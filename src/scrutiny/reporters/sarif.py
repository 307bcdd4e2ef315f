"""SARIF 2.1.0: rules with CWE relationships, a CWE taxonomy, partial fingerprints,
`security-severity` and `precision` (as GitHub code scanning reads them), suppressions, and
`codeFlows` for dataflow evidence. Validated against the OASIS schema in the tests."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from scrutiny import __version__, cwe
from scrutiny.findings import Confidence, Finding, Severity
from scrutiny.reporters.common import SUPPRESSION_COMMENTS, RenderOptions, rules_by_code, why
from scrutiny.reporters.stages import stage_dict
from scrutiny.review import Review
from scrutiny.rules import Rule
from scrutiny.rules.docs import render as rule_page

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
# GitHub maps >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
_PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}


def _artifact(path: str, root: str | None) -> dict[str, Any]:
    """A relative URI (against SRCROOT when a root is known), percent-encoded as SARIF wants."""
    if root:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        if not rel.startswith(".."):
            return {"uri": quote(rel.replace(os.sep, "/")), "uriBaseId": "SRCROOT"}
    norm = path.replace(os.sep, "/")
    return {"uri": quote(norm.removeprefix("./"))}


def _rule(rule: type[Rule]) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": why(rule.code) or rule.summary()},
        "help": {"text": rule.fix, "markdown": rule_page(rule)},
        "helpUri": cwe.url(rule.cwe),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": ["security", f"external/cwe/cwe-{rule.cwe}"],
            "precision": _PRECISION[rule.confidence],
            "security-severity": _SECURITY_SEVERITY[rule.severity],
        },
        "relationships": [
            {
                "target": {"id": str(rule.cwe), "toolComponent": {"name": "CWE"}},
                "kinds": ["superset"],
            }
        ],
    }


def _location(
    path: str, line: int, column: int, end_line: int, end_column: int, root: str | None
) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": line, "startColumn": column + 1}
    if end_line >= line:
        region["endLine"] = end_line
        if end_line > line or end_column > column:
            region["endColumn"] = end_column + 1
    return {"physicalLocation": {"artifactLocation": _artifact(path, root), "region": region}}


def _result(f: Finding, index: dict[str, int], root: str | None) -> dict[str, Any]:
    loc = f.location
    location = _location(f.path, loc.line, loc.column, loc.end_line, loc.end_column, root)
    location["physicalLocation"]["region"]["snippet"] = {"text": f.source_line}
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index.get(f.code, -1),  # -1: no rule descriptor (LLM findings)
        "level": _LEVEL[f.severity],
        "message": {"text": f"{f.message}. {f.fix}"},
        "locations": [location],
        "partialFingerprints": {"scrutiny/v1": f.fingerprint},
        "properties": {
            "severity": f.severity.value,
            "confidence": f.confidence.value,
            "cwe": f.cwe_id,
            "security-severity": _SECURITY_SEVERITY[f.severity],
        },
    }
    if f.source != "static":  # the LLM stage's mark: reporters/stages.py
        result["properties"].update(source=f.source, opinion=f.opinion, moved=f.moved)
    if f.suppressed:
        comment = SUPPRESSION_COMMENTS[f.suppressed]
        result["suppressions"] = [{"kind": "inSource", "justification": f"suppressed by `{comment}`"}]
    if f.evidence:
        steps = [
            {
                "location": {
                    **_location(s.path, s.line, s.column, s.line, s.column, root),
                    "message": {"text": s.description},
                }
            }
            for s in f.evidence
        ]
        result["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
    return result


def sarif_dict(review: Review, options: RenderOptions) -> dict[str, Any]:
    known = rules_by_code()
    codes = sorted(set(review.rule_codes) | {f.code for f in (*review.findings, *review.preexisting)})
    rules = [known[c] for c in codes if c in known]
    index = {rule.code: i for i, rule in enumerate(rules)}
    taxa = sorted({rule.cwe for rule in rules})
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{e.kind}: {e.message}"},
            "locations": [_location(e.path, e.line or 1, 0, e.line or 1, 0, options.root)],
        }
        for e in review.errors
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "scrutiny",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://example.invalid/scrutiny",
                "rules": [_rule(r) for r in rules],
                "supportedTaxonomies": [{"name": "CWE", "index": 0}],
            }
        },
        "taxonomies": [
            {
                "name": "CWE",
                "version": "4.15",
                "organization": "MITRE",
                "shortDescription": {"text": "The MITRE Common Weakness Enumeration"},
                "taxa": [
                    {
                        "id": str(c),
                        "name": cwe.name(c),
                        "helpUri": cwe.url(c),
                        "shortDescription": {"text": cwe.name(c)},
                    }
                    for c in taxa
                ],
            }
        ],
        "invocations": [
            {
                "executionSuccessful": not any(e.kind in ("rule-error", "internal") for e in review.errors),
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index, options.root) for f in review.findings],
    }
    if review.change is not None:
        _change(run, review, index, options.root)
    if review.stages:
        run["properties"] = {"stages": [stage_dict(s) for s in review.stages]}
    if options.root:
        run["originalUriBaseIds"] = {"SRCROOT": {"uri": _root_uri(options.root)}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _change(run: dict[str, Any], review: Review, index: dict[str, int], root: str | None) -> None:
    """A change review: the change's results are `new`, pre-existing ones in touched functions
    `unchanged`; the base revision goes in `versionControlProvenance` for code scanning."""
    change = review.change
    assert change is not None
    for result in run["results"]:
        result["baselineState"] = "new"
    for f in review.preexisting:
        run["results"].append({**_result(f, index, root), "baselineState": "unchanged"})
    if change.base or change.head:
        details: dict[str, Any] = {"repositoryUri": change.repository or _root_uri(change.root)}
        details["revisionId"] = change.head or change.base
        details["properties"] = {"baseRevisionId": change.base, "change": change.description}
        run["versionControlProvenance"] = [details]


def _root_uri(root: str) -> str:
    from pathlib import Path

    uri = Path(root).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def render(review: Review, options: RenderOptions) -> str:
    return json.dumps(sarif_dict(review, options), indent=2, ensure_ascii=False) + "\n"
