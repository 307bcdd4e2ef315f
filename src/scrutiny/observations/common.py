"""What the category modules share: building an observation, naming lines and lists."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from scrutiny.findings import Observation

LOG_LEVELS = ("debug", "info", "warning", "warn", "error", "critical", "exception", "log")


def note(category: str, lines: Iterable[int], text: str) -> Observation:
    return Observation(category, tuple(sorted(set(lines))), text)


def lines_phrase(lines: Iterable[int]) -> str:
    """`line 5` or `lines 5, 9, 12`."""
    ordered = sorted(set(lines))
    if len(ordered) == 1:
        return f"line {ordered[0]}"
    return "lines " + ", ".join(str(n) for n in ordered)


def listing(items: Iterable[str], limit: int = 6) -> str:
    """`a`, `b` and `c`; past `limit` items, `and N more`."""
    unique = list(dict.fromkeys(items))
    shown = [f"`{item}`" for item in unique[:limit]]
    if len(unique) > limit:
        return ", ".join(shown) + f" and {len(unique) - limit} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def constant(expr: ast.expr | None) -> str | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
