"""The catalogue checks itself: identities, metadata, docs, and docs that match behaviour."""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from scrutiny import cwe
from scrutiny.config import Settings
from scrutiny.engine.model import load_models
from scrutiny.engine.source import Source, load
from scrutiny.findings import Confidence, Severity
from scrutiny.pipeline import analyze, finish, review_source
from scrutiny.rootwrap.crosscheck import cross_check
from scrutiny.rootwrap.review import analyze_text
from scrutiny.rules import ALL_RULES, Rule
from scrutiny.rules.base import DataflowRule
from scrutiny.rules.docs import REQUIRED, SECTIONS, code_blocks, sections
from scrutiny.rules.privilege._filter_rule import FilterRule

STRICT = Settings(strict=True, tests="full", preview=True)
MODELS = load_models()


def test_codes_and_names_are_unique() -> None:
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_identity(rule: type[Rule]) -> None:
    assert re.fullmatch(r"SCR[1-9]\d\d", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    module = Path(inspect.getfile(rule))
    assert module.stem == rule.name.replace("-", "_"), "module is the snake_case name"
    assert rule.__name__ == "".join(
        p.capitalize() for p in rule.name.split("-")
    ) or rule.__name__.lower() == rule.name.replace("-", "")
    assert len(module.read_text().splitlines()) <= 200, "rule modules stay small"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_metadata(rule: type[Rule]) -> None:
    assert rule.cwe in cwe.CWE_NAMES, f"CWE-{rule.cwe} missing from cwe.py"
    assert isinstance(rule.severity, Severity)
    assert isinstance(rule.confidence, Confidence)
    if issubclass(rule, FilterRule):  # reviews rootwrap filter entries, not Python nodes
        assert not rule.nodes
    elif issubclass(rule, DataflowRule):  # the engine finds the flows; the walker sends no nodes
        assert not rule.nodes and rule.sink_kind in MODELS.kinds["sink"]
        assert set(rule.sources) <= MODELS.kinds["source"]
        assert set(rule.twins) <= {r.code for r in ALL_RULES if not r.dataflow}, "twins are pattern rules"
    else:
        assert rule.nodes and all(isinstance(n, type) for n in rule.nodes)
    assert rule.fix.endswith(".") and len(rule.fix) < 200
    assert all(re.fullmatch(r"B\d{3}", b) for b in rule.bandit)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_doc_sections(rule: type[Rule]) -> None:
    parts = sections(rule)
    assert parts[""].startswith("Checks for"), "summary says what the rule checks for"
    titles = [t for t in parts if t]
    assert [t for t in SECTIONS if t in titles] == titles, f"sections out of order: {titles}"
    for title in REQUIRED:
        assert parts.get(title), f"missing ## {title}"
    refs = parts["References"]
    assert f"CWE-{rule.cwe}" in refs.splitlines()[0], "the CWE link comes first"


def _review_snippet(rule: type[Rule], code: str, tmp_path: Path, filters: Sequence[str] = ()) -> set[int]:
    if issubclass(rule, FilterRule):
        return {f.line for f in finish(analyze_text("etc/snippet.filters", code, STRICT, [rule])).findings}
    path = tmp_path / "snippet.py"
    path.write_text(code)
    source = load(str(path))
    assert isinstance(source, Source)
    source.path = "app/snippet.py"
    if filters:  # a Python example shown with the project's rootwrap filter file (SCR122)
        works = [analyze(source, STRICT, [rule], frozenset())]
        works += [analyze_text(f"etc/{i}.filters", text, STRICT, [rule]) for i, text in enumerate(filters)]
        return {f.line for f in finish(cross_check(works)[0]).findings}
    result = review_source(source, STRICT, rules=[rule])
    return {f.line for f in result.findings}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_docs_match_behaviour(rule: type[Rule], tmp_path: Path) -> None:
    parts = sections(rule)
    language = "ini" if issubclass(rule, FilterRule) else "python"
    examples = code_blocks(parts["Example"], language)
    safe = code_blocks(parts["Use instead"], language)
    assert examples and safe
    filters = [] if language == "ini" else code_blocks(parts["Example"], "ini")
    for code in examples:
        found = _review_snippet(rule, code, tmp_path, filters)
        assert found, f"## Example does not trigger {rule.code}:\n{code}"
    for code in safe:
        found = _review_snippet(rule, code, tmp_path, filters)
        assert not found, f"## Use instead triggers {rule.code}:\n{code}"


def test_generated_catalogue_page_is_current() -> None:
    import subprocess
    import sys

    script = Path(__file__).parent.parent / "scripts" / "gen_rule_docs.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.gate], ids=lambda r: r.code)
def test_gates_name_declared_kinds_with_rows(rule: type[Rule]) -> None:
    """A gate on a kind no row has would silence the rule for good."""
    models = load_models()
    for node_type, kinds in rule.gate:
        assert node_type in rule.nodes, f"{rule.code} gates {node_type.__name__}, which it is not sent"
        for key in kinds:
            section, _, kind = key.removeprefix("tail:").partition(":")
            assert kind in models.kinds.get(section, ()), f"{rule.code}: undeclared kind {key}"
            assert any(True for _ in models.all(section, kind)), f"{rule.code}: no model row of {key}"
