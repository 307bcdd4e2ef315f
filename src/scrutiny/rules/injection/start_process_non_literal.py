"""Rule SCR104: a program started without a shell, chosen at run time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._shell import command_argument, command_sink


class StartProcessNonLiteral(Rule):
    """Checks for `os.exec*`, `os.spawn*` and `os.startfile` starting a program chosen at run time.

    ## Why is this bad?
    These functions start a program without a shell, so its arguments cannot smuggle in other
    commands. The program itself is another matter: if its path comes from outside (a request,
    a configuration value, a file name), an attacker picks what runs with the program's
    privileges. `os.startfile` opens a file with whatever program Windows associates with it,
    which for an `.exe` or `.bat` is running it.

    ## Example
    ```python
    import os

    def restart(path, args):
        os.execv(path, args)
    ```

    ## Use instead
    ```python
    import os
    import sys

    def restart(args):
        os.execv(sys.executable, [sys.executable, *args])
    ```

    ## Known problems
    Bandit reports every call to these functions (B606). This rule reports only a program or
    path that is not a literal, and at low confidence: most such values are set by the
    deployment, not by a user. `sys.executable` (the running interpreter) is not reported.
    Quiet in test code.

    ## References
    - [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
    - [Python docs: process management](https://docs.python.org/3/library/os.html#process-management)
    """

    code = "SCR104"
    name = "start-process-non-literal"
    cwe = 78
    severity = Severity.MEDIUM
    confidence = Confidence.LOW
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:command-injection",)),)
    fix = "Start a fixed program by its absolute path, or check the path against a list of allowed programs."
    bandit = ("B606",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = command_sink(node, ctx, mode="never")
        if entry is None:
            return
        program, doubt = _program(command_argument(node, entry), ctx, entry.get("argv") == "list")
        if program is None or ctx.is_literal(program) or _is_sys_executable(program, ctx):
            return
        confidence = Confidence.LOW if doubt else None
        yield self.hit(node, f"`{entry.name}` starts a program chosen at run time", confidence=confidence)


def _program(command: ast.expr | None, ctx: Context, argv: bool) -> tuple[ast.expr | None, bool]:
    """The expression naming the program, and whether it is only a guess: in an argv list
    (`pty.spawn`, `utils.execute(cmd)`) the program comes first, also in a list assigned to a
    local name or extended with `+`; a list that comes from elsewhere may well start with a
    fixed program."""
    if isinstance(command, ast.Name):
        binding = ctx.binding(command.id)
        if binding is not None and binding.kind is BindingKind.ASSIGN and binding.value is not None:
            command = binding.value
    while isinstance(command, ast.BinOp) and isinstance(command.op, ast.Add):
        command = command.left
    if isinstance(command, ast.List | ast.Tuple):
        return (command.elts[0], False) if command.elts else (None, False)
    return command, argv and isinstance(command, ast.Name | ast.Attribute | ast.Subscript | ast.Call)


def _is_sys_executable(expr: ast.expr, ctx: Context) -> bool:
    # The running interpreter: the usual way to re-execute oneself.
    return ctx.qualified_name(expr) == "sys.executable"
