"""What SQL looks like, and which calls run it; shared by the SQL rules (SCR108..SCR110)."""

from __future__ import annotations

import ast
import re
from typing import Final

from scrutiny.engine.context import Context, argument, keyword
from scrutiny.engine.model import Entry

KIND = "sql-injection"


def _kw(word: str) -> str:
    # SQL keywords are written all upper or all lower case; "Select the file from" is prose.
    return f"(?:{word.upper()}|{word.lower()})"


# The statement must open the text (after blanks, brackets or a WITH clause), so a message
# such as "please select a row from the list" is not taken for SQL.
_START: Final = rf"^\s*(?:\(\s*)*(?:{_kw('with')}\b[\s\S]*?\)\s*)?"
# Each statement's opening keyword, and what must follow it.
_OPENERS: Final = {
    "select": rf"\b[\s\S]+?\b{_kw('from')}\b",
    "delete": rf"\s+{_kw('from')}\b",
    "insert": rf"\s+(?:{_kw('or')}\s+\w+\s+)?{_kw('into')}\b",
    "update": rf"\s[\s\S]*?\b{_kw('set')}\b",
}
_STATEMENTS: Final = tuple(re.compile(rf"{_START}{_kw(word)}{tail}") for word, tail in _OPENERS.items())
# The first word of SQL text: a statement's keyword or `WITH`, in one of the cases `_kw` allows.
_FIRST_WORDS: Final = tuple(form for w in ("with", *_OPENERS) for form in (w.upper(), w.lower()))


def looks_like_sql(text: str) -> bool:
    return any(p.search(text) for p in _STATEMENTS)


def may_open_sql(head: str) -> bool:
    """Whether text that starts with `head` can still look like SQL: past the blanks and
    brackets `_START` skips, `head` is empty, or begins a first word, or begins with one."""
    start = 0
    while start < len(head) and (head[start].isspace() or head[start] == "("):
        start += 1  # `\s` matches exactly what `str.isspace` accepts
    rest = head[start:]
    return not rest or any(word.startswith(rest) or rest.startswith(word) for word in _FIRST_WORDS)


def sql_argument(call: ast.Call, ctx: Context) -> tuple[ast.expr, str] | None:
    """The SQL statement argument of a call that runs SQL, and the name to show for it."""
    entry = ctx.sink(call, KIND)
    if entry is not None:
        sql = argument(call, entry.args[0], entry.kwargs[0] if entry.kwargs else None)
        return (sql, entry.name) if sql is not None else None
    if not isinstance(call.func, ast.Attribute):
        return None
    rows = method_rows(call.func.attr, ctx, "sink", KIND)
    if not rows:
        return None
    sql = argument(call, 0)
    for row in rows:
        sql = sql or (keyword(call, row.kwargs[0]) if row.kwargs else None)
    return (sql, call.func.attr) if sql is not None else None


def method_rows(method: str, ctx: Context, section: str, kind: str) -> list[Entry]:
    """Model rows marked `method = true` whose method is called `method`."""
    return [
        e for e in ctx.models.all(section, kind) if e.get("method") and e.name.rpartition(".")[2] == method
    ]
