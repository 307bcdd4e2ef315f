"""Read `# expect: CODE` style annotations from fixture files (see STYLE.md)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

_ANNOTATION = re.compile(
    r"(?P<kind>todo-expect|todo-ok|expect|ok):\s*(?P<codes>[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)"
)


@dataclass
class Annotations:
    expect: set[tuple[int, str]] = field(default_factory=set)
    ok: set[tuple[int, str]] = field(default_factory=set)
    todo_expect: set[tuple[int, str]] = field(default_factory=set)
    todo_ok: set[tuple[int, str]] = field(default_factory=set)


def read(text: str, python: bool = True) -> Annotations:
    """`python=False` reads INI fixtures (rootwrap filters): a comment starts at `#`."""
    notes = Annotations()
    for line, comment in _python_comments(text) if python else _ini_comments(text):
        for match in _ANNOTATION.finditer(comment):
            target = getattr(notes, match.group("kind").replace("-", "_"))
            for code in match.group("codes").split(","):
                target.add((line, code.strip()))
    return notes


def _python_comments(text: str) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]


def _ini_comments(text: str) -> list[tuple[int, str]]:
    return [(n, line[line.index("#") :]) for n, line in enumerate(text.splitlines(), 1) if "#" in line]


def compare(notes: Annotations, reported: set[tuple[int, str]], lines: list[str]) -> list[str]:
    """Every difference between what the fixture promises and what the rule reported."""

    def show(line: int) -> str:
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    problems: list[str] = []
    for line, code in sorted(notes.expect - reported):
        problems.append(f"line {line}: expected {code}, not reported: {show(line)}")
    allowed = notes.expect | notes.todo_ok
    for line, code in sorted(reported - allowed - notes.todo_expect):
        problems.append(f"line {line}: unexpected {code}: {show(line)}")
    for line, code in sorted(notes.todo_expect & reported):
        problems.append(f"line {line}: todo-expect {code} is now reported; make it `expect`")
    for line, code in sorted(notes.todo_ok - reported):
        problems.append(f"line {line}: todo-ok {code} is no longer reported; make it `ok`")
    return problems
