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
_STATEMENTS: Final = (
    re.compile(rf"{_START}{_kw('select')}\b[\s\S]+?\b{_kw('from')}\b"),
    re.compile(rf"{_START}{_kw('delete')}\s+{_kw('from')}\b"),
    re.compile(rf"{_START}{_kw('insert')}\s+(?:{_kw('or')}\s+\w+\s+)?{_kw('into')}\b"),
    re.compile(rf"{_START}{_kw('update')}\s[\s\S]*?\b{_kw('set')}\b"),
)


def looks_like_sql(text: str) -> bool:
    return any(p.search(text) for p in _STATEMENTS)


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
