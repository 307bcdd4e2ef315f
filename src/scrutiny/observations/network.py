"""Which calls change the host network: firewall rules, namespaces, devices, addresses, routes.

A call is an operation when its qualified name is a `network-op` row, or when it is a method of
a `network-object` class and the receiver is known to hold one: created in this file
(`self.snat_namespace = dvr_snat_ns.SnatNamespace(...)`), a rule table of such an object
(`manager.ipv4['nat']`), or an attribute whose name the row lists (`self.driver`), in which case
the operation remembers it was judged by name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from scrutiny.engine.model import Entry
from scrutiny.observations.facts import Facts

MUTATING = frozenset({"create", "delete", "add", "remove", "change", "apply", "send"})


@dataclass(frozen=True, slots=True)
class Op:
    call: ast.Call
    verb: str  # create | delete | add | remove | change | apply | batch | query | send
    resource: str
    subject: str  # what it acts on: the receiver's code, or the function's for module functions
    callee: str  # the called code (`self.driver.unplug`)
    by_name: str | None = None  # the receiver, when its type was inferred from its name only
    table: str | None = None  # `nat` for `manager.ipv4['nat'].add_rule`

    @property
    def line(self) -> int:
        return self.call.lineno


@dataclass(frozen=True, slots=True)
class Holder:
    """A name or attribute this file assigns an instance of a `network-object` class to."""

    row: Entry
    line: int
    target: str
    call: ast.Call


def holders(facts: Facts) -> dict[tuple[int, str], Holder]:
    """(scope id, `self.x` or `x`) -> the instance assigned there; `self.x` is class-wide."""
    found: dict[tuple[int, str], Holder] = {}
    for node in ast.walk(facts.source.tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        row = facts.models.lookup("api", facts.qualname(node.value.func), "network-object")
        if row is None:
            continue
        for target in node.targets:
            key = holder_key(target, node.value, facts)
            if key is not None and key not in found:
                found[key] = Holder(row, node.lineno, facts.text(target), node.value)
    return found


def holder_key(expr: ast.expr, where: ast.AST, facts: Facts) -> tuple[int, str] | None:
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
        cls = facts.cls(where)
        return (id(cls), f"self.{expr.attr}") if cls is not None else None
    if isinstance(expr, ast.Name):
        return (id(facts.function(where)), expr.id)
    return None


def operations(facts: Facts) -> list[Op]:
    held = holders(facts)
    by_receiver = {
        name: row for row in facts.models.all("api", "network-object") for name in row.get("receivers", ())
    }
    ops: list[Op] = []
    for call in facts.calls:
        op = _function_op(call, facts) or _method_op(call, facts, held, by_receiver)
        if op is not None:
            ops.append(op)
    return ops


def _function_op(call: ast.Call, facts: Facts) -> Op | None:
    row = facts.models.lookup("api", facts.qualname(call.func), "network-op")
    if row is None:
        return None
    verb, _, resource = str(row.get("op")).partition(":")
    callee = facts.text(call.func)
    return Op(call, verb, resource, callee, callee)


def _method_op(
    call: ast.Call, facts: Facts, held: dict[tuple[int, str], Holder], by_receiver: dict[str, Entry]
) -> Op | None:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    receiver = func.value
    table = _table(receiver, facts)
    if table is not None:
        owner, name = table
        typed = _typed(owner, call, facts, held, by_receiver)
        methods = typed[0].get("table_methods", {}) if typed else {}
        if typed is None or func.attr not in methods or name[0] not in typed[0].get("tables", ()):
            return None
        op = str(methods[func.attr])
        by_name, label = typed[1], name[1]
    else:
        typed = _typed(receiver, call, facts, held, by_receiver)
        if typed is None or func.attr not in typed[0].get("methods", {}):
            return None
        op, by_name, label = str(typed[0].get("methods")[func.attr]), typed[1], None
    verb, _, resource = op.partition(":")
    return Op(call, verb, resource, facts.text(receiver), facts.text(func), by_name, label)


def _table(expr: ast.expr, facts: Facts) -> tuple[ast.expr, tuple[str, str | None]] | None:
    """`manager.ipv4['nat']` -> (manager, ('ipv4', 'nat'))."""
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute):
        key = expr.slice
        name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
        return expr.value.value, (expr.value.attr, name)
    return None


def _typed(
    expr: ast.expr,
    where: ast.AST,
    facts: Facts,
    held: dict[tuple[int, str], Holder],
    by_receiver: dict[str, Entry],
) -> tuple[Entry, str | None] | None:
    if isinstance(expr, ast.Call):  # `ip_lib.IPDevice(name).exists()`
        row = facts.models.lookup("api", facts.qualname(expr.func), "network-object")
        return (row, None) if row is not None else None
    key = holder_key(expr, where, facts)
    holder = held.get(key) if key is not None else None
    if holder is None and isinstance(expr, ast.Name):
        holder = held.get((id(None), expr.id))  # a module-level instance
    if holder is not None:
        return holder.row, None
    last = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None
    row = by_receiver.get(last) if last is not None else None
    return (row, facts.text(expr)) if row is not None else None


def keyword_text(call: ast.Call, name: str, facts: Facts) -> str | None:
    for kw in call.keywords:
        if kw.arg == name:
            return facts.text(kw.value, 50)
    return None


def grouped(ops: list[Op]) -> Iterator[tuple[tuple[str, str, str], list[Op]]]:
    """Operations with the same callee and meaning, in order of first appearance."""
    groups: dict[tuple[str, str, str], list[Op]] = {}
    for op in ops:
        groups.setdefault((op.callee, op.verb, op.resource), []).append(op)
    yield from groups.items()
