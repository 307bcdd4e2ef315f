"""What an `if` test proves about the names it checks, on each branch."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from scrutiny.engine.scopes import BindingKind
from scrutiny.engine.taint import frameworks as fw
from scrutiny.engine.taint.ir import PARTIAL

if TYPE_CHECKING:
    from scrutiny.engine.taint.local import FunctionAnalysis

Effects = dict[str, frozenset[str]]
ALL = frozenset({"*"})


def guard_effects(analysis: FunctionAnalysis, test: ast.expr) -> tuple[Effects, Effects]:
    """(cleared on the branch where `test` is true, cleared where it is false)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        passed, failed = guard_effects(analysis, test.operand)
        return failed, passed
    if isinstance(test, ast.BoolOp):
        parts = [guard_effects(analysis, v) for v in test.values]
        if isinstance(test.op, ast.And):  # all passed on the true branch
            return _merge(p for p, _ in parts), {}
        return {}, _merge(f for _, f in parts)  # `or`: all failed on the false branch
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compare(analysis, test)
    if isinstance(test, ast.Call):
        return _call_guard(analysis, test), {}
    return {}, {}


def _merge(effects: object) -> Effects:
    out: Effects = {}
    for effect in effects:  # type: ignore[attr-defined]
        for name, kinds in effect.items():
            out[name] = out.get(name, frozenset()) | kinds
    return out


def _compare(analysis: FunctionAnalysis, test: ast.Compare) -> tuple[Effects, Effects]:
    op, right = test.ops[0], test.comparators[0]
    left = test.left
    if isinstance(left, ast.Call):  # os.path.commonpath([base, p]) == base
        effects = _call_guard(analysis, left)
        if isinstance(right, ast.Constant) and right.value is None:  # re.fullmatch(...) is not None
            passes = isinstance(op, ast.IsNot | ast.NotEq)
            fails = isinstance(op, ast.Is | ast.Eq)
        else:
            passes, fails = isinstance(op, ast.Eq), isinstance(op, ast.NotEq)
        return (effects, {}) if passes else ({}, effects) if fails else ({}, {})
    if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.Name):  # `"\n" in value`
        rejected = _rejects(analysis, left, right.id)
        if rejected:
            return ({}, rejected) if isinstance(op, ast.In) else (rejected, {})
    if not isinstance(left, ast.Name):
        return {}, {}
    if isinstance(op, ast.In | ast.NotIn) and _constant_collection(analysis, right):
        effect = {left.id: ALL}
        return (effect, {}) if isinstance(op, ast.In) else ({}, effect)
    if isinstance(op, ast.Eq | ast.NotEq) and isinstance(analysis.ctx.const(right), str | int):
        effect = {left.id: ALL}
        return (effect, {}) if isinstance(op, ast.Eq) else ({}, effect)
    return {}, {}


def _rejects(analysis: FunctionAnalysis, needle: ast.expr, name: str) -> Effects:
    """`"\n" in value` is false: the value holds no line break (`guard = "rejects"` rows say which
    substrings prove what)."""
    row = analysis.ctx.models.lookup("sanitizer", "str.__contains__")
    if row is None or row.get("guard") != "rejects":
        return {}
    if analysis.ctx.const(needle) not in row.get("needles", ()):
        return {}
    return {name: ALL if row.kind == "all" else frozenset({row.kind})}


def _constant_collection(analysis: FunctionAnalysis, node: ast.expr) -> bool:
    """A literal list/tuple/set/dict of constants, directly or through a constant name."""
    if isinstance(node, ast.Name):
        binding = analysis.ctx.binding(node.id)
        if binding is None or binding.kind is not BindingKind.ASSIGN or binding.value is None:
            return False
        node = binding.value
        if isinstance(node, ast.Call) and analysis.ctx.call_name(node) in (
            "builtins.frozenset",
            "builtins.set",
        ):
            node = node.args[0] if node.args else node
    if isinstance(node, ast.Dict):
        return all(k is not None and analysis.ctx.is_literal(k) for k in node.keys)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(analysis.ctx.is_literal(e) for e in node.elts)
    return False


def _call_guard(analysis: FunctionAnalysis, call: ast.Call) -> Effects:
    entry = fw.sanitizer(analysis.ctx, call)
    if entry is None or not entry.get("guard"):
        return {}
    checked = _checked(call, entry.args, entry.get("method", False))
    mode = entry.get("guard")
    kinds = ALL if entry.kind == "all" else frozenset({entry.kind})
    out: Effects = {}
    for name in checked:
        if mode == "partial":
            out[name] = frozenset({PARTIAL})
        elif mode == "normalized":
            taint = analysis.env.get(name, {})
            if taint and all("path-normalize" in cleared for _, cleared in taint):
                out[name] = kinds
        else:
            out[name] = kinds
    return out


def _checked(call: ast.Call, positions: tuple[int, ...], method: bool) -> list[str]:
    if method and isinstance(call.func, ast.Attribute):
        return [call.func.value.id] if isinstance(call.func.value, ast.Name) else []
    nodes: list[ast.expr] = (
        [call.args[p] for p in positions if p < len(call.args)] if positions else list(call.args)
    )
    names: list[str] = []
    for node in nodes:
        elements = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
        names += [e.id for e in elements if isinstance(e, ast.Name)]
    return names
