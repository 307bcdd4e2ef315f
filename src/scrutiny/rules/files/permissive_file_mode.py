"""Rule SCR601: a file or directory mode that lets other users write."""

from __future__ import annotations

import ast
import stat
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._util import fold_int, method_name


class PermissiveFileMode(Rule):
    """Checks for file and directory modes that give write access to the group or to others.

    ## Why is this bad?
    A file that any local user can write can be changed by any local user: a configuration
    file, a script that a privileged process runs or a key file becomes theirs to rewrite. A
    world-writable directory lets anyone add, replace or (without the sticky bit) delete files
    in it. Group write is less open, but still hands the file to every member of the group.

    ## Example
    ```python
    import os

    os.chmod("/etc/app/config.ini", 0o777)
    ```

    ## Use instead
    ```python
    import os

    os.chmod("/etc/app/config.ini", 0o600)
    ```

    ## Known problems
    Execute bits alone (`0o755`, `stat.S_IXOTH`) are not reported, unlike Bandit's B103: they
    grant nothing that read access does not, and `0o755` is the normal mode of programs and
    directories. Modes requested from `os.open`, `os.mkdir`, `os.makedirs` and
    `Path.mkdir`/`Path.touch` are still filtered by the process umask, so they are reported
    at low confidence; group write alone is reported at medium confidence. A mode held in a
    variable whose value is not a constant is not reported.

    ## References
    - [CWE-732: Incorrect Permission Assignment for Critical Resource](https://cwe.mitre.org/data/definitions/732.html)
    - [Python docs: `os.chmod`](https://docs.python.org/3/library/os.html#os.chmod)
    """

    code = "SCR601"
    name = "permissive-file-mode"
    cwe = 732
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:file-mode",)),)
    fix = "Grant write access to the owner only, e.g. `0o600` for files and `0o700` for directories."
    bandit = ("B103",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        name = method_name(node, ctx)
        entry = ctx.models.lookup("api", name, "file-mode")
        if name is None or entry is None:
            return
        position = entry.args[0] if entry.args else None
        mode = fold_int(argument(node, position, entry.kwargs[0] if entry.kwargs else None), ctx)
        if mode is None or not mode & (stat.S_IWOTH | stat.S_IWGRP):
            return
        func = name.removeprefix("pathlib.")
        who = "any user" if mode & stat.S_IWOTH else "the group"
        if entry.get("umask", False):
            message = (
                f"`{func}` requests mode {oct(mode)}, which lets {who} write unless the umask removes it"
            )
            yield self.hit(node, message, confidence=Confidence.LOW)
            return
        confidence = None if mode & stat.S_IWOTH else Confidence.MEDIUM
        yield self.hit(node, f"`{func}` sets mode {oct(mode)}, which lets {who} write", confidence=confidence)
