"""Resource lifecycle: what the file creates or adds, and where it deletes or removes it.

Network resources are paired by kind across the file (a namespace created in one method is
deleted in another); `resource-open` handles (files, sockets, processes) are followed within
the function that opens them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.findings import Observation
from scrutiny.observations.common import lines_phrase, note
from scrutiny.observations.facts import Facts, own_nodes
from scrutiny.observations.firewall import is_plural
from scrutiny.observations.network import Op

CATEGORY = "resource-lifecycle"
_MAKE, _UNMAKE = ("create", "add"), ("delete", "remove")


def observe(facts: Facts, ops: list[Op]) -> Iterator[Observation]:
    kinds: dict[str, tuple[list[Op], list[Op]]] = {}
    for op in ops:
        if op.verb in _MAKE or op.verb in _UNMAKE:
            made, unmade = kinds.setdefault(_singular(op.resource), ([], []))
            (made if op.verb in _MAKE else unmade).append(op)
    for resource, (made, unmade) in kinds.items():
        first = f"created at {lines_phrase(o.line for o in made)}" if made else "not created in this file"
        then = f"removed at {lines_phrase(o.line for o in unmade)}" if unmade else "not removed in this file"
        yield note(CATEGORY, [o.line for o in (*made, *unmade)], f"{resource}: {first}; {then}.")
    yield from _handles(facts)


def _singular(resource: str) -> str:
    return resource[:-1] if is_plural(resource) else resource


def _handles(facts: Facts) -> Iterator[Observation]:
    in_with = {id(n.context_expr) for n in ast.walk(facts.source.tree) if isinstance(n, ast.withitem)}
    targets = {
        id(n.value): n.targets[0].id
        for n in ast.walk(facts.source.tree)
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
    }
    for call in facts.calls:
        row = facts.row("resource-open", call.func)
        if row is None:
            continue
        code = facts.text(call, 70)
        if id(call) in in_with:
            yield note(
                CATEGORY, [call.lineno], f"`{code}` is opened in a `with` block, released when it ends."
            )
            continue
        name = targets.get(id(call))
        released = _released(facts, call, name, list(row.get("release", ()))) if name else []
        if released:
            text = f"`{code}` is released at {lines_phrase(released)}"
            text += "" if _in_finally(facts, call, released) else " (not on every error path)"
            yield note(CATEGORY, [call.lineno, *released], text + ".")
        else:
            yield note(CATEGORY, [call.lineno], f"`{code}` is not released in the function that opens it.")


def _released(facts: Facts, call: ast.Call, name: str, methods: list[str]) -> list[int]:
    scope = facts.function(call)
    body = scope.body if scope is not None else facts.source.tree.body
    found = []
    for node in (n for stmt in body for n in own_nodes(stmt)):
        func = node.func if isinstance(node, ast.Call) else None
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if isinstance(receiver, ast.Name) and receiver.id == name and func.attr in methods:  # type: ignore[union-attr]
            found.append(func.lineno)  # type: ignore[union-attr]
    return found


def _in_finally(facts: Facts, call: ast.Call, released: list[int]) -> bool:
    for node in ast.walk(facts.source.tree):
        if isinstance(node, ast.Try) and node.finalbody:
            first, last = node.finalbody[0].lineno, node.finalbody[-1].end_lineno or 0
            if any(first <= line <= last for line in released):
                return True
    return False
