"""Facts about calls that run OS commands, shared by the command rules (SCR102..SCR106)."""

from __future__ import annotations

import ast

from scrutiny.engine.context import Context, argument, keyword
from scrutiny.engine.model import Entry
from scrutiny.engine.names import UNKNOWN
from scrutiny.rules.injection._text import MARK, template

KIND = "command-injection"


def command_sink(call: ast.Call, ctx: Context, mode: str | None = None) -> Entry | None:
    """The command sink row for `call` (whose `shell` field is `mode`, when given)."""
    entry = ctx.sink(call, KIND)
    if entry is None or (mode is not None and entry.get("shell") != mode):
        return None
    return entry


def command_argument(call: ast.Call, entry: Entry) -> ast.expr | None:
    """The argument that selects what runs: the command line or the program."""
    position = entry.args[0] if entry.args else 0
    return argument(call, position, entry.kwargs[0] if entry.kwargs else None)


def shell_keyword(call: ast.Call, ctx: Context) -> bool | None:
    """Whether `call` passes `shell=` a true value; None when only known at run time."""
    value = keyword(call, "shell")
    if value is None:
        return False
    if isinstance(value, ast.Dict):
        return bool(value.keys)
    negate = isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)
    folded = ctx.const(value.operand if isinstance(value, ast.UnaryOp) and negate else value)
    return None if folded is UNKNOWN else bool(folded) != negate


def through_shell(call: ast.Call, entry: Entry, ctx: Context) -> bool:
    """Whether the command of a sink call is interpreted by a shell."""
    mode = entry.get("shell")
    return mode == "always" or (mode == "kwarg" and shell_keyword(call, ctx) is not False)


def fixed_command(command: ast.expr, ctx: Context) -> bool:
    """Whether nothing can be injected into `command`: a literal, or only quoted values."""
    return ctx.is_literal(command) or MARK not in template(command, ctx, KIND)
