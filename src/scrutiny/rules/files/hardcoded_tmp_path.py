"""Rule SCR603: a fixed path in a shared temporary directory, used to create or write a file."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context, argument
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._util import PathText, fold_int, method_name, path_text

# The directories the rule looks for, not ones it writes to.
_SHARED: Final = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108
_WRITE_FLAGS: Final = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class HardcodedTmpPath(Rule):
    """Checks for files and directories created at fixed paths under `/tmp`, `/var/tmp` or `/dev/shm`.

    ## Why is this bad?
    Every local user can create files in these directories. One who knows the name in
    advance can create it first: as a symbolic link to a file the program may write, as a
    directory they own, or as a file with content of their choosing. The program then
    overwrites the wrong file, reads planted data, or fails. A name picked by `tempfile` is
    unpredictable and created atomically with private permissions.

    ## Example
    ```python
    with open("/tmp/report.txt", "w") as handle:
        handle.write("data")
    ```

    ## Use instead
    ```python
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("data")
    ```

    ## Known problems
    Only paths passed to calls that create or write files are reported (Bandit's B108 reports
    every string that starts with `/tmp`). A path built through a function the models do not
    know, or a mode that is not a constant, is not followed. `tempfile` calls with `dir="/tmp"`
    are safe and not reported; a fixed directory below it (`dir="/tmp/app"`) is. Quiet in
    test code.

    ## References
    - [CWE-377: Insecure Temporary File](https://cwe.mitre.org/data/definitions/377.html)
    - [Python docs: `tempfile`](https://docs.python.org/3/library/tempfile.html)
    """

    code = "SCR603"
    name = "hardcoded-tmp-path"
    cwe = 377
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:file-write",)),)
    fix = "Create temporary files with `tempfile` (`NamedTemporaryFile`, `mkstemp`, `mkdtemp`)."
    bandit = ("B108",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        name = method_name(node, ctx)
        entry = ctx.models.lookup("api", name, "file-write")
        writes = None if entry is None else _writes(node, entry, ctx)
        if name is None or entry is None or writes is False:
            return
        if entry.get("receiver", False):
            target = node.func.value if isinstance(node.func, ast.Attribute) else None
        else:
            target = argument(node, entry.args[0], entry.kwargs[0])
        found = None if target is None else path_text(target, ctx)
        root = None if found is None else _shared_root(found, entry.get("subdir", False))
        if target is None or found is None or root is None:
            return
        func = name.removeprefix("builtins.").removeprefix("pathlib.")
        shown = found.text if found.complete else found.text + "..."
        message = f"`{func}` targets `{shown}`, a fixed path in the shared `{root}` directory"
        yield self.hit(target, message, confidence=None if writes else Confidence.LOW)


def _writes(call: ast.Call, entry: Entry, ctx: Context) -> bool | None:
    """Whether the call writes, from its `open` mode or `os.O_*` flags; None when not known."""
    mode_kwarg = entry.get("mode_kwarg")
    if mode_kwarg is not None:
        mode = argument(call, entry.get("mode_arg"), mode_kwarg)
        value = "r" if mode is None else ctx.const(mode)
        return any(c in value for c in "wax+") if isinstance(value, str) else None
    flags_kwarg = entry.get("flags_kwarg")
    if flags_kwarg is not None:
        flags = fold_int(argument(call, entry.get("flags_arg"), flags_kwarg), ctx)
        return None if flags is None else bool(flags & _WRITE_FLAGS)
    return True


def _shared_root(found: PathText, subdir_only: bool) -> str | None:
    """The shared directory the path lies in; None for the directory itself or elsewhere."""
    for root in _SHARED:
        if found.text == root and not found.complete and not subdir_only:
            return root  # f"/tmp{name}"
        if found.text.startswith(root + "/"):
            rest = found.text[len(root) + 1 :].strip("/")
            if rest or (not found.complete and not subdir_only):
                return root
    return None
