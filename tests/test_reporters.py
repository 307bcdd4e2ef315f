"""Reporters through golden files; SARIF and JSON validated against their schemas."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scrutiny import Settings, review_paths
from scrutiny.reporters import REPORTERS, RenderOptions
from scrutiny.reporters.markdown import code_block, code_span, escape
from scrutiny.review import Review

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SARIF_SCHEMA = HERE / "schemas" / "sarif-schema-2.1.0.json"
JSON_SCHEMA = HERE.parent / "src" / "scrutiny" / "reporters" / "report.schema.json"
SUFFIX = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "markdown": "md",
    "gerrit": "gerrit.json",
    "github": "github.txt",
}
UPDATE = os.environ.get("SCRUTINY_UPDATE_GOLDEN") == "1"


@pytest.fixture
def review(monkeypatch: pytest.MonkeyPatch) -> Review:
    monkeypatch.chdir(GOLDEN)  # relative paths in the reports, whatever the checkout's location
    return review_paths(["project"], Settings(select=("SCR101",), jobs=1))


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_golden(review: Review, fmt: str) -> None:
    rendered = REPORTERS[fmt](review, RenderOptions(root="project" if fmt == "sarif" else None))
    if fmt == "sarif":  # the SRCROOT base is an absolute path: machine-specific, so masked
        data = json.loads(rendered)
        data["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] = "file:///SRCROOT/"
        rendered = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"report.{SUFFIX[fmt]}"
    if UPDATE:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8"), (
        f"run with SCRUTINY_UPDATE_GOLDEN=1 to review {golden}"
    )


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_output_is_deterministic(review: Review, fmt: str) -> None:
    again = review_paths(["project"], Settings(select=("SCR101",), jobs=2))
    options = RenderOptions()
    assert REPORTERS[fmt](review, options) == REPORTERS[fmt](again, options)


def _schema(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_sarif_validates(review: Review) -> None:
    data = json.loads(REPORTERS["sarif"](review, RenderOptions(root="project")))
    jsonschema.Draft4Validator(_schema(SARIF_SCHEMA)).validate(data)
    run = data["runs"][0]
    results = run["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [5, 9, 13]
    assert results[1]["suppressions"] == [
        {"kind": "inSource", "justification": "suppressed by `# scrutiny: ignore`"}
    ]
    assert all(len(r["partialFingerprints"]["scrutiny/v1"]) == 32 for r in results)
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["properties"]["security-severity"] == "8.0"
    assert rule["properties"]["precision"] == "medium"
    assert rule["relationships"][0]["target"]["id"] == "95"
    assert run["taxonomies"][0]["taxa"][0]["id"] == "95"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert "syntax" in notes[0]["message"]["text"]


def test_shared_sarif_schema_is_the_vendored_one() -> None:
    shared = HERE.parent.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if not shared.is_file():
        pytest.skip("no ../shared checkout beside this one")
    assert _schema(shared) == _schema(SARIF_SCHEMA)


def test_json_validates_against_published_schema(review: Review) -> None:
    data = json.loads(REPORTERS["json"](review, RenderOptions(timing=True)))
    jsonschema.Draft202012Validator(_schema(JSON_SCHEMA)).validate(data)
    assert data["stats"]["seconds"] >= 0
    finding = data["findings"][0]
    assert finding["cwe"] == "CWE-95"
    assert finding["rule"] == "SCR101"
    assert {"path", "line", "end_line", "column", "name", "severity", "confidence", "message", "fix"} <= set(
        finding
    )


def test_json_schema_is_documented() -> None:
    doc = (HERE.parent / "docs" / "json-schema.md").read_text(encoding="utf-8")
    assert json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0]) == _schema(JSON_SCHEMA)


def test_fingerprint_survives_moving_lines(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def f(x):\n    return eval(x)\n")
    first = review_paths([str(tmp_path)], Settings(select=("SCR101",), jobs=1)).findings[0]
    (tmp_path / "a.py").write_text("import os\n\n\ndef f(x):\n    return eval(x)\n")
    moved = review_paths([str(tmp_path)], Settings(select=("SCR101",), jobs=1)).findings[0]
    assert moved.line != first.line
    assert moved.fingerprint == first.fingerprint


@pytest.mark.parametrize(
    "hostile",
    [
        "`code`",
        "``double``",
        "<script>alert(1)</script>",
        "@security-team please",
        "a|b|c",
        "x" * 1000,
        "[link](http://e)",
    ],
)
def test_markdown_escaping(hostile: str) -> None:
    escaped = escape(hostile)
    assert "<script" not in escaped
    assert "@s" not in escaped.replace("@\u200b", "")
    assert "|" not in escaped.replace("\\|", "")
    span = code_span(hostile)
    fence = span[: len(span) - len(span.lstrip("`"))]
    assert fence not in span[len(fence) : -len(fence)]
    block = code_block(hostile)
    assert len(block) < 400
