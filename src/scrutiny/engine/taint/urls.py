"""URLs whose scheme and host are fixed in the code: what follows them cannot redirect a request.

`f"https://metadata.internal/{path}"` lets the caller choose a path on one server, not the
server: that is not SSRF (nor an open redirect), and reporting it would bury the real ones.
"""

from __future__ import annotations

import ast
import re
from typing import Final

from scrutiny.engine.context import Context

_BOTH: Final = frozenset({"ssrf", "open-redirect"})
_REDIRECT: Final = frozenset({"open-redirect"})
PATH_ONLY: Final = _BOTH  # what the path, query and fragment of a URL cannot steer
_HOST_FIXED: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#{}%\s]+[/?#]")
_SAME_SITE: Final = re.compile(r"^/[^/\\]")  # `/path...`, but not `//host` nor `/\host`


def cleared_by(prefix: str) -> frozenset[str]:
    """The sink kinds a value can no longer steer once it follows `prefix` in a URL."""
    if _HOST_FIXED.match(prefix):
        return _BOTH
    if _SAME_SITE.match(prefix):
        return _REDIRECT
    return frozenset()


def literal_prefix(ctx: Context, expr: ast.expr) -> str:
    """The constant text an expression starts with (`"https://h/" + a + b` -> `https://h/`)."""
    value = ctx.const(expr)
    if isinstance(value, str):
        return value
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left = ctx.const(expr.left)
        if isinstance(left, str):
            return left + literal_prefix(ctx, expr.right)
        return literal_prefix(ctx, expr.left)
    if isinstance(expr, ast.JoinedStr):
        text = ""
        for part in expr.values:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                break
            text += part.value
        return text
    return ""


def format_prefix(template: str, marker: str) -> str:
    """The text of a `%` or `str.format` template before its first placeholder."""
    index = template.replace(marker * 2, "\0\0").find(marker)
    return template if index < 0 else template[:index]
