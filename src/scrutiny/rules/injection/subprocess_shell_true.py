"""Rule SCR102: a process started with `shell=True`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._shell import command_argument, command_sink, fixed_command, shell_keyword


class SubprocessShellTrue(Rule):
    """Checks for calls that run a command through a shell because of `shell=True`.

    ## Why is this bad?
    With `shell=True`, `subprocess` hands the command line to `/bin/sh`, which interprets
    `;`, `|`, `$(...)`, quotes and globs. Any value put in that line that comes from outside
    can add commands of its own. Passing a list of arguments without a shell runs exactly one
    program, and its arguments are never interpreted.

    ## Example
    ```python
    import subprocess

    def ping(host):
        subprocess.run("ping -c 1 " + host, shell=True)
    ```

    ## Use instead
    ```python
    import subprocess

    def ping(host):
        subprocess.run(["ping", "-c", "1", "--", host])
    ```

    ## Known problems
    A command that is a literal, or whose values all pass through `shlex.quote`, is reported at
    low confidence: nothing can be injected into it today, but the shell is one edit away from
    an injection. A `shell` value known only at run time is reported at low confidence too.
    Any other function called with a literal `shell=True` (a wrapper of `subprocess`, say) is
    reported at low confidence; `shell=self` and other run-time values are not, and
    `**kwargs` are not looked into.

    ## References
    - [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
    - [Python docs: security considerations of `subprocess`](https://docs.python.org/3/library/subprocess.html#security-considerations)
    """

    code = "SCR102"
    name = "subprocess-shell-true"
    cwe = 78
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    needles = ("shell",)  # every report needs a `shell=` keyword
    fix = "Pass the command as a list of arguments without `shell=True`."
    bandit = ("B602", "B604")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        shell = shell_keyword(node, ctx)
        if shell is False:
            return
        entry = command_sink(node, ctx)
        if entry is None or entry.get("shell") != "kwarg":
            # Maybe a wrapper that passes `shell` on to `subprocess` (Bandit's B604). Only a
            # literal counts: `shell=self` is how many frameworks name an unrelated object.
            if shell:
                func = ctx.call_name(node) or ast.unparse(node.func)
                yield self.hit(node, f"`{func}` is called with `shell=True`", confidence=Confidence.LOW)
            return
        command = command_argument(node, entry)
        if shell is None:
            message = f"`{entry.name}` runs its command through a shell if `shell` is true"
            yield self.hit(node, message, confidence=Confidence.LOW)
        elif command is not None and fixed_command(command, ctx):
            message = f"`{entry.name}` runs a command through a shell"
            yield self.hit(node, message, confidence=Confidence.LOW)
        else:
            yield self.hit(node, f"`{entry.name}` runs a command built at run time through a shell")
