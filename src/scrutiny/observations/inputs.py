"""Input handling: where external data enters (model sources), and where the values that reach
firewall rules and privileged calls come from, followed back within the file, and whether any
step validates them (a sanitizer or a parsing call such as `netaddr.IPAddress`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from scrutiny.findings import Observation
from scrutiny.observations.common import lines_phrase, listing, note
from scrutiny.observations.facts import Facts, Function, own_nodes
from scrutiny.observations.firewall import is_rule_change
from scrutiny.observations.network import Op

CATEGORY = "input-handling"
_DEPTH = 6


@dataclass(slots=True)
class Trail:
    origins: list[str] = field(default_factory=list)  # `fip['fixed_ip_address']`, parameter `x`
    lines: list[int] = field(default_factory=list)
    formatted: list[int] = field(default_factory=list)  # where values are formatted into text
    helpers: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)  # parameters of the calling function
    validated: list[str] = field(default_factory=list)


def observe(facts: Facts, ops: list[Op]) -> Iterator[Observation]:
    yield from _sources(facts)
    for op in ops:
        if not is_rule_change(op) or all(facts.literal(a) for a in op.call.args):
            continue
        trail = Trail()
        for arg in op.call.args:
            _trace(arg, facts.function(op.call), facts, trail, 0)
        yield _say(op, trail)


def _sources(facts: Facts) -> Iterator[Observation]:
    seen: dict[str, list[int]] = {}
    for node in ast.walk(facts.source.tree):
        if isinstance(node, ast.Name | ast.Attribute):
            row = facts.models.lookup("source", facts.qualname(node))
            if row is not None and not row.get("entrypoint"):
                seen.setdefault(f"`{facts.text(node)}` is a source of `{row.kind}` data", []).append(
                    node.lineno
                )
    for what, lines in seen.items():
        yield note(CATEGORY, lines, f"{what}.")


def _say(op: Op, trail: Trail) -> Observation:
    text = f"`{op.callee}` (line {op.line}) gets computed arguments"
    if trail.helpers:
        text += f" built by {listing(trail.helpers)}"
    if trail.formatted:
        text += f", formatted into text at {lines_phrase(trail.formatted)}"
    sources = [listing(trail.origins)] if trail.origins else []
    if trail.params:
        sources.append(f"parameter{'s' if len(set(trail.params)) > 1 else ''} {listing(trail.params)}")
    if sources:
        text += ", from " + " and ".join(sources)
    checked = f"validated by {listing(trail.validated)}" if trail.validated else "not validated in this file"
    return note(CATEGORY, [op.line, *trail.lines, *trail.formatted], f"{text}; {checked}.")


def _trace(expr: ast.expr | None, fn: Function | None, facts: Facts, trail: Trail, depth: int) -> None:
    if expr is None or depth > _DEPTH or isinstance(expr, ast.Constant):
        return
    if isinstance(expr, ast.Name):
        _trace_name(expr, fn, facts, trail, depth)
    elif isinstance(expr, ast.Subscript | ast.Attribute):
        trail.origins.append(facts.text(expr, 40))
        trail.lines.append(expr.lineno)
    elif isinstance(expr, ast.Call):
        _trace_call(expr, fn, facts, trail, depth)
    elif isinstance(expr, ast.BinOp | ast.JoinedStr):
        trail.formatted.append(expr.lineno)
        for part in ast.iter_child_nodes(expr):
            if isinstance(part, ast.expr):
                _trace(part, fn, facts, trail, depth + 1)
    elif isinstance(expr, ast.FormattedValue):
        _trace(expr.value, fn, facts, trail, depth + 1)
    elif isinstance(expr, ast.Tuple | ast.List):
        for element in expr.elts:
            _trace(element, fn, facts, trail, depth + 1)


def _trace_name(expr: ast.Name, fn: Function | None, facts: Facts, trail: Trail, depth: int) -> None:
    if fn is None:
        return
    params = {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}
    if expr.id in params:
        trail.params.append(expr.id)
        return
    for node in (n for stmt in fn.body for n in own_nodes(stmt)):
        if isinstance(node, ast.Assign) and any(_binds(t, expr.id) for t in node.targets):
            _trace(node.value, fn, facts, trail, depth + 1)
        elif isinstance(node, ast.For) and _binds(node.target, expr.id):
            _trace(node.iter, fn, facts, trail, depth + 1)


def _binds(target: ast.expr, name: str) -> bool:
    if isinstance(target, ast.Name):
        return target.id == name
    if isinstance(target, ast.Tuple | ast.List):
        return any(_binds(t, name) for t in target.elts)
    return False


def _trace_call(call: ast.Call, fn: Function | None, facts: Facts, trail: Trail, depth: int) -> None:
    name = facts.qualname(call.func)
    if facts.models.lookup("sanitizer", name) or facts.models.lookup("api", name, "input-parse"):
        trail.validated.append(facts.text(call.func))
        trail.lines.append(call.lineno)
        return
    func = call.func
    helper = _method(facts, fn, func)
    if helper is not None:
        made = [n.lineno for n in ast.walk(helper) if isinstance(n, ast.expr) and _formats(n)]
        trail.helpers.append(f"self.{helper.name}")
        trail.formatted.extend(made)
        trail.lines.append(call.lineno)
    elif isinstance(func, ast.Attribute) and func.attr == "format":
        trail.formatted.append(call.lineno)
        _trace(func.value, fn, facts, trail, depth + 1)
    else:
        trail.origins.append(f"{facts.text(func, 40)}(…)")
        trail.lines.append(call.lineno)
        return
    for arg in call.args:
        _trace(arg, fn, facts, trail, depth + 1)


def _method(facts: Facts, fn: Function | None, func: ast.expr) -> Function | None:
    """The method of this class that `self.name` calls, when the class defines it."""
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"):
        return None
    cls = facts.class_of.get(id(fn)) if fn is not None else None
    for item in cls.body if cls is not None else ():
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == func.attr:
            return item
    return None


def _formats(node: ast.AST) -> bool:
    """A string built from values: `%`, `+` with a literal string, an f-string, `.format`."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
    func = node.func if isinstance(node, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant)
