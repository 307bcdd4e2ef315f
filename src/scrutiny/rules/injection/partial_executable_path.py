"""Rule SCR105: a program started by a bare name, found through `PATH`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context, keyword
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._shell import command_argument, command_sink, through_shell

# Run by the shell itself: no program is looked up, so `PATH` plays no part.
_SHELL_BUILTINS: Final = frozenset(
    [
        "cd",
        "echo",
        "export",
        "set",
        "unset",
        "exit",
        "true",
        "false",
        "test",
        "[",
        ".",
        "source",
        "printf",
        "read",
        "umask",
        "type",
        "command",
        "eval",
        "exec",
        "ulimit",
        "wait",
        "alias",
        "shift",
        "trap",
        "pwd",
    ]
)
_ASSIGNMENT: Final = re.compile(r"[A-Za-z_]\w*=")
_EXPLICIT: Final = re.compile(r"[\\/]|^[A-Za-z]:")  # a directory part or a drive letter


class PartialExecutablePath(Rule):
    """Checks for processes started with a program name that is not an absolute path.

    ## Why is this bad?
    A bare program name (`"git"`) is looked up in the directories of `PATH`, in order, when the
    process starts. Whoever can put a file earlier on that path, or change `PATH` itself (a
    writable directory, a CI variable, a shared host), chooses what actually runs. Naming the
    program by its absolute path removes the lookup.

    ## Example
    ```python
    import subprocess

    subprocess.run(["git", "status"], check=True)
    ```

    ## Use instead
    ```python
    import subprocess

    subprocess.run(["/usr/bin/git", "status"], check=True)
    ```

    ## Known problems
    Only literal commands are checked. Shell builtins (`cd`, `echo`, ...) are not looked up and
    are not reported; `executable=` or an `env` whose `PATH` is a literal silence the rule.
    Quiet in test code. In preview (off by default; `--select SCR105` or `--preview` turns it
    on): a service normally runs with a `PATH` it controls, and OpenStack's rootwrap and privsep
    name every command this way, so most findings on real projects are noise.

    ## References
    - [CWE-426: Untrusted Search Path](https://cwe.mitre.org/data/definitions/426.html)
    - [Python docs: `shutil.which`](https://docs.python.org/3/library/shutil.html#shutil.which)
    """

    code = "SCR105"
    name = "partial-executable-path"
    cwe = 426
    severity = Severity.LOW
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:command-injection",)),)
    fix = "Start the program by its absolute path, or resolve it once with `shutil.which` at start-up."
    bandit = ("B607",)
    # Preview: services run with a PATH they control (OpenStack's rootwrap and privsep resolve
    # every command this way), so on real projects most findings are noise (52 on nova 34).
    preview = True

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = command_sink(node, ctx)
        if entry is None or keyword(node, "executable") is not None or _fixed_path(node, ctx):
            return
        command = command_argument(node, entry)
        if isinstance(command, ast.List | ast.Tuple) and command.elts:
            command = command.elts[0]
        value = ctx.const(command)
        if not isinstance(value, str):
            return
        words = value.split()
        shell = through_shell(node, entry, ctx)
        if shell:
            while words and _ASSIGNMENT.match(words[0]):
                words.pop(0)  # `LANG=C sort`: variable assignments come before the program
            words = [words[0].lstrip("({"), *words[1:]] if words else words  # `(less)`: a subshell
        if not words or not words[0] or _EXPLICIT.search(words[0]) or (shell and words[0] in _SHELL_BUILTINS):
            return
        yield self.hit(node, f"`{entry.name}` starts `{words[0]}` without an absolute path")


def _fixed_path(call: ast.Call, ctx: Context) -> bool:
    """Whether the call passes an `env` whose `PATH` is a literal: the lookup is then fixed."""
    env = keyword(call, "env")
    if not isinstance(env, ast.Dict):
        return False
    return any(
        key is not None and ctx.const(key) == "PATH" and ctx.is_literal(value)
        for key, value in zip(env.keys, env.values, strict=True)
    )
