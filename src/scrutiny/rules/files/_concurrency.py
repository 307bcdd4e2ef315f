"""Which functions of a module run concurrently, and why: the entry points SCR651 trusts.

Three kinds, all from `models/lifecycle.toml`: functions passed to a `spawn` API (a thread, an
eventlet spawn, a looping call, a pool's `submit`); public methods of an RPC endpoint class (one
whose body sets the `class_attribute` of an `entry-point` row, `target = oslo_messaging.Target()`),
which the RPC server's executor runs for each message, several at once; and agent loops
(`lifecycle-vocabulary.loop-methods`), which run beside those endpoint methods.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from scrutiny.engine.context import Context, argument
from scrutiny.rules.files._lifecycle import last_name, vocabulary

# Calls that build a mutable container: `x |= other` on one changes the object in place, in
# one step under the GIL, so no update is lost (unlike `count += 1` on an int).
_CONTAINERS = frozenset(
    {
        "builtins.set",
        "builtins.list",
        "builtins.dict",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.Counter",
        "collections.deque",
    }
)
_DISPLAYS = (ast.Set, ast.List, ast.Dict, ast.SetComp, ast.ListComp, ast.DictComp)


@dataclass(slots=True)
class Entries:
    """Spawned functions by the name passed to the spawn, and entry methods by node id."""

    by_name: dict[str, str] = field(default_factory=dict)
    by_node: dict[int, str] = field(default_factory=dict)
    # Agent loops: one thread each, so they race only with another entry that writes the state.
    loops: set[int] = field(default_factory=set)

    def reason(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """A clause saying what runs `function` concurrently, or None."""
        return self.by_node.get(id(function)) or self.by_name.get(function.name)


def concurrent_functions(tree: ast.AST, ctx: Context) -> Entries:
    entries = Entries()
    methods = vocabulary(ctx, "spawn-methods")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for name in _spawned(node, methods, ctx):
                why = f"`{ast.unparse(node.func)}` on line {node.lineno} runs `{name}` concurrently"
                entries.by_name.setdefault(name, why)
        elif isinstance(node, ast.ClassDef):
            _class_entries(node, ctx, entries)
    return entries


def _spawned(call: ast.Call, methods: frozenset[str], ctx: Context) -> list[str]:
    """Names of the functions `call` starts on another thread."""
    entry = ctx.api(call.func, "spawn")
    if entry is not None:
        passed = [argument(call, i) for i in entry.args] + [argument(call, None, k) for k in entry.kwargs]
    elif isinstance(call.func, ast.Attribute) and call.func.attr in methods:
        passed = [argument(call, 0)]
    else:
        return []
    names = (last_name(p) for p in passed if p is not None)
    return [n for n in names if n is not None]


def _class_entries(cls: ast.ClassDef, ctx: Context, entries: Entries) -> None:
    marker = endpoint_marker(cls, ctx)
    loops = vocabulary(ctx, "loop-methods", "names")
    for method in cls.body:
        if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if method.name in loops:
            entries.loops.add(id(method))
            entries.by_node[id(method)] = (
                f"`{method.name}` is an agent loop, running beside the agent's RPC endpoint methods"
            )
        elif marker is not None and not method.name.startswith("_"):
            entries.by_node[id(method)] = (
                f"the RPC server runs `{method.name}` for each message, several at once "
                f"(`{cls.name}` is an endpoint: `{ast.unparse(marker)}` on line {marker.lineno})"
            )


def endpoint_marker(cls: ast.ClassDef, ctx: Context) -> ast.Assign | None:
    """The class-body assignment that makes `cls` an RPC endpoint (`target = Target(...)`)."""
    for stmt in cls.body:
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
            continue
        entry = ctx.api(stmt.value.func, "entry-point")
        attribute = entry.get("class_attribute") if entry is not None else None
        if attribute and any(isinstance(t, ast.Name) and t.id == attribute for t in stmt.targets):
            return stmt
    return None


def in_place(node: ast.AugAssign, shared: str, ctx: Context) -> bool:
    """`x |= ...` where `x` was first bound to a mutable container (not `x[k] += 1`)."""
    if isinstance(node.target, ast.Subscript):
        return False
    values: list[ast.expr] = []
    if shared.startswith("self."):
        cls = ctx.enclosing_class()
        for sub in ast.walk(cls) if cls is not None else ():
            if isinstance(sub, ast.Assign) and any(ast.unparse(t) == shared for t in sub.targets):
                values.append(sub.value)
    else:
        binding = ctx.stack[0].bindings.get(shared)
        values = [binding.value] if binding is not None and binding.value is not None else []
    return bool(values) and all(_container(v, ctx) for v in values)


def _container(value: ast.expr, ctx: Context) -> bool:
    if isinstance(value, _DISPLAYS):
        return True
    return isinstance(value, ast.Call) and ctx.call_name(value) in _CONTAINERS


def written_by_entry(cls: ast.ClassDef | None, loop: ast.AST, shared: str, entries: Entries) -> bool:
    """Another concurrent method of the class assigns `shared` (what a single loop races with)."""
    for method in cls.body if cls is not None else ():
        if (
            isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
            and method is not loop
            and entries.reason(method) is not None
        ):
            for sub in ast.walk(method):
                targets = sub.targets if isinstance(sub, ast.Assign) else [getattr(sub, "target", None)]
                if isinstance(sub, ast.Assign | ast.AugAssign) and any(
                    t is not None and ast.unparse(t) == shared for t in targets
                ):
                    return True
    return False
