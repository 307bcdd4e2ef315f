"""Where a value goes within one scope: the names it is given (a light, local data flow).

A value is *labelled* by what receives it on the way to its statement: a keyword argument
(`User(password=...)`), a dict key (`{"token": ...}`), an assignment target (`token = ...`,
`self.salt = ...`, `session["csrf"] = ...`), a container it is added to (`chars.append(...)`),
or the function it is returned from. `follow` repeats this through local variables until a
label satisfies a predicate. Flow-insensitive and bounded by the scope's size: good enough
to tell `token = "".join(choice(...))` from `delay = uniform(1, 2)`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

_SCOPES: Final = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_ADDERS: Final = frozenset({"append", "extend", "insert", "add", "update", "appendleft"})
# Calls that consume a value without passing it on: a random delay or length is no secret.
SINKLESS: Final = frozenset({"range", "len", "sleep", "print"})

Parents = dict[ast.AST, ast.AST]


@dataclass(frozen=True, slots=True)
class Label:
    name: str  # the identifier or string the value is given
    display: str  # how a message names the destination
    var: str | None = None  # the local variable now holding the value, to follow further


def parent_map(scope: ast.AST) -> Parents:
    """Child -> parent for the nodes of `scope`, not descending into nested scopes."""
    parents: Parents = {}
    todo = [scope]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            parents[child] = node
            if not isinstance(child, _SCOPES):
                todo.append(child)
    return parents


def chain_parents(node: ast.AST, ancestors: list[ast.AST]) -> Parents:
    """A parent map for one node from the walker's ancestors (innermost first)."""
    chain = [node, *ancestors]
    return {chain[i]: chain[i + 1] for i in range(len(chain) - 1)}


def labels(node: ast.AST, parents: Parents, function: str | None) -> Iterator[Label]:
    """The labels the value of `node` gets before its statement ends."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.keyword) and parent.arg:
            yield Label(parent.arg, f"argument `{parent.arg}`")
        elif isinstance(parent, ast.Dict):
            yield from _dict_key(parent, child)
        elif isinstance(parent, ast.Call) and child in parent.args:
            if callee(parent) in SINKLESS:
                return
            added = _added_to(parent)
            if added is not None:
                yield added
                return
        elif isinstance(parent, ast.stmt):
            yield from _statement(parent, child, function)
            return
        child, parent = parent, parents.get(parent)


def follow(
    origin: ast.AST, scope: ast.AST, accept: Callable[[str], bool], first: list[Label] | None = None
) -> Label | None:
    """The first label satisfying `accept` that the value of `origin` reaches in `scope`."""
    parents = parent_map(scope)
    function = scope.name if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) else None
    loads: dict[str, list[ast.Name]] = {}
    for node in parents:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            loads.setdefault(node.id, []).append(node)
    followed: set[str] = set()
    pending = list(first) if first is not None else list(labels(origin, parents, function))
    while pending:
        label = pending.pop()
        if accept(label.name):
            return label
        if label.var is not None and label.var not in followed:
            followed.add(label.var)
            for use in loads.get(label.var, ()):
                pending.extend(labels(use, parents, function))
    return None


def callee(call: ast.Call) -> str | None:
    """The last name of the called expression: `sleep` for `time.sleep(...)`."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _dict_key(node: ast.Dict, value: ast.AST) -> Iterator[Label]:
    for key, item in zip(node.keys, node.values, strict=True):
        if item is value and isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield Label(key.value, f"key `{key.value}`")


def _added_to(call: ast.Call) -> Label | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _ADDERS:
        name = target_name(func.value)
        if name is not None:
            var = func.value.id if isinstance(func.value, ast.Name) else None
            return Label(name, f"`{name}`", var)
    return None


def _statement(stmt: ast.stmt, child: ast.AST, function: str | None) -> Iterator[Label]:
    if isinstance(stmt, ast.Return) and function is not None:
        yield Label(function, f"the return value of `{function}`")
        return
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign) and child is stmt.value:
        targets = stmt.targets
    elif isinstance(stmt, ast.AnnAssign | ast.AugAssign | ast.For | ast.AsyncFor):
        source = stmt.iter if isinstance(stmt, ast.For | ast.AsyncFor) else stmt.value
        targets = [stmt.target] if child is source else []
    for target in targets:
        elements = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        for element in elements:
            name = target_name(element)
            if name is not None:
                var = element.id if isinstance(element, ast.Name) else None
                yield Label(name, f"`{name}`", var)


def target_name(expr: ast.expr) -> str | None:
    """`token` for `token`, `self.token`, `session["token"]`; None for other shapes."""
    if isinstance(expr, ast.Starred):
        expr = expr.value
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return target_name(expr.value)
    return None
