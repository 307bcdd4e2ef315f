"""What the exception-handling rules share: which handlers catch everything."""

from __future__ import annotations

import ast
from typing import Final

from scrutiny.engine.context import Context

_BROAD: Final = frozenset({"builtins.Exception", "builtins.BaseException"})


def is_broad(handler: ast.ExceptHandler, ctx: Context) -> bool:
    """A bare `except`, or one naming `Exception` or `BaseException` (alone or in a tuple)."""
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(ctx.qualified_name(t) in _BROAD for t in types)


def caught(handler: ast.ExceptHandler) -> str:
    """How the message names the handler: `except` or `except Exception`."""
    return "except" if handler.type is None else f"except {ast.unparse(handler.type)}"
