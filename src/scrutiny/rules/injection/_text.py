"""The text of string-building expressions, shared by the injection rules.

`literal` folds a little further than `ctx.const`: literal `str` methods (`"{}".format(1)`,
`",".join(["a"])`) have a known value too. `template` gives the text an expression builds,
with `MARK` for every part known only at run time, so a rule can look at the fixed text
(`SELECT ... FROM`, `chown ... *`) while knowing where run-time values land. Values that
cannot carry an injection (numbers, sanitised values) count as fixed text.
"""

from __future__ import annotations

import ast
import re
import string
from typing import Any, Final

from scrutiny.engine.context import Context
from scrutiny.engine.names import UNKNOWN
from scrutiny.engine.scopes import BindingKind

MARK: Final = "\x00"  # stands for a value known only at run time
_NUMBER: Final = "0"  # stands for a run-time value that can only be a number
_MAX_DEPTH: Final = 8
_STR_METHODS: Final = frozenset({"format", "replace", "join", "upper", "lower", "strip"})
_NUMERIC: Final = frozenset("diouxXeEfFgGn%b")
# %-conversions: optional mapping key, flags, width, precision, length, then the type.
_PERCENT: Final = re.compile(r"%(\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)", re.S)
_BIG_WIDTH: Final = re.compile(r"\d{4,}")  # `"{:>99999999}".format(1)` must not fold


def literal(expr: ast.expr | None, ctx: Context, depth: int = 0) -> Any:
    """The value of `expr` if it is fixed in the source, else `UNKNOWN`."""
    value = ctx.const(expr)
    if value is not UNKNOWN or depth > _MAX_DEPTH or not isinstance(expr, ast.Call):
        return value
    func = expr.func
    if not isinstance(func, ast.Attribute) or func.attr not in _STR_METHODS:
        return UNKNOWN
    receiver = literal(func.value, ctx, depth + 1)
    args = [literal(a, ctx, depth + 1) for a in expr.args]
    kwargs = {k.arg: literal(k.value, ctx, depth + 1) for k in expr.keywords if k.arg is not None}
    if not isinstance(receiver, str) or UNKNOWN in args or UNKNOWN in kwargs.values():
        return UNKNOWN
    if len(kwargs) < len(expr.keywords) or any(isinstance(a, ast.Starred) for a in expr.args):
        return UNKNOWN
    if func.attr == "format" and _BIG_WIDTH.search(receiver):
        return UNKNOWN
    try:
        return getattr(receiver, func.attr)(*args, **kwargs)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return UNKNOWN


def is_safe(expr: ast.expr | None, ctx: Context, kind: str = "all") -> bool:
    """Whether `expr` is fixed, or converted to a value that carries no injection of `kind`."""
    if expr is None:
        return False
    if literal(expr, ctx) is not UNKNOWN:
        return True
    if isinstance(expr, ast.Call):
        name = ctx.call_name(expr)
        return any(ctx.models.lookup("sanitizer", name, k) is not None for k in {"all", kind})
    return False


def template(expr: ast.expr | None, ctx: Context, kind: str = "all", depth: int = 0) -> str:
    """The text `expr` builds, with `MARK` for the parts known only at run time."""
    if expr is None or depth > _MAX_DEPTH:
        return MARK
    value = literal(expr, ctx)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) or is_safe(expr, ctx, kind):
        return _NUMBER
    if isinstance(expr, ast.Name):
        return _name(expr, ctx, kind, depth)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return template(expr.left, ctx, kind, depth + 1) + template(expr.right, ctx, kind, depth + 1)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        return _percent(expr, ctx, kind, depth + 1)
    if isinstance(expr, ast.JoinedStr):
        return "".join(_fstring_part(v, ctx, kind, depth + 1) for v in expr.values)
    if isinstance(expr, ast.Call) and ctx.call_name(expr) == "builtins.str" and len(expr.args) == 1:
        return template(expr.args[0], ctx, kind, depth + 1)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr == "format":
            return _format(expr, ctx, kind, depth + 1)
        if expr.func.attr == "replace":
            fixed = all(is_safe(a, ctx, kind) for a in expr.args)
            return template(expr.func.value, ctx, kind, depth + 1) + ("" if fixed else MARK)
        if expr.func.attr == "join" and _placeholders(expr, ctx):
            return "?"
    return MARK


def _name(expr: ast.Name, ctx: Context, kind: str, depth: int) -> str:
    """A variable assigned only fixed text (placeholders, numbers) stands for that text.

    Variables holding run-time text stay `MARK`: the text they hold is reported where built.
    """
    binding = ctx.binding(expr.id)
    if binding is None or binding.kind is not BindingKind.ASSIGN or binding.value is None:
        return MARK
    text = template(binding.value, ctx, kind, depth + 1)
    return MARK if MARK in text else text


def _fstring_part(value: ast.expr, ctx: Context, kind: str, depth: int) -> str:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    if isinstance(value, ast.FormattedValue):
        spec = literal(value.format_spec, ctx) if value.format_spec else ""
        if isinstance(spec, str) and spec[-1:] in _NUMERIC and spec[-1:] != "%":
            return _NUMBER  # `{n:d}` raises unless `n` is a number
        if value.conversion in (-1, ord("s")):
            return template(value.value, ctx, kind, depth)
    return MARK


def _percent(expr: ast.BinOp, ctx: Context, kind: str, depth: int) -> str:
    fmt = literal(expr.left, ctx)
    if not isinstance(fmt, str):
        tail = "" if is_safe(expr.right, ctx, kind) else MARK
        return template(expr.left, ctx, kind, depth) + tail
    values = expr.right.elts if isinstance(expr.right, ast.Tuple) else [expr.right]
    out: list[str] = []
    index = pos = 0
    for match in _PERCENT.finditer(fmt):
        out.append(fmt[pos : match.start()])
        pos = match.end()
        conversion = match.group(2)
        if conversion == "%":
            out.append("%")
            continue
        value = values[index] if match.group(1) is None and index < len(values) else None
        index += 1
        numeric = conversion in _NUMERIC
        out.append(_NUMBER if numeric else template(value, ctx, kind, depth))
    out.append(fmt[pos:])
    return "".join(out)


def _format(call: ast.Call, ctx: Context, kind: str, depth: int) -> str:
    assert isinstance(call.func, ast.Attribute)
    fmt = literal(call.func.value, ctx)
    if not isinstance(fmt, str):
        fixed = all(is_safe(a, ctx, kind) for a in [*call.args, *(k.value for k in call.keywords)])
        return template(call.func.value, ctx, kind, depth) + ("" if fixed else MARK)
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    out: list[str] = []
    auto = 0
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return MARK
    for text, field, spec, _conversion in fields:
        out.append(text)
        if field is None:
            continue
        key = re.split(r"[.\[]", field, maxsplit=1)[0]
        value: ast.expr | None = None
        if key == "" and auto < len(call.args):
            value, auto = call.args[auto], auto + 1
        elif key.isdigit() and int(key) < len(call.args):
            value = call.args[int(key)]
        elif key:
            value = keywords.get(key)
        if isinstance(value, ast.Starred):
            value = None
        numeric = spec is not None and spec[-1:] in _NUMERIC and spec[-1:] not in ("", "%")
        out.append(_NUMBER if numeric else template(value, ctx, kind, depth))
    return "".join(out)


def _placeholders(call: ast.Call, ctx: Context) -> bool:
    """`", ".join(["%s"] * len(ids))` and kin: a list of fixed placeholders, sized at run time."""
    assert isinstance(call.func, ast.Attribute)
    if len(call.args) != 1 or not isinstance(literal(call.func.value, ctx), str):
        return False
    items = call.args[0]
    if isinstance(items, ast.BinOp) and isinstance(items.op, ast.Mult):
        # `[lit] * n` or `lit * n`: copies of a fixed sequence, whatever `n` is.
        return any(isinstance(literal(o, ctx), str | list | tuple) for o in (items.left, items.right))
    if isinstance(items, ast.ListComp | ast.GeneratorExp):
        return literal(items.elt, ctx) is not UNKNOWN
    return False


def is_constant(expr: ast.expr | None, ctx: Context, depth: int = 0) -> bool:
    """Whether `expr` is fixed, containers and `dict(...)` of fixed values included."""
    if expr is None or depth > _MAX_DEPTH:
        return False
    if literal(expr, ctx) is not UNKNOWN:
        return True
    if isinstance(expr, ast.List | ast.Tuple | ast.Set):
        return all(is_constant(e, ctx, depth + 1) for e in expr.elts)
    if isinstance(expr, ast.Dict):
        parts = [*expr.keys, *expr.values]
        return all(p is not None and is_constant(p, ctx, depth + 1) for p in parts)
    if isinstance(expr, ast.Call) and ctx.call_name(expr) == "builtins.dict":
        parts = [*expr.args, *(k.value for k in expr.keywords)]
        named = all(k.arg is not None for k in expr.keywords)
        return named and all(is_constant(p, ctx, depth + 1) for p in parts)
    if isinstance(expr, ast.Name):
        binding = ctx.binding(expr.id)
        if binding is not None and binding.kind is BindingKind.ASSIGN and binding.value is not None:
            return is_constant(binding.value, ctx, depth + 1)
    return False
