"""Exception handling: each `except` clause, what it catches, around which lines, and what it
does with the error (swallows, logs, returns, raises, or re-raises after cleanup)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.findings import Observation
from scrutiny.observations.common import note
from scrutiny.observations.facts import Facts, own_nodes
from scrutiny.observations.logs import log_calls

CATEGORY = "exception-handling"
_BROAD = frozenset({"builtins.Exception", "builtins.BaseException"})
_SILENT = (ast.Pass, ast.Continue, ast.Break)


def observe(facts: Facts) -> Iterator[Observation]:
    if not facts.handlers:
        if facts.functions:
            yield note(CATEGORY, [], "No exception is caught in this file: errors propagate to the callers.")
        return
    tries = {
        id(h): t
        for t in ast.walk(facts.source.tree)
        if isinstance(t, ast.Try | ast.TryStar)
        for h in t.handlers
    }
    logged = {id(c): c for c in log_calls(facts)}
    for handler in facts.handlers:
        block = tries.get(id(handler))
        guarded = [block.body[0].lineno, block.body[-1].end_lineno or block.body[-1].lineno] if block else []
        caught, broad = _caught(handler, facts)
        actions, lines = _actions(handler, facts, logged)
        text = f"`{caught}`{' (broad)' if broad else ''}{_span(guarded)} {actions}."
        yield note(CATEGORY, [handler.lineno, *lines], text)


def _span(guarded: list[int]) -> str:
    if not guarded:
        return ""
    first, last = guarded
    return f" around line {first}" if first == last else f" around lines {first}-{last}"


def _caught(handler: ast.ExceptHandler, facts: Facts) -> tuple[str, bool]:
    if handler.type is None:
        return "except:", True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    broad = any(facts.qualname(t) in _BROAD for t in types)
    return f"except {facts.text(handler.type, 70)}", broad


def _actions(handler: ast.ExceptHandler, facts: Facts, logged: dict[int, ast.Call]) -> tuple[str, list[int]]:
    """What the handler does, and the lines that show it."""
    if all(isinstance(s, _SILENT) or _is_docstring(s) for s in handler.body):
        word = type(handler.body[0]).__name__.lower()
        return f"swallows the error (`{word}`)", []
    parts: list[str] = []
    lines: list[int] = []
    found = [a for a in (_action(n, facts, logged) for s in handler.body for n in own_nodes(s)) if a]
    for what, line in sorted(found, key=lambda a: a[1]):  # in source order
        parts.append(f"{what} (line {line})")
        lines.append(line)
    if not parts:
        return "handles the error without logging or raising it", []
    said = list(dict.fromkeys(parts))
    return (", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]), lines


def _action(node: ast.AST, facts: Facts, logged: dict[int, ast.Call]) -> tuple[str, int] | None:
    if isinstance(node, ast.Call) and id(node) in logged and isinstance(node.func, ast.Attribute):
        return f"logs it with `{node.func.attr}`", node.lineno
    context = node.context_expr if isinstance(node, ast.withitem) else None
    if isinstance(context, ast.Call) and facts.row("reraise", context.func) is not None:
        return "re-raises it after cleanup (`save_and_reraise_exception`)", context.lineno
    if isinstance(node, ast.Raise):
        return (f"raises `{facts.text(node.exc, 50)}`" if node.exc else "re-raises it"), node.lineno
    if isinstance(node, ast.Return):
        value = f"`{facts.text(node.value, 50)}`" if node.value is not None else "nothing"
        return f"returns {value}", node.lineno
    return None


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
