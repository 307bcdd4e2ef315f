"""Rule SCR654: the name of a temporary file used again after the file was removed."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, keyword
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._lifecycle import calls, same
from scrutiny.rules.files._util import fold_int


class TempFileNameReused(Rule):
    """Checks for the name of a temporary file opened, or given to a command, after the file is gone.

    ## Why is this bad?
    `NamedTemporaryFile` and `mkstemp` are safe because they create the file atomically, with
    a random name, readable only by its owner. Once the file is removed (by closing a
    `NamedTemporaryFile`, which deletes it, or by `os.remove`) the name is only a predictable
    string in a shared directory: another local user can create a file or a symbolic link by
    that name, and the program, or the command it runs, then writes through it or reads what
    the attacker planted (CWE-377).

    ## Example
    ```python
    import subprocess
    import tempfile

    def dump(db):
        with tempfile.NamedTemporaryFile(suffix=".sql") as handle:
            path = handle.name
        subprocess.run(["pg_dump", "-f", path, db], check=True)
    ```

    ## Use instead
    ```python
    import subprocess
    import tempfile

    def dump(db):
        with tempfile.NamedTemporaryFile(suffix=".sql") as handle:
            subprocess.run(["pg_dump", "-f", handle.name, db], check=True)
    ```

    ## Known problems
    The name, its file and the removal must be in one function; names kept on `self` or passed
    between functions are not followed. Order is judged by line, so a use earlier in a loop than
    a removal later in it is missed. Reopening a closed `mkstemp` or `delete=False` file is not
    reported: the file still exists, owned by the program, so no one else can put one there.

    ## References
    - [CWE-377: Insecure Temporary File](https://cwe.mitre.org/data/definitions/377.html)
    - [Python docs: `tempfile.NamedTemporaryFile`](https://docs.python.org/3/library/tempfile.html#tempfile.NamedTemporaryFile)
    """

    code = "SCR654"
    name = "temp-file-name-reused"
    cwe = 377
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    fix = "Use the file while it exists (inside the `with`), or open the name with `O_EXCL` / mode `x`."
    preview = True

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        function = ctx.enclosing_function()
        if function is None:
            return
        for path in _paths(node, ctx):
            origin = _origin(path, function, node.lineno, ctx)
            gone = _gone(origin, path, function, node.lineno, ctx) if origin is not None else None
            if gone is not None:
                message = (
                    f"`{ast.unparse(node.func)}(...)` here uses `{ast.unparse(path)}`, the name of a "
                    f"temporary file {gone}; another local user can create a file or a link by that "
                    "name first"
                )
                yield self.hit(node, message)
                return


def _paths(call: ast.Call, ctx: Context) -> list[ast.expr]:
    """Paths `call` opens or creates (not atomically), or hands to a command."""
    entry = ctx.api(call.func, "path-use")
    if entry is not None:
        mode = ctx.const(argument(call, entry.get("mode_arg"), "mode"))
        flags = fold_int(argument(call, entry.get("flags_arg"), "flags"), ctx)
        if entry.get("removes") or (isinstance(mode, str) and "x" in mode):
            return []
        if flags is not None and flags & getattr(os, "O_EXCL", 0):
            return []
        return [p for p in (argument(call, i) for i in entry.args) if p is not None]
    if ctx.sink(call, "command-injection") is None:
        return []
    return [e for a in call.args for e in (a.elts if isinstance(a, ast.List | ast.Tuple) else [a])]


_Origin = tuple[ast.Call, Entry, ast.expr]  # the creating call, its row, the handle or the path


def _origin(path: ast.expr, function: ast.AST, before: int, ctx: Context) -> _Origin | None:
    """Where `path` comes from: `handle.name` of a temporary file, or the path `mkstemp` returned."""
    if isinstance(path, ast.Attribute) and isinstance(path.value, ast.Name):
        latest = _assigned(function, path.value.id, before)[:1]
        for node, index in latest:
            if not isinstance(node, ast.Call) or index is not None:
                continue
            entry = ctx.api(node.func, "temp-file")
            if entry is not None and entry.get("name_attr") == path.attr:
                return node, entry, path.value
        return None
    if not isinstance(path, ast.Name):
        return None
    for value, index in _assigned(function, path.id, before)[:1]:  # the latest binding only
        if index is None and isinstance(value, ast.Attribute):
            return _origin(value, function, before, ctx)
        entry = ctx.api(value.func, "temp-file") if isinstance(value, ast.Call) else None
        if isinstance(value, ast.Call) and entry is not None and index == entry.get("path_index"):
            return value, entry, path
    return None


def _assigned(function: ast.AST, name: str, before: int) -> list[tuple[ast.expr, int | None]]:
    """`(value, None)` for `name = value` or `with value as name`; `(value, i)` for unpacking."""
    found: list[tuple[int, ast.expr, int | None]] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and node.lineno < before:
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    found.append((node.lineno, node.value, None))
                elif isinstance(target, ast.Tuple):
                    for i, elt in enumerate(target.elts):
                        if isinstance(elt, ast.Name) and elt.id == name:
                            found.append((node.lineno, node.value, i))
        elif isinstance(node, ast.With | ast.AsyncWith) and node.lineno < before:
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                    found.append((node.lineno, item.context_expr, None))
    return [(v, i) for _, v, i in sorted(found, key=lambda f: f[0], reverse=True)]


def _gone(origin: _Origin, path: ast.expr, function: ast.AST, before: int, ctx: Context) -> str | None:
    """How, and on which line, the file behind `path` was removed before line `before`."""
    create, entry, handle = origin
    deletes = bool(entry.get("deletes"))
    flag = keyword(create, str(entry.get("delete_kwarg"))) if entry.get("delete_kwarg") else None
    if flag is not None:
        deletes = ctx.const(flag) is not False
    for node in ast.walk(function):
        if (
            deletes
            and isinstance(node, ast.With | ast.AsyncWith)
            and any(i.context_expr is create for i in node.items)
        ):
            end = node.end_lineno or node.lineno
            if end < before:
                return f"removed when the `with` block on line {node.lineno} closed it"
    for call in calls(function):
        if call.lineno >= before or not isinstance(call.func, ast.Attribute | ast.Name):
            continue
        closes = isinstance(call.func, ast.Attribute) and call.func.attr == "close"
        if deletes and closes and isinstance(call.func, ast.Attribute) and same(call.func.value, handle):
            return f"removed when `{ast.unparse(call)}` closed it on line {call.lineno}"
        removal = ctx.api(call.func, "path-use")
        removes = removal is not None and removal.get("removes") and call.args
        if removes and (same(call.args[0], path) or same(call.args[0], handle)):
            return f"removed by `{ast.unparse(call)}` on line {call.lineno}"
    return None
