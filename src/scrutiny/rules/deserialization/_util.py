"""Helpers shared by the deserialization rules, for what the context does not offer yet.

The walker binds imports and assignments but not class definitions, and a rule sees one node
at a time; two rules need a look at the whole module (a custom YAML loader class defined in
the file, a `defusedxml.xmlrpc.monkey_patch()` call anywhere in it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, keyword
from scrutiny.engine.names import UNKNOWN


def literal(ctx: Context, expr: ast.expr | None) -> object:
    """The folded value of `expr`; `UNKNOWN` when it cannot be known, None when absent."""
    return None if expr is None else ctx.const(expr)


def keyword_value(ctx: Context, call: ast.Call, name: str | None) -> object:
    """The folded value of keyword `name`: None if not passed, `UNKNOWN` if not a constant."""
    return literal(ctx, keyword(call, name)) if name else None


def is_unknown(value: object) -> bool:
    return value is UNKNOWN


def module_class(ctx: Context, name: str) -> ast.ClassDef | None:
    """The class called `name` defined in this file, if any (classes are not bound yet)."""
    for node in ast.walk(ctx.source.tree):
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    return None


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name for every import in the file, wherever it stands."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    found[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _dotted(expr: ast.expr, imports: dict[str, str]) -> str | None:
    if isinstance(expr, ast.Name):
        return imports.get(expr.id)
    if isinstance(expr, ast.Attribute):
        base = _dotted(expr.value, imports)
        return None if base is None else f"{base}.{expr.attr}"
    return None


def module_call_names(ctx: Context) -> Iterator[str]:
    """Qualified names of the calls anywhere in the file, resolved through its imports only."""
    imports = _imported_names(ctx.source.tree)
    for node in ast.walk(ctx.source.tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, imports)
            if name is not None:
                yield name
