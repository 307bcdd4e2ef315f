"""Scopes and bindings, as the walk meets them (the pyflakes model).

A binding remembers what a name stands for when that is knowable without running code: the
qualified name an import or alias refers to (`sp = subprocess` binds `sp` to `subprocess`),
or the expression a simple assignment gave it, so constants can be folded later.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import Enum


class ScopeKind(Enum):
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"


class BindingKind(Enum):
    IMPORT = "import"
    ASSIGN = "assign"
    DEF = "def"
    CLASS = "class"
    PARAM = "param"
    OTHER = "other"  # loop targets, `with ... as`, except names, unpacking: value unknown


@dataclass(slots=True)
class Binding:
    name: str
    kind: BindingKind
    node: ast.AST
    qualname: str | None = None  # what the name refers to, when an import or alias says so
    value: ast.expr | None = None  # the assigned expression, for folding


@dataclass(slots=True)
class Scope:
    kind: ScopeKind
    name: str
    node: ast.AST
    bindings: dict[str, Binding] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    assigned: dict[str, int] = field(default_factory=dict)  # name -> times bound in this scope

    def bind(self, binding: Binding) -> None:
        self.bindings[binding.name] = binding
        self.assigned[binding.name] = self.assigned.get(binding.name, 0) + 1


def lookup(stack: list[Scope], name: str) -> Binding | None:
    """Python's rule: innermost first, class scopes visible only from their own body."""
    innermost = stack[-1]
    if name in innermost.globals:
        return stack[0].bindings.get(name)
    for depth in range(len(stack) - 1, -1, -1):
        scope = stack[depth]
        if scope.kind is ScopeKind.CLASS and scope is not innermost:
            continue
        binding = scope.bindings.get(name)
        if binding is not None:
            return binding
    return None


def scope_path(stack: list[Scope]) -> str:
    """`Class.method` for the innermost named scope; '' at module level."""
    names = [s.name for s in stack[1:] if s.kind in (ScopeKind.CLASS, ScopeKind.FUNCTION)]
    return ".".join(names)
