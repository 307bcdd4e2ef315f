"""Each rule against its annotated fixture: the lines that must fire and those that must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import compare, read
from scrutiny.config import Settings
from scrutiny.engine.source import Source, load
from scrutiny.pipeline import review_source
from scrutiny.rules import ALL_RULES, Rule

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
STRICT = Settings(strict=True, tests="full", preview=True)


def run_rule(rule: type[Rule], path: Path, as_path: str | None = None) -> tuple[Source, set[tuple[int, str]]]:
    source = load(str(path))
    assert isinstance(source, Source), source
    # Fixtures live under tests/; review them as ordinary code unless the name says otherwise.
    source.path = as_path or f"pkg/{path.name}"
    result = review_source(source, STRICT, rules=[rule])
    assert not result.errors, result.errors
    return source, {(f.line, f.code) for f in result.findings}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_fixture(rule: type[Rule]) -> None:
    path = FIXTURES / f"{rule.code}.py"
    assert path.is_file(), f"{rule.code} has no fixture at {path}"
    source, reported = run_rule(rule, path)
    notes = read(source.text)
    assert {c for _, c in notes.expect} == {rule.code}, "fixture must expect its own rule"
    assert {c for _, c in notes.ok} == {rule.code}, "fixture must have `ok:` false-positive guards"
    problems = compare(notes, reported, source.lines)
    assert not problems, f"{rule.code} on {path.name}:\n" + "\n".join(problems)
