"""What the file rules share: integer modes and flags, objects whose methods are called, paths.

The engine folds literals; file modes and open flags are mostly written with `stat.S_*` and
`os.O_*` names, so those are folded here from the values of the running interpreter's own
`stat` and `os` modules (the platform that reviews is the platform the values come from).
"""

from __future__ import annotations

import ast
import os
import stat
from dataclasses import dataclass
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.engine.scopes import BindingKind

_CONSTANTS: Final = {
    **{f"stat.{k}": v for k, v in vars(stat).items() if k.startswith("S_") and isinstance(v, int)},
    **{f"os.{k}": v for k, v in vars(os).items() if k.startswith("O_") and isinstance(v, int)},
}
_MAX_DEPTH: Final = 8


def bound_value(name: ast.Name, ctx: Context) -> ast.expr | None:
    """The expression `name` was last bound to: an assignment, or the `with ... as name` item."""
    binding = ctx.binding(name.id)
    if binding is None:
        return None
    if binding.kind is BindingKind.ASSIGN:
        return binding.value
    if binding.kind is BindingKind.OTHER:
        for node in ctx.ancestors():  # inside the `with` body, the item is an ancestor's
            if isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    if item.optional_vars is binding.node:
                        return item.context_expr
    return None


def fold_int(expr: ast.expr | None, ctx: Context, depth: int = 0) -> int | None:
    """The integer value of `expr`, through `stat.S_*`/`os.O_*` names and `|`, `&`, `+`, `~`."""
    if expr is None or depth > _MAX_DEPTH:
        return None
    value = ctx.const(expr)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(expr, ast.Name | ast.Attribute):
        qualname = ctx.qualified_name(expr)
        if qualname in _CONSTANTS:
            return _CONSTANTS[qualname]
        if isinstance(expr, ast.Name):
            return fold_int(bound_value(expr, ctx), ctx, depth + 1)
        return None
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Invert):
        operand = fold_int(expr.operand, ctx, depth + 1)
        return None if operand is None else ~operand
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr | ast.BitAnd | ast.Add):
        left = fold_int(expr.left, ctx, depth + 1)
        right = fold_int(expr.right, ctx, depth + 1)
        if left is None or right is None:
            return None
        if isinstance(expr.op, ast.BitOr):
            return left | right
        return left & right if isinstance(expr.op, ast.BitAnd) else left + right
    return None


def object_type(expr: ast.expr, ctx: Context, depth: int = 0) -> str | None:
    """The class of the object `expr` evaluates to, when a `factory` model row says so."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, ast.Call):
        entry = ctx.api(expr.func, "factory")
        return None if entry is None else str(entry.get("returns"))
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):  # `Path(...) / "name"`
        left = object_type(expr.left, ctx, depth + 1)
        return left if left == "pathlib.Path" else None
    if isinstance(expr, ast.Name):
        value = bound_value(expr, ctx)
        return None if value is None else object_type(value, ctx, depth + 1)
    return None


def method_name(call: ast.Call, ctx: Context) -> str | None:
    """`os.chmod` for a function; `pathlib.Path.chmod` for `Path(p).chmod` or `p.chmod`."""
    name = ctx.call_name(call)
    if name is not None:
        return name
    if isinstance(call.func, ast.Attribute):
        owner = object_type(call.func.value, ctx)
        if owner is not None:
            return f"{owner}.{call.func.attr}"
    return None


@dataclass(frozen=True, slots=True)
class PathText:
    """The leading text of a path expression; `complete` when nothing follows it."""

    text: str
    complete: bool


def path_text(expr: ast.expr, ctx: Context, depth: int = 0) -> PathText | None:
    """What is known of the start of the path `expr` builds: literals, f-strings, joins."""
    if depth > _MAX_DEPTH:
        return None
    value = ctx.const(expr)
    if isinstance(value, str):
        return PathText(value, True)
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return PathText(first.value, False)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod | ast.Div):
        left = path_text(expr.left, ctx, depth + 1)
        if left is None:
            return None
        text = left.text.split("%", 1)[0] if isinstance(expr.op, ast.Mod) else left.text
        return PathText(text + "/" if isinstance(expr.op, ast.Div) else text, False)
    if isinstance(expr, ast.Name):
        bound = bound_value(expr, ctx)
        return None if bound is None else path_text(bound, ctx, depth + 1)
    if isinstance(expr, ast.Call):
        return _call_path_text(expr, ctx, depth)
    return None


def _call_path_text(call: ast.Call, ctx: Context, depth: int) -> PathText | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "format":  # "/tmp/{}".format(x)
        base = ctx.const(func.value)
        return PathText(base.split("{", 1)[0], False) if isinstance(base, str) else None
    joins = ("os.path.join", "posixpath.join")
    if not call.args or (ctx.call_name(call) not in joins and object_type(call, ctx) != "pathlib.Path"):
        return None
    first = path_text(call.args[0], ctx, depth + 1)
    if first is None or len(call.args) == 1:
        return first
    return PathText(first.text.rstrip("/") + "/", False)
