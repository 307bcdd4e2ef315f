"""Property-based: random bytes and random valid Python never crash a run or lose results."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrutiny import Settings, review_paths
from scrutiny.rules import ALL_RULES

GOOD = "import subprocess\n\ndef f(x):\n    return eval(x)\n"
ALL = Settings(jobs=1, preview=True, tests="full")

# Random but valid Python, from a small grammar of statements that exercise the walker:
# imports, aliases, assignments, calls with keywords, f-strings, comprehensions, nesting.
_names = st.sampled_from(
    ["os", "subprocess", "pickle", "yaml", "x", "y", "requests", "eval", "open", "hashlib"]
)
_attrs = st.sampled_from(["system", "run", "loads", "load", "get", "md5", "call", "Popen", "x"])
_atoms = st.one_of(
    _names,
    st.text(alphabet="abc /'\"{}%\\", max_size=8).map(repr),
    st.integers(-5, 0o777).map(str),
    st.sampled_from(["True", "False", "None", "0o777", "'/tmp/x'", "'0.0.0.0'"]),
)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 2:
        return draw(_atoms)
    choice = draw(st.integers(0, 5))
    inner = draw(expressions(depth + 1))
    if choice == 0:
        return f"{draw(_names)}.{draw(_attrs)}({inner}, shell={draw(_atoms)})"
    if choice == 1:
        return f"{inner} + {draw(_atoms)}"
    if choice == 2:
        return f"f'{{{draw(_names)}}}-{{{draw(_names)}!r}}'"
    if choice == 3:
        return f"[{inner} for {draw(_names)} in {draw(_names)}]"
    if choice == 4:
        return f"{draw(_names)}({inner})"
    return draw(_atoms)


@st.composite
def programs(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            lines.append(f"import {draw(_names)} as {draw(_names)}")
        elif kind == 1:
            lines.append(f"{draw(_names)} = {draw(expressions())}")
        elif kind == 2:
            lines.append(f"def fn({draw(_names)}='{draw(_names)}'):\n    return {draw(expressions())}")
        elif kind == 3:
            lines.append(f"try:\n    {draw(expressions())}\nexcept Exception:\n    pass")
        else:
            lines.append(draw(expressions()))
    return "\n".join(lines) + "\n"


def _check(tmp: Path, content: bytes) -> None:
    (tmp / "good.py").write_text(GOOD)
    (tmp / "random.py").write_bytes(content)
    review = review_paths([str(tmp)], ALL)
    assert not [e for e in review.errors if e.kind in ("rule-error", "internal")], review.errors
    good = [f for f in review.findings if f.path.endswith("good.py")]
    assert [(f.code, f.line) for f in good] == [("SCR101", 4)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, content: bytes) -> None:
    _check(tmp_path, content)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=programs())
def test_random_valid_python(tmp_path: Path, program: str) -> None:
    ast.parse(program)  # the strategy only makes valid code
    _check(tmp_path, program.encode())
    assert ALL_RULES
