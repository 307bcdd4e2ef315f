"""Rule SCR122: a command run as root through rootwrap that no reviewed filter file allows."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from scrutiny.engine.context import Context, keyword
from scrutiny.findings import Confidence, Finding, Severity
from scrutiny.rules.base import Hit, Rule

# The finding names the program; the project-wide check (`scrutiny.rootwrap.crosscheck`) reads it
# back with `program_of` and keeps the finding only when no reviewed filter allows the program.
MESSAGE = "`{api}` runs `{program}` as root, and no rootwrap filter in the reviewed files allows `{program}`"
_PROGRAM = re.compile(r"^`[^`]+` runs `(?P<program>[^`]+)` as root")


def program_of(finding: Finding) -> str | None:
    match = _PROGRAM.match(finding.message)
    return match.group("program") if match else None


class PrivilegedCallWithoutFilter(Rule):
    """Checks for commands run as root through the root helper (`run_as_root=True`) whose program
    no oslo.rootwrap filter file of the reviewed files allows.

    ## Why is this bad?
    Under rootwrap, a privileged command runs only if a filter allows it. A call with no filter
    fails in every deployment that uses the project's filter files, and the usual repair made in
    a hurry is a broad `CommandFilter` for the program, which hands root to the service user
    (SCR120). Either the filter is missing, or the call is dead code that still claims root.

    Reported only when the review includes at least one filter file (`*.filters` with a
    `[Filters]` section): reviewing a package without its `etc/` says nothing about filters.

    ## Example
    ```python
    from oslo_concurrency import processutils

    def grow(device):
        processutils.execute("resize2fs", device, run_as_root=True)
    ```
    with the project's `etc/rootwrap.d/compute.filters`:
    ```ini
    [Filters]
    ip: IpFilter, ip, root
    ```

    ## Use instead
    ```python
    import nova.privsep.fs

    def grow(device):
        nova.privsep.fs.resize2fs(device)
    ```

    ## Known problems
    Only the first word of the command is compared with the filters; whether the filter also
    accepts the arguments is not checked. The command must be literal (or a constant list);
    calls through `ip netns exec` wrappers are not checked. Filters shipped by another package
    (os-brick's, a deployment's own) are unknown: confidence is medium.

    ## References
    - [CWE-269: Improper Privilege Management](https://cwe.mitre.org/data/definitions/269.html)
    - [oslo.rootwrap](https://docs.openstack.org/oslo.rootwrap/latest/)
    """

    code = "SCR122"
    name = "privileged-call-without-filter"
    cwe = 269
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:privileged-execute",)),)
    fix = "Add a rootwrap filter that allows exactly these arguments, or run the command through privsep."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "privileged-execute")
        if entry is None or ctx.const(keyword(node, str(entry.get("root_kwarg")))) is not True:
            return
        if _in_privsep(ctx):
            return
        for bypass in entry.get("bypass_kwargs", ()):
            value = keyword(node, bypass)
            if value is not None and ctx.const(value) is not False:
                return  # through privsep (or maybe): rootwrap filters do not apply
        program = _program(_command(node, ctx, str(entry.get("command"))))
        if program is not None:
            api = ".".join(entry.name.split(".")[-2:])
            yield self.hit(node, MESSAGE.format(api=api, program=program))


def _in_privsep(ctx: Context) -> bool:
    """Inside a privsep entrypoint, or a module of a privsep package: root already."""
    row = ctx.models.lookup("api", "rootwrap-fact.privsep-code", "rootwrap-fact")
    if row is None:
        return False
    if set(PurePath(ctx.path).parts[:-1]) & set(row.get("packages", ())):
        return True
    function = ctx.enclosing_function()
    suffixes = tuple(row.get("decorator_suffixes", ()))
    for decorator in function.decorator_list if function is not None else ():
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target).endswith(suffixes):
            return True
    return False


def _command(call: ast.Call, ctx: Context, form: str) -> list[Any] | None:
    if not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Starred):
        first = first.value
    elif form == "varargs":
        return [ctx.const(a) if not isinstance(a, ast.Starred) else None for a in call.args]
    if isinstance(first, ast.Name):  # `cmd = ["dnsmasq", "--conf-file", path]` just before
        binding = ctx.binding(first.id)
        if binding is not None and isinstance(binding.value, ast.List | ast.Tuple):
            first = binding.value
    if isinstance(first, ast.List | ast.Tuple):
        return [ctx.const(e) if not isinstance(e, ast.Starred) else None for e in first.elts]
    value = ctx.const(first)
    return list(value) if isinstance(value, list | tuple) else None


def _program(command: list[Any] | None) -> str | None:
    """The program rootwrap matches: the first word, or the first after `env NAME=VALUE...`."""
    if not command:
        return None
    words = iter(command)
    word = next(words)
    if word == "env":
        word = next((w for w in words if not (isinstance(w, str) and "=" in w)), None)
    return word if isinstance(word, str) and word and not word.startswith("-") else None
