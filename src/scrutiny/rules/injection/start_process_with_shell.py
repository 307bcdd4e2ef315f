"""Rule SCR103: a function that always runs its command through a shell."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._shell import command_argument, command_sink, fixed_command


class StartProcessWithShell(Rule):
    """Checks for functions that always run their command through a shell (`os.system`, ...).

    ## Why is this bad?
    `os.system`, `os.popen`, `subprocess.getoutput`, `asyncio.create_subprocess_shell` and the
    old `commands` and `popen2` modules hand the whole string to `/bin/sh`. Any value put in it
    that comes from outside can add commands with `;`, `|` or `$(...)`. `subprocess.run` with
    a list of arguments runs one program and never interprets its arguments.

    ## Example
    ```python
    import os

    def archive(name):
        os.system("tar czf backup.tgz " + name)
    ```

    ## Use instead
    ```python
    import subprocess

    def archive(name):
        subprocess.run(["tar", "czf", "backup.tgz", "--", name], check=True)
    ```

    ## Known problems
    A command that is a literal (or folds to one), or whose values all pass through
    `shlex.quote`, is reported at low confidence: it cannot be injected into today, but it
    still depends on the shell and is one edit away from an injection.

    ## References
    - [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
    - [Python docs: replacing `os.system`](https://docs.python.org/3/library/subprocess.html#replacing-os-system)
    """

    code = "SCR103"
    name = "start-process-with-shell"
    cwe = 78
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:command-injection",)),)
    fix = "Run the program with `subprocess.run` and a list of arguments, without a shell."
    bandit = ("B605",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = command_sink(node, ctx, mode="always")
        if entry is None:
            return
        command = command_argument(node, entry)
        if command is None:
            return
        if fixed_command(command, ctx):
            message = f"`{entry.name}` runs a command through a shell"
            yield self.hit(node, message, confidence=Confidence.LOW)
        else:
            yield self.hit(node, f"`{entry.name}` runs a command built at run time through a shell")
