"""Each rule against its annotated fixture: the lines that must fire and those that must not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from annotations import compare, read
from scrutiny.config import Settings
from scrutiny.engine import walker
from scrutiny.engine.model import load_models
from scrutiny.engine.source import Source, load
from scrutiny.pipeline import analyze, finish, review_source
from scrutiny.rootwrap.crosscheck import cross_check
from scrutiny.rootwrap.review import analyze_text
from scrutiny.rules import ALL_RULES, Rule

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
SUFFIXES = (".py", ".filters")  # Python, or oslo.rootwrap filter files
STRICT = Settings(strict=True, tests="full", preview=True)


def run_rule(rule: type[Rule], path: Path, as_path: str | None = None) -> tuple[Source, set[tuple[int, str]]]:
    source = load(str(path))
    assert isinstance(source, Source), source
    # Fixtures live under tests/; review them as ordinary code unless the name says otherwise.
    source.path = as_path or f"pkg/{path.name}"
    result = review_source(source, STRICT, rules=[rule])
    assert not result.errors, result.errors
    return source, {(f.line, f.code) for f in result.findings}


def run_project_rule(rule: type[Rule], path: Path) -> tuple[str, set[tuple[int, str]]]:
    """A filter-file fixture, or a fixture reviewed with its companion files (`<CODE>/`), for
    rules that need the whole project (rootwrap filters and the calls they allow)."""
    works = [
        analyze_text(f"pkg/{p.name}", p.read_text(), STRICT, [rule])
        if p.suffix == ".filters"
        else analyze(_source(p), STRICT, [rule], frozenset())
        for p in [path, *sorted((FIXTURES / rule.code).glob("*"))]
    ]
    result = finish(cross_check(works)[0])
    assert not result.errors, result.errors
    return path.read_text(), {(f.line, f.code) for f in result.findings}


def _source(path: Path) -> Source:
    source = load(str(path))
    assert isinstance(source, Source), source
    source.path = f"pkg/{path.name}"
    return source


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_fixture(rule: type[Rule]) -> None:
    path = next((p for p in (FIXTURES / f"{rule.code}{s}" for s in SUFFIXES) if p.is_file()), None)
    assert path is not None, f"{rule.code} has no fixture in {FIXTURES}"
    if path.suffix == ".py" and not (FIXTURES / rule.code).is_dir():
        source, reported = run_rule(rule, path)
        notes = read(source.text)
    else:
        text, reported = run_project_rule(rule, path)
        notes = read(text, python=path.suffix == ".py")
        source = Source(str(path), text, ast.Module([], []), text.splitlines())
    assert {c for _, c in notes.expect} == {rule.code}, "fixture must expect its own rule"
    assert {c for _, c in notes.ok} == {rule.code}, "fixture must have `ok:` false-positive guards"
    problems = compare(notes, reported, source.lines)
    assert not problems, f"{rule.code} on {path.name}:\n" + "\n".join(problems)


_NEEDLED = [rule for rule in ALL_RULES if rule.needles]


@pytest.mark.parametrize("rule", _NEEDLED, ids=lambda r: r.code)
def test_needles_hide_nothing(rule: type[Rule], monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule's needles skip files it cannot report in: across every rule's fixture (so code
    written for other rules too), the rule reports the same lines with and without them."""
    fixtures = sorted(FIXTURES.glob("*.py"))
    with_needles = {p.name: run_rule(rule, p)[1] for p in fixtures}
    monkeypatch.setattr(walker, "_present", lambda rules, source, models: list(rules))
    without = {p.name: run_rule(rule, p)[1] for p in fixtures}
    assert with_needles == without
    assert any(without.values()), f"no fixture exercises {rule.code}"


def test_needles_skip_files_without_them() -> None:
    """The needle filter itself: a rule is kept only where one of its words appears."""
    rule = next(iter(_NEEDLED))
    models = load_models()
    words = sorted(models.needles(rule.needles))
    assert walker._present([rule()], _text("x = 1\n"), models) == []
    kept = walker._present([rule()], _text(f"y = {words[0].upper()}\n"), models)
    assert [type(r) for r in kept] == [rule]


def _text(text: str) -> Source:
    return Source("pkg/m.py", text, ast.parse(text), text.splitlines())
