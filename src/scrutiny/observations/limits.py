"""Limits of this review, stated concretely: base classes and inherited methods defined
elsewhere, objects typed by their attribute's name only, calls whose target is computed at run
time, and the callers of the file's public functions, which are outside it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.findings import Observation
from scrutiny.observations.common import listing, note, plural
from scrutiny.observations.facts import Facts
from scrutiny.observations.network import Op

CATEGORY = "limits"


def observe(facts: Facts, ops: list[Op]) -> Iterator[Observation]:
    yield from _bases(facts)
    judged: dict[str, list[int]] = {}
    for op in ops:
        if op.by_name is not None:
            judged.setdefault(op.by_name, []).append(op.line)
    for receiver, lines in judged.items():
        text = (
            f"`{receiver}` is not assigned in this file: its calls were recognised by the attribute's name."
        )
        yield note(CATEGORY, lines, text)
    dynamic = [c.lineno for c in facts.calls if _dynamic(c, facts)]
    if dynamic:
        yield note(
            CATEGORY,
            dynamic,
            f"{plural(len(dynamic), 'call')} with a target computed at run time could not be resolved.",
        )
    public = [f for f in facts.functions if not f.name.startswith("_") and _top(f, facts)]
    if public:
        names = listing((f.name for f in public), 4)
        text = (
            f"the callers of {plural(len(public), 'public function')} ({names}) are outside this file; "
            "what they pass in was not reviewed."
        )
        yield note(CATEGORY, [f.lineno for f in public], text)


def _top(fn: ast.AST, facts: Facts) -> bool:
    """A module-level function or a method of a module-level class."""
    cls = facts.class_of.get(id(fn))
    tree = facts.source.tree.body
    return any(fn is stmt for stmt in tree) or (cls is not None and any(cls is stmt for stmt in tree))


def _bases(facts: Facts) -> Iterator[Observation]:
    local = {n.name for n in ast.walk(facts.source.tree) if isinstance(n, ast.ClassDef)}
    for cls in (n for n in ast.walk(facts.source.tree) if isinstance(n, ast.ClassDef)):
        outside = [b for b in cls.bases if _external(b, facts, local)]
        if not outside:
            continue
        names = listing(facts.qualname(b) or facts.text(b) for b in outside)
        defined = {i.name for i in cls.body if isinstance(i, ast.FunctionDef | ast.AsyncFunctionDef)}
        supers, inherited = _calls_up(facts, cls, defined)
        text = f"`{cls.name}` extends {names}, defined outside this file"
        if supers:
            text += f"; its {plural(len(supers), '`super()` call')} run code not reviewed here"
        yield note(CATEGORY, [cls.lineno, *supers], text + ".")
        if inherited:
            lines = [line for _, line in inherited]
            count = plural(len({n for n, _ in inherited}), "inherited method")
            text = f"`{cls.name}` calls {count} not reviewed here: {listing(n for n, _ in inherited)}."
            yield note(CATEGORY, lines, text)


def _external(base: ast.expr, facts: Facts, local: set[str]) -> bool:
    name = facts.qualname(base)
    if name is None or name == "builtins.object":
        return False
    return not (isinstance(base, ast.Name) and base.id in local)


def _calls_up(facts: Facts, cls: ast.ClassDef, defined: set[str]) -> tuple[list[int], list[tuple[str, int]]]:
    supers: list[int] = []
    inherited: list[tuple[str, int]] = []
    for call in facts.calls:
        if facts.cls(call) is not cls or not isinstance(call.func, ast.Attribute):
            continue
        receiver = call.func.value
        if (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Name)
            and receiver.func.id == "super"
        ):
            supers.append(call.lineno)
        elif isinstance(receiver, ast.Name) and receiver.id == "self" and call.func.attr not in defined:
            inherited.append((call.func.attr, call.lineno))
    return supers, inherited


def _dynamic(call: ast.Call, facts: Facts) -> bool:
    func = call.func
    if isinstance(func, ast.Call) and facts.qualname(func.func) == "builtins.getattr":
        return len(func.args) > 1 and not facts.literal(func.args[1])
    return isinstance(func, ast.Subscript)
