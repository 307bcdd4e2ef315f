"""Rule SCR107: a command built at run time sent to a remote shell through paramiko."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._shell import fixed_command

_KIND = "ssh-exec"


class ParamikoExecCommand(Rule):
    """Checks for paramiko `exec_command` called with a command that is not a literal.

    ## Why is this bad?
    The SSH server runs the command through the remote user's login shell, so a value spliced
    into it can add commands of its own (`; rm -rf ~`), on the remote host and with that
    user's rights. Quote every value with `shlex.quote`, or better, run a fixed command and
    pass data on its standard input.

    ## Example
    ```python
    import paramiko

    def disk_usage(path):
        ssh = paramiko.SSHClient()
        ssh.exec_command("du -sh " + path)
    ```

    ## Use instead
    ```python
    import shlex

    import paramiko

    def disk_usage(path):
        ssh = paramiko.SSHClient()
        ssh.exec_command("du -sh -- " + shlex.quote(path))
    ```

    ## Known problems
    A receiver whose type cannot be seen (`self.ssh`, a parameter) counts as a paramiko client
    when the file imports paramiko, at low confidence (Bandit's B601 needs only the import).
    A literal command, or one whose values all pass through `shlex.quote`, is not reported.
    `invoke_shell` takes no command and is not checked.

    ## References
    - [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
    - [paramiko: `SSHClient.exec_command`](https://docs.paramiko.org/en/stable/api/client.html)
    """

    code = "SCR107"
    name = "paramiko-exec-command"
    cwe = 78
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    needles = ("api:ssh-exec",)  # the method called must be a row's last name
    fix = "Quote every value with `shlex.quote`, or run a fixed command and pass data on stdin."
    bandit = ("B601",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        if not isinstance(node.func, ast.Attribute) or node.func.attr not in ctx.models.last_names(
            "api", _KIND
        ):
            return  # every row below is found by a method of one of these names
        owner = _receiver_class(node.func.value, ctx)
        entry = ctx.models.lookup("api", f"{owner}.{node.func.attr}", _KIND) if owner else None
        confidence = None
        if entry is None and not _other_class(owner) and _imports_paramiko(ctx):
            entry, confidence = _by_method_name(node.func.attr, ctx), Confidence.LOW
        if entry is None:
            return
        command = argument(node, entry.args[0], entry.kwargs[0])
        if command is None or fixed_command(command, ctx):
            return
        message = f"`{node.func.attr}` runs a command built at run time in a remote shell"
        yield self.hit(node, message, confidence=confidence)


def _receiver_class(expr: ast.expr, ctx: Context) -> str | None:
    """The class of `expr` when it is a constructor call, or a name assigned one."""
    if isinstance(expr, ast.Name):
        binding = ctx.binding(expr.id)
        if binding is None or binding.kind is not BindingKind.ASSIGN:
            return None
        expr = binding.value if binding.value is not None else expr
    return ctx.call_name(expr) if isinstance(expr, ast.Call) else None


def _other_class(owner: str | None) -> bool:
    """Whether `owner` names a class from elsewhere; a factory function may return a client."""
    if owner is None:
        return False
    module, _, name = owner.rpartition(".")
    return name[:1].isupper() and not (module == "paramiko" or module.startswith("paramiko."))


def _by_method_name(method: str, ctx: Context) -> Entry | None:
    for entry in ctx.models.all("api", _KIND):
        if entry.name.rpartition(".")[2] == method:
            return entry
    return None


def _imports_paramiko(ctx: Context) -> bool:
    return any(
        b.kind is BindingKind.IMPORT
        and b.qualname is not None
        and (b.qualname == "paramiko" or b.qualname.startswith("paramiko."))
        for scope in ctx.stack
        for b in scope.bindings.values()
    )
