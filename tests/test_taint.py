"""Taint fixtures: multi-step and cross-file flows, each sink line annotated."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import compare, read
from scrutiny import Settings, review_paths

FIXTURES = Path(__file__).parent / "fixtures" / "taint"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
SETTINGS = Settings(select=("SCR9",), jobs=1, strict=True, tests="full", preview=True)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_taint_fixture(case: Path) -> None:
    review = review_paths([str(case)], SETTINGS)
    assert not review.errors, review.errors
    problems: list[str] = []
    for path in sorted(case.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        notes = read(text)
        reported = {(f.line, f.code) for f in review.findings if Path(f.path) == path}
        rel = path.relative_to(case)
        problems += [f"{rel}: {p}" for p in compare(notes, reported, text.splitlines())]
    assert not problems, "\n".join(problems)
