"""What the race, resource, crash and fail-open rules share: vocabularies, statement lists, handlers.

Vocabularies are rows of `models/lifecycle.toml` named `lifecycle-vocabulary.*`; names are
split into lower-case words the way SCR803 splits them (`verifySignature` -> verify, signature).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any, Final

from scrutiny.engine.context import Context

_WORD: Final = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_LOGGERS: Final = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
# Exceptions that mean "the file system said no": a handler for one of them handles a lost race.
OS_ERRORS: Final = frozenset(
    f"builtins.{n}"
    for n in [
        "OSError",
        "IOError",
        "EnvironmentError",
        "FileExistsError",
        "FileNotFoundError",
        "PermissionError",
        "IsADirectoryError",
        "NotADirectoryError",
        "Exception",
        "BaseException",
    ]
)


def words(name: str) -> set[str]:
    """`verify_signature`, `verifySignature` -> {verify, signature}."""
    return {w.lower() for w in _WORD.findall(name)}


def vocabulary(ctx: Context, row: str, key: str = "words") -> frozenset[str]:
    entry = ctx.models.lookup("api", f"lifecycle-vocabulary.{row}")
    value: Any = entry.get(key, []) if entry is not None else []
    return frozenset(str(v) for v in value)


def last_name(expr: ast.expr) -> str | None:
    """`close` for `f.close`, `open` for `open`."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


def same(a: ast.AST | None, b: ast.AST | None) -> bool:
    """The same expression, whether stored or loaded (`f = ...` and `f.close()`)."""
    return a is not None and b is not None and type(a) is type(b) and ast.unparse(a) == ast.unparse(b)


def is_logging(call: ast.Call) -> bool:
    """`LOG.warning(...)`, `logging.error(...)`, `self.log.info(...)`."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in _LOGGERS


def calls(node: ast.AST) -> Iterator[ast.Call]:
    """Calls in `node`, not counting those in nested functions, classes or lambdas."""
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Call):
            yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
                todo.append(child)


def can_raise(stmt: ast.stmt) -> ast.Call | None:
    """The first call in `stmt` that can raise (logging calls aside); None for a guarded `try`."""
    if isinstance(stmt, ast.Try | ast.TryStar) and any(h.type is None for h in stmt.handlers):
        return None
    found = sorted((c for c in calls(stmt) if not is_logging(c)), key=lambda c: (c.lineno, c.col_offset))
    return found[0] if found else None


def statement_of(node: ast.AST, ctx: Context) -> ast.stmt | None:
    """The innermost statement holding the current node (the node itself if it is one)."""
    if isinstance(node, ast.stmt):
        return node
    return next((p for p in ctx.ancestors() if isinstance(p, ast.stmt)), None)


def containing_list(stmt: ast.stmt, ctx: Context) -> tuple[list[ast.stmt], int] | None:
    """The statement list `stmt` (the current node or one of its ancestors) is in, and its index."""
    for parent in ctx.ancestors():
        for field in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(parent, field, None)
            if isinstance(value, list) and stmt in value:
                return value, value.index(stmt)
    return None


def catches(handler: ast.ExceptHandler, ctx: Context, names: frozenset[str]) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        name = ctx.qualified_name(t)
        if name in names or (name is None and last_name(t) in {n.rsplit(".", 1)[-1] for n in names}):
            return True
    return False


def handles(try_: ast.Try | ast.TryStar, child: ast.AST, ctx: Context, names: frozenset[str]) -> bool:
    return child in try_.body and any(catches(h, ctx, names) for h in try_.handlers)


def in_try_body(node: ast.AST, ctx: Context, names: frozenset[str]) -> bool:
    """`node` sits in the body of a `try` (in this function) with a handler for one of `names`."""
    child = node
    for parent in ctx.ancestors():
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return False
        if isinstance(parent, ast.Try | ast.TryStar) and handles(parent, child, ctx, names):
            return True
        child = parent
    return False
