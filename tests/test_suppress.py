"""Inline suppressions end to end: what they silence, on which lines, and what they report."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from scrutiny import pipeline, review_paths, suppress
from scrutiny.cli import main
from scrutiny.config import Settings
from scrutiny.engine.context import Context
from scrutiny.engine.source import Source, load
from scrutiny.engine.walker import RawFinding
from scrutiny.findings import Confidence, FileResult, Finding, Location, Severity
from scrutiny.rules import ALL_RULES, Hit, Rule


def review(tmp_path: Path, code: str, fmt: str = "json") -> tuple[int, dict[str, Any]]:
    path = tmp_path / "app.py"
    path.write_text(code, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["review", str(path), "--select", "SCR101", "--format", fmt], catch_exceptions=False
    )
    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    return result.exit_code, report


def findings(report: dict[str, Any]) -> list[tuple[int, str, str | None]]:
    return [(f["line"], f["rule"], f["suppressed"]) for f in report["findings"]]


def notices(report: dict[str, Any]) -> list[tuple[int, str]]:
    return [(n["line"], n["kind"]) for n in report["notices"]]


# --- scrutiny: ignore -------------------------------------------------------------------------


def test_named_suppression_silences_and_keeps_the_finding(tmp_path: Path) -> None:
    code, report = review(tmp_path, "x = input()\neval(x)  # scrutiny: ignore[SCR101]\n")
    assert code == 0
    assert findings(report) == [(2, "SCR101", "scrutiny")]
    assert report["clean"] is True
    assert notices(report) == []


def test_named_suppression_in_sarif(tmp_path: Path) -> None:
    code, sarif = review(tmp_path, "x = input()\neval(x)  # scrutiny: ignore[SCR101]\n", fmt="sarif")
    assert code == 0
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == "SCR101"
    assert [s["kind"] for s in result["suppressions"]] == ["inSource"]


def test_unsuppressed_sarif_result_has_no_suppressions(tmp_path: Path) -> None:
    code, sarif = review(tmp_path, "x = input()\neval(x)\n", fmt="sarif")
    assert code == 1
    [result] = sarif["runs"][0]["results"]
    assert "suppressions" not in result


@pytest.mark.parametrize(
    "comment",
    [
        "# scrutiny: ignore[SCR101]",
        "# scrutiny:ignore[scr101]",
        "# scrutiny: ignore[SCR102, SCR101]",
        "# noqa: E501  # scrutiny: ignore[SCR101]",
        "# reviewed: input is a constant table, scrutiny: ignore[SCR101]",
    ],
)
def test_named_suppression_spellings(tmp_path: Path, comment: str) -> None:
    code, report = review(tmp_path, f"x = input()\neval(x)  {comment}\n")
    assert code == 0
    assert findings(report) == [(2, "SCR101", "scrutiny")]


@pytest.mark.parametrize("comment", ["# SCRUTINY: IGNORE[SCR101]", "# NOSEC B307"])
def test_upper_case_suppression(tmp_path: Path, comment: str) -> None:
    code, report = review(tmp_path, f"x = input()\neval(x)  {comment}\n")
    assert code == 0
    assert [s for _, _, s in findings(report)] != [None]


MULTILINE = """\
x = input()
result = eval(  {0}
    x,  {1}
    None,  {2}
)  {3}
"""


@pytest.mark.parametrize("where", range(4))
def test_suppression_on_any_line_of_a_multiline_statement(tmp_path: Path, where: int) -> None:
    marks = ["", "", "", ""]
    marks[where] = "# scrutiny: ignore[SCR101]"
    code, report = review(tmp_path, MULTILINE.format(*marks))
    assert code == 0
    assert findings(report) == [(2, "SCR101", "scrutiny")]
    assert notices(report) == []


@pytest.mark.parametrize(
    "source",
    [
        "x = input()\neval(x)\n# scrutiny: ignore[SCR101]\n",
        "x = input()\neval(x)\ny = 1  # scrutiny: ignore[SCR101]\n",
        "x = input()  # scrutiny: ignore[SCR101]\neval(x)\n",
    ],
    ids=["comment-line-after", "next-statement", "statement-before"],
)
def test_suppression_outside_the_statement_does_not_apply(tmp_path: Path, source: str) -> None:
    code, report = review(tmp_path, source)
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]
    assert [kind for _, kind in notices(report)] == ["unused-suppression"]


def test_suppression_on_a_compound_statement_header(tmp_path: Path) -> None:
    source = "x = input()\nif eval(x):  # scrutiny: ignore[SCR101]\n    eval(x)\n"
    code, report = review(tmp_path, source)
    assert code == 1  # the body is its own statement
    assert findings(report) == [(2, "SCR101", "scrutiny"), (3, "SCR101", None)]


def test_suppression_of_another_rule_does_not_silence(tmp_path: Path) -> None:
    other = next((r.code for r in ALL_RULES if r.code != "SCR101"), "SCR102")
    code, report = review(tmp_path, f"x = input()\neval(x)  # scrutiny: ignore[{other}]\n")
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]


def test_bare_suppression_silences_nothing_and_is_reported(tmp_path: Path) -> None:
    code, report = review(tmp_path, "x = input()\neval(x)  # scrutiny: ignore\n")
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]
    assert notices(report) == [(2, "bare-suppression")]


def test_unused_suppression_is_reported(tmp_path: Path) -> None:
    code, report = review(tmp_path, "x = 1  # scrutiny: ignore[SCR101]\n")
    assert code == 0
    assert findings(report) == []
    assert notices(report) == [(1, "unused-suppression")]
    assert "SCR101" in report["notices"][0]["message"]


def test_unknown_code_is_reported(tmp_path: Path) -> None:
    code, report = review(tmp_path, "x = input()\neval(x)  # scrutiny: ignore[SCR999]\n")
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]
    assert notices(report) == [(2, "unknown-code")]
    assert "SCR999" in report["notices"][0]["message"]


def test_suppression_for_a_rule_not_selected_is_not_unused(tmp_path: Path) -> None:
    other = next((r.code for r in ALL_RULES if r.code != "SCR101"), None)
    if other is None:
        pytest.skip("the catalogue has only SCR101 so far")
    code, report = review(tmp_path, f"x = 1  # scrutiny: ignore[{other}]\n")
    assert code == 0
    assert notices(report) == []


def test_suppression_inside_a_string_is_not_a_comment(tmp_path: Path) -> None:
    source = 'x = input()\neval(x, {"note": "# scrutiny: ignore[SCR101]"})\n'
    code, report = review(tmp_path, source)
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]
    assert notices(report) == []


def test_suppression_inside_a_multiline_string_is_not_a_comment(tmp_path: Path) -> None:
    source = 'x = input()\neval(x, {"doc": """\n# scrutiny: ignore[SCR101]\n# nosec\n"""})\n'
    code, report = review(tmp_path, source)
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]


# --- nosec ------------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["# nosec B307", "# nosec B102", "# nosec: B307", "# nosec B101, B307"])
def test_nosec_naming_a_bandit_twin_silences(tmp_path: Path, comment: str) -> None:
    code, report = review(tmp_path, f"x = input()\neval(x)  {comment}\n")
    assert code == 0
    assert findings(report) == [(2, "SCR101", "nosec")]
    assert notices(report) == []


def test_nosec_naming_another_bandit_test_does_not_silence(tmp_path: Path) -> None:
    code, report = review(tmp_path, "x = input()\neval(x)  # nosec B602\n")
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]


def test_bare_nosec_silences_a_twin_but_is_reported(tmp_path: Path) -> None:
    code, report = review(tmp_path, "x = input()\neval(x)  # nosec\n")
    assert code == 0
    assert findings(report) == [(2, "SCR101", "nosec")]
    assert notices(report) == [(2, "bare-suppression")]


def test_nosec_in_sarif(tmp_path: Path) -> None:
    code, sarif = review(tmp_path, "x = input()\neval(x)  # nosec B307\n", fmt="sarif")
    assert code == 0
    [result] = sarif["runs"][0]["results"]
    assert "nosec" in result["suppressions"][0]["justification"]


def test_unused_nosec_for_an_active_twin_is_reported(tmp_path: Path) -> None:
    code, report = review(tmp_path, "x = 1  # nosec B307\n")
    assert code == 0
    assert notices(report) == [(1, "unused-suppression")]


@pytest.mark.parametrize("text", ["# nosecurity", "# not-nosec B307", "# nosec_B307"])
def test_words_containing_nosec_are_not_nosec(tmp_path: Path, text: str) -> None:
    code, report = review(tmp_path, f"x = input()\neval(x)  {text}\n")
    assert code == 1
    assert findings(report) == [(2, "SCR101", None)]


# --- dataflow rules and rules passed directly ---------------------------------------------------


class _EvalCall(Rule):
    """Flags every call to `eval` (a test double)."""

    cwe = 95
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    fix = "Do not."
    bandit: ClassVar[tuple[str, ...]] = ("B307",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        if isinstance(node.func, ast.Name) and node.func.id == "eval":
            yield self.hit(node, "`eval` called")


class DataflowEval(_EvalCall):
    code = "SCR990"
    name = "test-dataflow-eval"
    dataflow = True


class PatternEval(_EvalCall):
    code = "SCR991"
    name = "test-pattern-eval"
    dataflow = False


def run(rule: type[Rule], text: str) -> FileResult:
    source = load("pkg/app.py", data=text.encode("utf-8"))
    assert isinstance(source, Source), source
    result = pipeline.review_source(source, Settings(strict=True), rules=[rule])
    assert not result.errors, result.errors
    return result


def apply_as(rule: type[Rule], text: str) -> tuple[list[str | None], list[tuple[int, str]]]:
    """Suppressions applied to a finding of `rule` on `eval(x)` at line 2, with the rule's own
    twin metadata. The pipeline never dispatches a dataflow rule's `check` (the taint engine
    reports them, for catalogue rules only), so the finding is built here as the engine would."""
    finding = Finding(
        code=rule.code, name=rule.name, cwe=rule.cwe, severity=rule.severity,
        confidence=rule.confidence, path="app.py", location=Location(2, 0, 2, 7),
        message="`eval` called", fix=rule.fix, source_line="eval(x)",
    )  # fmt: skip
    twins = {r.code: (r.bandit, r.dataflow) for r in (DataflowEval, PatternEval)}
    found, notes = suppress.apply(
        "app.py", [RawFinding(finding, (2, 2))], suppress.parse(text), twins, frozenset({rule.code})
    )
    return [f.suppressed for f in found], [(n.line, n.kind) for n in notes]


@pytest.mark.parametrize(
    ("comment", "notes"),
    [
        ("# nosec B307", [(2, "unused-suppression")]),  # and the reader is told it did nothing
        ("# nosec", [(2, "bare-suppression")]),
    ],
)
def test_dataflow_finding_is_never_silenced_by_nosec(comment: str, notes: list[tuple[int, str]]) -> None:
    text = f"x = input()\neval(x)  {comment}\n"
    assert apply_as(DataflowEval, text) == ([None], notes)
    # The same finding from a pattern rule with the same twin is silenced: only `dataflow` differs.
    assert apply_as(PatternEval, text)[0] == ["nosec"]


def test_dataflow_finding_is_silenced_by_a_named_scrutiny_ignore() -> None:
    text = "x = input()\neval(x)  # scrutiny: ignore[SCR990]\n"
    assert apply_as(DataflowEval, text) == (["scrutiny"], [])


def test_dataflow_rule_passed_to_review_source_is_not_silenced_by_nosec() -> None:
    for comment in ("# nosec B307", "# nosec"):
        result = run(DataflowEval, f"x = input()\neval(x)  {comment}\n")
        assert all(f.suppressed is None for f in result.findings)


def test_pattern_rule_passed_to_review_source_runs() -> None:
    result = run(PatternEval, "x = input()\neval(x)\n")
    assert [(f.line, f.code, f.suppressed) for f in result.findings] == [(2, "SCR991", None)]


def test_rules_passed_directly_keep_their_suppression_metadata() -> None:
    pattern = run(PatternEval, "x = input()\neval(x)  # nosec B307\n")
    assert [(f.line, f.suppressed) for f in pattern.findings] == [(2, "nosec")]
    named = run(PatternEval, "x = input()\neval(x)  # scrutiny: ignore[SCR991]\n")
    assert named.notices == []


# --- parse, directly --------------------------------------------------------------------------


def test_parse_reads_comments_only() -> None:
    text = 's = "# nosec"\nt = 1  # nosec B307 B102\nu = 2  # scrutiny: ignore[SCR101,scr102]\n'
    found = [(s.line, s.kind, sorted(s.codes)) for s in suppress.parse(text)]
    assert found == [(2, "nosec", ["B102", "B307"]), (3, "scrutiny", ["SCR101", "SCR102"])]


def test_parse_tolerates_untokenizable_text() -> None:
    assert suppress.parse('x = """never closed  # nosec\n') == []


def test_ruff_bandit_codes_in_noqa_silence_the_twin(tmp_path: Path) -> None:
    """`# noqa: S307` is Ruff's name for Bandit's B307: the same reviewed decision."""
    path = tmp_path / "m.py"
    path.write_text("eval(a)  # noqa: E501, S307\neval(b)  # noqa: S602\neval(c)  # noqa\n")
    review = review_paths([str(path)], Settings(select=("SCR101",), jobs=1))
    assert [(f.line, f.suppressed) for f in review.findings] == [(1, "noqa"), (2, None), (3, None)]
    assert review.notices == []  # Ruff reports its own unused noqa codes
