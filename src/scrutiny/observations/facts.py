"""One walk, the engine's, collecting what the observations need with names already resolved.

The walker hands each function over once its scope is complete (`function_done`), then the
module (`module_done`); at that moment `names.qualified_name` resolves through the same scope
model the rules use. The facts keep the answers by node id, so the category modules afterwards
work on plain data and never need the scope stack again.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from scrutiny.engine import names
from scrutiny.engine.context import Context
from scrutiny.engine.model import Entry, Models
from scrutiny.engine.scopes import Binding, BindingKind, lookup
from scrutiny.engine.source import Source

Function = ast.FunctionDef | ast.AsyncFunctionDef
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@dataclass(slots=True)
class Facts:
    source: Source
    models: Models
    qualnames: dict[int, str | None] = field(default_factory=dict)  # Name/Attribute -> qualified
    bindings: dict[int, Binding | None] = field(default_factory=dict)  # Name -> its binding
    scope_of: dict[int, Function | None] = field(default_factory=dict)  # node -> its function
    class_of: dict[int, ast.ClassDef] = field(default_factory=dict)  # method -> its class
    calls: list[ast.Call] = field(default_factory=list)  # in source order
    imports: list[tuple[ast.stmt, str, str]] = field(default_factory=list)  # stmt, local, qualified
    handlers: list[ast.ExceptHandler] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)

    def qualname(self, expr: ast.AST | None) -> str | None:
        return self.qualnames.get(id(expr)) if expr is not None else None

    def function(self, node: ast.AST) -> Function | None:
        return self.scope_of.get(id(node))

    def cls(self, node: ast.AST) -> ast.ClassDef | None:
        fn = self.function(node)
        return self.class_of.get(id(fn)) if fn is not None else None

    def row(self, kind: str, expr: ast.AST | None) -> Entry | None:
        return self.models.lookup("api", self.qualname(expr), kind)

    def literal(self, expr: ast.expr) -> bool:
        """A literal, or a name bound once to one (`CHAIN = 'snat'`)."""
        if isinstance(expr, ast.Constant):
            return True
        if isinstance(expr, ast.JoinedStr):
            return all(isinstance(v, ast.Constant) for v in expr.values)
        binding = self.bindings.get(id(expr)) if isinstance(expr, ast.Name) else None
        return (
            binding is not None
            and binding.kind is BindingKind.ASSIGN
            and isinstance(binding.value, ast.Constant)
        )

    def text(self, node: ast.AST, limit: int = 60) -> str:
        """The code of `node` on one line, cut at `limit` characters."""
        code = " ".join(ast.unparse(node).split())
        return code if len(code) <= limit else code[: limit - 1] + "…"


class Collector:
    """The walker's observer: records facts scope by scope."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.facts = Facts(ctx.source, ctx.models)

    def function_done(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        if isinstance(node, ast.Lambda):
            self._scope(node.body, self._owner(node))
            return
        self.facts.functions.append(node)
        for stmt in node.body:
            self._scope(stmt, node)

    def module_done(self) -> None:
        tree = self.ctx.source.tree
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for item in cls.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.facts.class_of[id(item)] = cls
        for stmt in tree.body:
            self._scope(stmt, None)
        for collected in (self.facts.calls, self.facts.handlers, self.facts.functions):
            collected.sort(key=lambda n: (n.lineno, n.col_offset))

    def _owner(self, lam: ast.Lambda) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        return self.facts.scope_of.get(id(lam))

    def _scope(self, root: ast.AST, function: Function | None) -> None:
        stack = self.ctx.stack
        facts = self.facts
        for node in own_nodes(root):
            facts.scope_of[id(node)] = function
            if isinstance(node, ast.Name | ast.Attribute):
                facts.qualnames[id(node)] = names.qualified_name(stack, node)
                if isinstance(node, ast.Name):
                    facts.bindings[id(node)] = lookup(stack, node.id)
            elif isinstance(node, ast.Call):
                facts.calls.append(node)
            elif isinstance(node, ast.ExceptHandler):
                facts.handlers.append(node)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                self._imports(node)

    def _imports(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            local = alias.asname or alias.name.split(".", 1)[0]
            binding = lookup(self.ctx.stack, local)
            if binding is not None and binding.kind is BindingKind.IMPORT and binding.qualname:
                full = alias.name if isinstance(node, ast.Import) else binding.qualname
                self.facts.imports.append((node, local, full))


def own_nodes(root: ast.AST) -> Iterator[ast.AST]:
    """`root` and its descendants, without entering function bodies (their own scope reports
    them); a function's decorators and defaults belong to the scope that defines it."""
    todo = [root]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, _NESTED):
            args = node.args
            todo.extend(d for d in (*args.defaults, *args.kw_defaults) if d is not None)
            todo.extend(getattr(node, "decorator_list", ()))
            continue
        todo.extend(ast.iter_child_nodes(node))
