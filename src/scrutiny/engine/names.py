"""Qualified names and constant folding over the current scope stack.

Rules never split dotted strings: they ask for the qualified name of an expression
(`sp.call` -> `subprocess.call`) and compare it with names from the models.
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Any, Final

from scrutiny.engine.scopes import Binding, BindingKind, Scope, lookup

_BUILTINS: Final = frozenset(dir(builtins))
_MAX_DEPTH: Final = 12  # folding through aliases of aliases stops here; deeper is "unknown"


class _Unknown:
    """The value of an expression that cannot be known without running code."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Final = _Unknown()


def qualified_name(stack: list[Scope], expr: ast.expr, depth: int = 0) -> str | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, ast.Name):
        binding = lookup(stack, expr.id)
        if binding is None:
            return f"builtins.{expr.id}" if expr.id in _BUILTINS else None
        return _binding_qualname(stack, binding, depth)
    if isinstance(expr, ast.Attribute):
        base = qualified_name(stack, expr.value, depth + 1)
        return None if base is None else f"{base}.{expr.attr}"
    return None


def _binding_qualname(stack: list[Scope], binding: Binding, depth: int) -> str | None:
    if binding.qualname is not None:
        return binding.qualname
    if binding.kind is BindingKind.ASSIGN and isinstance(binding.value, ast.Name | ast.Attribute):
        # `sp = subprocess`: an alias. Guard against `x = x.y` referring to itself.
        if isinstance(binding.value, ast.Name) and binding.value.id == binding.name:
            return None
        return qualified_name(stack, binding.value, depth + 1)
    return None


def fold(stack: list[Scope], expr: ast.expr | None, depth: int = 0) -> Any:
    """The value of `expr` if it is made only of literals and constants, else UNKNOWN."""
    if expr is None or depth > _MAX_DEPTH:
        return UNKNOWN
    if isinstance(expr, ast.Constant):
        return expr.value
    if isinstance(expr, ast.Name):
        binding = lookup(stack, expr.id)
        if binding is None or binding.kind is not BindingKind.ASSIGN or binding.value is None:
            return UNKNOWN
        if isinstance(binding.value, ast.Name) and binding.value.id == expr.id:
            return UNKNOWN
        return fold(stack, binding.value, depth + 1)
    if isinstance(expr, ast.JoinedStr):
        return _fold_fstring(stack, expr, depth)
    if isinstance(expr, ast.BinOp):
        return _fold_binop(stack, expr, depth)
    if isinstance(expr, ast.List | ast.Tuple | ast.Set):
        items = [fold(stack, e, depth + 1) for e in expr.elts]
        if any(i is UNKNOWN for i in items):
            return UNKNOWN
        return tuple(items) if isinstance(expr, ast.Tuple) else list(items)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub | ast.UAdd | ast.Invert):
        operand = fold(stack, expr.operand, depth + 1)
        if isinstance(operand, int | float) and not isinstance(operand, bool):
            if isinstance(expr.op, ast.USub):
                return -operand
            if isinstance(expr.op, ast.Invert) and isinstance(operand, int):
                return ~operand
            return operand
    return UNKNOWN


def _fold_fstring(stack: list[Scope], expr: ast.JoinedStr, depth: int) -> Any:
    parts: list[str] = []
    for value in expr.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
        elif isinstance(value, ast.FormattedValue) and value.format_spec is None and value.conversion == -1:
            inner = fold(stack, value.value, depth + 1)
            if not isinstance(inner, str | int):
                return UNKNOWN
            parts.append(str(inner))
        else:
            return UNKNOWN
    return "".join(parts)


# A width or precision of four or more digits (or `*`) could make `%` folding allocate gigabytes.
_HUGE_FORMAT: Final = re.compile(r"%[-#0 +]*(?:\d{4,}|\*)|%[-#0 +]*\d*\.(?:\d{4,}|\*)")
_SAFE_OPS: Final = (ast.Add, ast.Mult, ast.BitOr, ast.BitAnd, ast.Sub, ast.LShift)


def _fold_binop(stack: list[Scope], expr: ast.BinOp, depth: int) -> Any:
    left = fold(stack, expr.left, depth + 1)
    right = fold(stack, expr.right, depth + 1)
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    try:
        if (
            isinstance(expr.op, ast.Add)
            and type(left) is type(right)
            and isinstance(left, str | bytes | list | tuple)
        ):
            return left + right
        if isinstance(expr.op, ast.Mod) and isinstance(left, str) and not _HUGE_FORMAT.search(left):
            return left % right
        if isinstance(expr.op, _SAFE_OPS) and _small_ints(left, right):
            return _arith(expr.op, left, right)
    except (TypeError, ValueError, KeyError):
        return UNKNOWN
    return UNKNOWN


def _small_ints(left: Any, right: Any) -> bool:
    # Bounded so a hostile `2 << 10**9` in reviewed code cannot make folding explode.
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    return ints and abs(left) < 2**64 and abs(right) < 2**16


def _arith(op: ast.operator, left: int, right: int) -> int:
    if isinstance(op, ast.Add):
        return left + right
    if isinstance(op, ast.Sub):
        return left - right
    if isinstance(op, ast.Mult):
        return left * right
    if isinstance(op, ast.BitOr):
        return left | right
    if isinstance(op, ast.BitAnd):
        return left & right
    return left << right
