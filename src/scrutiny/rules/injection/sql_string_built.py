"""Rule SCR108: an SQL statement built from run-time values with string operations."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._sql import KIND, looks_like_sql, may_open_sql, sql_argument
from scrutiny.rules.injection._text import MARK, literal, template

_STR_BUILDERS: Final = frozenset({"format", "replace"})
_OPERATORS: Final[dict[type[ast.operator], str]] = {ast.Add: "`+`", ast.Mod: "`%` formatting"}


class SqlStringBuilt(Rule):
    """Checks for SQL statements built from run-time values with `%`, `+`, f-strings or `format`.

    ## Why is this bad?
    A value pasted into the text of an SQL statement is parsed as SQL: a name such as
    `x' OR '1'='1` changes what the statement does, and may read or destroy any data the
    connection can reach. Drivers take the values apart from the statement (placeholders such
    as `%s`, `?` or `:name`) and never parse them as SQL.

    ## Example
    ```python
    def find_user(cursor, name):
        cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    ```

    ## Use instead
    ```python
    def find_user(cursor, name):
        cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
    ```

    ## Known problems
    The text must start like a statement (`SELECT ... FROM`, `INSERT INTO`, `UPDATE ... SET`,
    `DELETE FROM`, after an optional `WITH` clause) with keywords in one case, so prose is not
    taken for SQL. Values that can only be numbers (`%d`, `{n:d}`, `int(x)`) and lists of
    placeholders (`", ".join(["%s"] * n)`) are not counted as run-time text. A statement not
    seen reaching a known `execute`-like call is reported at low confidence. Identifiers
    (table or column names) checked against an allow-list are still reported. SQL built for
    Django's `RawSQL` or `raw()` is also reported by SCR110.

    ## References
    - [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
    - [PEP 249: paramstyle](https://peps.python.org/pep-0249/#paramstyle)
    """

    code = "SCR108"
    name = "sql-string-built"
    cwe = 89
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.BinOp, ast.JoinedStr, ast.Call, ast.AugAssign)
    fix = "Pass values as query parameters with placeholders; never paste them into the SQL text."
    bandit = ("B608",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        if isinstance(node, ast.AugAssign):
            yield from self._augmented(node, ctx)
            return
        assert isinstance(node, ast.expr)
        how = _how(node)
        if how is None or not _outermost(node, ctx) or not may_open_sql(_head(node)):
            return
        text = template(node, ctx, KIND)
        if MARK not in text or not looks_like_sql(text):
            return
        yield self._hit(node, how, _destination(node, ctx), ctx)

    def _augmented(self, node: ast.AugAssign, ctx: Context) -> Iterator[Hit]:
        """`sql = "SELECT ... WHERE 1=1"` then `sql += " AND a = '%s'" % a`."""
        if not isinstance(node.op, ast.Add) or not isinstance(node.target, ast.Name):
            return
        binding = ctx.binding(node.target.id)  # still the value before this statement
        if binding is None or binding.kind is not BindingKind.ASSIGN:
            return
        before = literal(binding.value, ctx)
        added = template(node.value, ctx, KIND)
        if not isinstance(before, str) or MARK not in added or looks_like_sql(added):
            return  # a statement built in one piece is reported where it is built
        if looks_like_sql(before + added):
            yield self._hit(node, "`+=`", _execute_using(node.target.id, ctx), ctx)

    def _hit(self, node: ast.AST, how: str, callee: str | None, ctx: Context) -> Hit:
        if callee is None:
            message = f"SQL statement is built with {how} from run-time values"
            return self.hit(node, message, confidence=Confidence.LOW)
        return self.hit(node, f"SQL statement built with {how} from run-time values is run by `{callee}`")


def _how(node: ast.expr) -> str | None:
    if isinstance(node, ast.BinOp):
        return _OPERATORS.get(type(node.op))
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return f"`str.{node.func.attr}`" if node.func.attr in _STR_BUILDERS else None
    return None


def _head(node: ast.expr) -> str:
    """Text the built string surely starts with, seen without folding anything (most strings
    built are messages, whose first words say they are no SQL); "" when not known."""
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return (
            _head(node.left)
            if isinstance(node.left, ast.JoinedStr | ast.BinOp)
            else _constant_head(node.left, "")
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _constant_head(node.left, "%")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _constant_head(node.func.value, "{}")
    return ""


def _constant_head(expr: ast.expr, stops: str) -> str:
    """A string literal's text up to the first of `stops` (where run-time values go)."""
    if not (isinstance(expr, ast.Constant) and isinstance(expr.value, str)):
        return ""
    text: str = expr.value
    cut = min((i for i in map(text.find, stops) if i >= 0), default=len(text))
    return text[:cut]


def _outermost(node: ast.expr, ctx: Context) -> bool:
    """Whether `node` is not part of a larger string-building expression (checked instead)."""
    parent = ctx.parent()
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add | ast.Mod):
        return False
    if isinstance(parent, ast.Attribute) and parent.attr in _STR_BUILDERS:
        return not isinstance(ctx.parent(2), ast.Call)
    return not isinstance(parent, ast.FormattedValue)  # `f"{x:{width}}"`: a format spec


def _destination(node: ast.expr, ctx: Context) -> str | None:
    """The SQL-running call the statement is passed to, directly or through a variable."""
    parent = ctx.parent()
    call = ctx.parent(2) if isinstance(parent, ast.keyword) else parent
    if isinstance(call, ast.Call):
        found = sql_argument(call, ctx)
        return found[1] if found is not None and found[0] is node else None
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        return _execute_using(target.id, ctx) if isinstance(target, ast.Name) else None
    return None


def _execute_using(name: str, ctx: Context) -> str | None:
    """The SQL-running call in the current function (or module) that runs variable `name`."""
    scope = ctx.enclosing_function() or ctx.source.tree
    for node in ast.walk(scope):
        if isinstance(node, ast.Call):
            found = sql_argument(node, ctx)
            if found is not None and isinstance(found[0], ast.Name) and found[0].id == name:
                return found[1]
    return None
