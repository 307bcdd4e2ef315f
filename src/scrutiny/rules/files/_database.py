"""Database reads and writes for SCR653: which calls read rows of a mapped class, which add one.

The words come from the `lifecycle-vocabulary.db-queries` row of `models/lifecycle.toml`. A
mapped class is named by the source text of its expression (`models.Instance`), which is how
the same class is recognised in the read and in the write of one function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from scrutiny.engine.context import Context
from scrutiny.rules.files._lifecycle import catches, last_name

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_MEMO = "db-vocabulary"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    model_arg: dict[str, int]
    reads: frozenset[str]
    inserts: frozenset[str]
    locking: frozenset[str]
    single: frozenset[str]

    @classmethod
    def load(cls, ctx: Context) -> Vocabulary:
        """The vocabulary, built once per file (SCR653 asks on every call and augmented assignment)."""
        found = ctx.file_memo.get(_MEMO)
        if found is None:
            found = ctx.file_memo[_MEMO] = cls._build(ctx)
        assert isinstance(found, Vocabulary)
        return found

    @classmethod
    def _build(cls, ctx: Context) -> Vocabulary:
        row = ctx.models.lookup("api", "lifecycle-vocabulary.db-queries")

        def get(key: str) -> Any:
            return row.get(key, []) if row is not None else []

        model_arg = row.get("model_arg", {}) if row is not None else {}
        return cls(
            {str(k): int(v) for k, v in dict(model_arg).items()},
            frozenset(map(str, get("reads"))),
            frozenset(map(str, get("inserts"))),
            frozenset(map(str, get("locking"))),
            frozenset(map(str, get("single"))),
        )


@dataclass(frozen=True, slots=True)
class Read:
    call: ast.Call  # the call that returns what the table holds (`.first()`)
    model: str  # the mapped class, as written
    locked: bool  # `with_for_update()` somewhere in the chain


def read_of(expr: ast.expr, words: Vocabulary) -> Read | None:
    """`query(M).filter_by(...).first()`, `model_query(ctx, M).count()`."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
        return None
    if expr.func.attr not in words.reads:
        return None
    found = query_model(expr.func.value, words)
    return None if found is None else Read(expr, found[0], found[1])


def query_model(link: ast.expr, words: Vocabulary) -> tuple[str, bool] | None:
    """The mapped class a query chain starts from, and whether the chain locks the rows."""
    locked = False
    while isinstance(link, ast.Call | ast.Attribute):
        if isinstance(link, ast.Call):
            name = last_name(link.func)
            locked = locked or name in words.locking
            position = words.model_arg.get(name or "")
            if position is not None and len(link.args) > position and _class_like(link.args[position]):
                return ast.unparse(link.args[position]), locked
            link = link.func
        else:
            link = link.value
    return None


def _class_like(expr: ast.expr) -> bool:
    """`models.Port`, `Port`: a CapWords name, as mapped classes and versioned objects are."""
    name = last_name(expr)
    return name is not None and name[:1].isupper() and not name.isupper()


def new_row(expr: ast.expr) -> str | None:
    """The class a constructor call builds: `models.Port` for `models.Port(**values)`."""
    if isinstance(expr, ast.Call) and _class_like(expr.func):
        return ast.unparse(expr.func)
    return None


def reads_by_name(function: ast.AST, words: Vocabulary) -> dict[str, list[Read]]:
    """Names assigned a read in `function` (`ref = query(M).first()`), each with its reads."""
    found: dict[str, list[Read]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            read = read_of(node.value, words)
            if read is not None:
                found.setdefault(node.targets[0].id, []).append(read)
    return found


def guarded(function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> bool:
    """A retrying decorator on `function`, or a handler in it for a duplicate-row error."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ctx.api(target, "db-race-guard") is not None:
            return True
    errors = frozenset(e.name for e in ctx.models.entries if e.kind == "db-race-guard")
    todo: list[ast.AST] = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.ExceptHandler) and node.type is not None and catches(node, ctx, errors):
            return True
        todo.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, _FUNCTIONS))
    return False
