"""Helpers shared by the network rules: which call built an object, what a value is."""

from __future__ import annotations

import ast

from scrutiny.engine.context import Context, keyword
from scrutiny.engine.model import Entry
from scrutiny.engine.names import UNKNOWN
from scrutiny.engine.scopes import BindingKind


def constructed_by(expr: ast.expr, ctx: Context) -> ast.Call | None:
    """The call that built the object `expr` stands for: the call itself, the value of a
    simple assignment to the name, or the `with CALL as name` around the current node."""
    if isinstance(expr, ast.Call):
        return expr
    if not isinstance(expr, ast.Name):
        return None
    binding = ctx.binding(expr.id)
    if binding is None:
        return None
    if binding.kind is BindingKind.ASSIGN:
        return binding.value if isinstance(binding.value, ast.Call) else None
    if binding.kind is BindingKind.OTHER:
        for node in ctx.ancestors():
            if isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    # Identity, not name equality: the binding must come from this very item.
                    if item.optional_vars is binding.node and isinstance(item.context_expr, ast.Call):
                        return item.context_expr
    return None


def method_call(call: ast.Call, ctx: Context, kind: str) -> tuple[Entry, str] | None:
    """`(row, method)` when `call` is `obj.method(...)` on an object built by a class that
    the models list (of `kind`) with `method` among its `methods`."""
    if not isinstance(call.func, ast.Attribute):
        return None
    maker = constructed_by(call.func.value, ctx)
    if maker is None:
        return None
    entry = ctx.models.lookup("api", ctx.call_name(maker), kind)
    if entry is None or call.func.attr not in entry.get("methods", ()):
        return None
    return entry, call.func.attr


def is_none(expr: ast.expr | None, ctx: Context) -> bool:
    return expr is not None and ctx.const(expr) is None


def keyword_is(call: ast.Call, name: str, ctx: Context, values: list[object]) -> ast.expr | None:
    """The `name=` argument of `call` when it folds to one of `values` (compared by type too,
    so `0` never matches `False`)."""
    value = keyword(call, name)
    if value is None:
        return None
    folded = ctx.const(value)
    if folded is UNKNOWN:
        return None
    return value if any(type(folded) is type(v) and folded == v for v in values) else None


def literal_prefix(expr: ast.expr, ctx: Context) -> str | None:
    """The constant text a string expression starts with: all of a literal, the head of an
    f-string, a concatenation or a `%`/`.format` template; None when nothing is fixed."""
    folded = ctx.const(expr)
    if isinstance(folded, str):
        return folded
    if isinstance(expr, ast.JoinedStr):
        return _fstring_prefix(expr, ctx)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return literal_prefix(expr.left, ctx)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        head = literal_prefix(expr.left, ctx)
        return None if head is None else head.split("%", 1)[0]
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
        head = literal_prefix(expr.func.value, ctx)
        return None if head is None else head.split("{", 1)[0]
    return None


def _fstring_prefix(expr: ast.JoinedStr, ctx: Context) -> str:
    parts: list[str] = []
    for value in expr.values:
        if isinstance(value, ast.FormattedValue):
            if value.format_spec is not None or value.conversion != -1:
                break
            inner = ctx.const(value.value)
            if not isinstance(inner, str):
                break
            parts.append(inner)
        elif isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
    return "".join(parts)
