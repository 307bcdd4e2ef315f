"""What a rule sees of the file while the walk is on a node: names, values, ancestors."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from scrutiny.engine import names
from scrutiny.engine.model import Entry, Models
from scrutiny.engine.scopes import Binding, BindingKind, Scope, ScopeKind, lookup, scope_path
from scrutiny.engine.source import Source


@dataclass(slots=True)
class Context:
    source: Source
    models: Models
    is_test: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    # Maintained by the walker; rules read them through the methods below.
    stack: list[Scope] = field(default_factory=list)
    parents: list[ast.AST] = field(default_factory=list)
    # Qualified names by node id while the scope state cannot change: many rules ask about the
    # same call when the walker dispatches it. The walker clears it whenever bindings may move.
    names_cache: dict[int, str | None] = field(default_factory=dict)
    # What rules compute about the node being dispatched and share (two secret rules judge the
    # same literals); cleared with `names_cache`.
    node_memo: dict[str, Any] = field(default_factory=dict)
    # Facts about the whole file computed once on first use (`memo_file`).
    file_memo: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.source.path

    # -- names and values ----------------------------------------------------------------
    def qualified_name(self, expr: ast.expr) -> str | None:
        """`subprocess.call` for `sp.call` after `import subprocess as sp`; None if unknown."""
        key = id(expr)
        cache = self.names_cache
        if key in cache:
            return cache[key]
        value = cache[key] = names.qualified_name(self.stack, expr)
        return value

    def call_name(self, call: ast.Call) -> str | None:
        return self.qualified_name(call.func)

    def const(self, expr: ast.expr | None) -> Any:
        """The folded value of `expr`, or `names.UNKNOWN`."""
        return names.fold(self.stack, expr)

    def is_literal(self, expr: ast.expr | None) -> bool:
        return names.fold(self.stack, expr) is not names.UNKNOWN

    def imports(self, module: str) -> bool:
        """Whether the file imports `module` or something from it, at module level."""
        for binding in self.stack[0].bindings.values():
            name = binding.qualname
            imported = binding.kind is BindingKind.IMPORT and name is not None
            if imported and (name == module or str(name).startswith(module + ".")):
                return True
        return False

    def binding(self, name: str) -> Binding | None:
        return lookup(self.stack, name)

    def sink(self, call: ast.Call, kind: str | None = None) -> Entry | None:
        return self.models.lookup("sink", self.call_name(call), kind)

    def api(self, expr: ast.expr, kind: str | None = None) -> Entry | None:
        return self.models.lookup("api", self.qualified_name(expr), kind)

    # -- where we are ---------------------------------------------------------------------
    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    @property
    def scope_path(self) -> str:
        return scope_path(self.stack)

    def enclosing_function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for scope in reversed(self.stack):
            if scope.kind is ScopeKind.FUNCTION and isinstance(
                scope.node, ast.FunctionDef | ast.AsyncFunctionDef
            ):
                return scope.node
        return None

    def enclosing_class(self) -> ast.ClassDef | None:
        for scope in reversed(self.stack):
            if isinstance(scope.node, ast.ClassDef):
                return scope.node
        return None

    def parent(self, depth: int = 1) -> ast.AST | None:
        """The node `depth` levels above the one being checked (1 = its parent)."""
        index = len(self.parents) - 1 - depth
        return self.parents[index] if index >= 0 else None

    def ancestors(self) -> list[ast.AST]:
        """Ancestors of the current node, innermost first."""
        return self.parents[-2::-1]


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, position: int | None, name: str | None = None) -> ast.expr | None:
    """The argument at `position`, or passed as keyword `name`; None if absent or unpacked."""
    if position is not None and position < len(call.args):
        for arg in call.args[: position + 1]:
            if isinstance(arg, ast.Starred):
                return None
        return call.args[position]
    return keyword(call, name) if name is not None else None


def has_kwargs_unpacking(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords)
