"""Rule SCR650: a path checked with `os.path.exists` and kin, then used as if nothing changed."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, keyword
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._lifecycle import OS_ERRORS, calls, containing_list, in_try_body, same
from scrutiny.rules.files._util import fold_int

_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)


class CheckThenUseRace(Rule):
    """Checks for a path tested with `os.path.exists` and kin, then created, removed or linked.

    ## Why is this bad?
    The file system can change between the check and the use: another process, or a local
    attacker, can create, remove or replace the file with a symbolic link in between. The
    program then writes through a link it did not expect, fails on a file that appeared, or
    crashes on one that vanished (CWE-367, time-of-check time-of-use).

    ## Example
    ```python
    import os

    def make(directory):
        if not os.path.isdir(directory):
            os.makedirs(directory)
    ```

    ## Use instead
    ```python
    import os

    def make(directory):
        os.makedirs(directory, exist_ok=True)
    ```

    ## Known problems
    Only the same path expression is matched, in the body of the `if` that checks it or after
    an `if` that leaves early; a check stored in a variable first is not followed. A use inside a
    `try` with a handler for `OSError` (or a subclass) is taken as handling the lost race. Files
    opened for reading are not reported: on the reviewed corpora they were almost always files
    no one else changes (`/etc/machine-id`, sysfs), and a lost race there costs a crash.

    ## References
    - [CWE-367: Time-of-check Time-of-use (TOCTOU) Race Condition](https://cwe.mitre.org/data/definitions/367.html)
    """

    code = "SCR650"
    name = "check-then-use-race"
    cwe = 367
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:path-use",)),)
    fix = "Act first and handle the error (`exist_ok=True`, mode `x`, `O_EXCL`, `except FileNotFoundError`)."
    preview = True  # 5 of 12 right on neutron and nova (docs/lifecycle-findings.md)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "path-use")
        if entry is None or _atomic(node, entry, ctx) or _reads(node, entry, ctx):
            return
        if in_try_body(node, ctx, OS_ERRORS):
            return
        paths = [p for p in (argument(node, i) for i in entry.args) if p is not None]
        found = _check_for(paths, node, ctx)
        if found is None:
            return
        check = ast.unparse(found)
        use = f"{ast.unparse(node.func)}({ast.unparse(paths[0])})"
        message = (
            f"`{check}` on line {found.lineno} checks the path, then `{use}` here uses it; "
            "another process can change the file in between"
        )
        yield self.hit(node, message)


def _atomic(call: ast.Call, entry: Entry, ctx: Context) -> bool:
    tolerant = entry.get("tolerant_kwarg")  # `exist_ok=True`, `ignore_errors=True`
    if tolerant and ctx.const(keyword(call, str(tolerant))) is True:
        return True
    mode = argument(call, entry.get("mode_arg"), "mode")
    if entry.get("atomic_mode") and isinstance(ctx.const(mode), str):
        return str(entry.get("atomic_mode")) in ctx.const(mode)
    flags = fold_int(argument(call, entry.get("flags_arg"), "flags"), ctx)
    return flags is not None and bool(flags & getattr(os, "O_EXCL", 0))


def _reads(call: ast.Call, entry: Entry, ctx: Context) -> bool:
    if entry.get("mode_arg") is None:
        return False
    mode = argument(call, entry.get("mode_arg"), "mode")
    value = "r" if mode is None else ctx.const(mode)
    return isinstance(value, str) and not set(value) & set("wax+")


def _check_for(paths: list[ast.expr], node: ast.Call, ctx: Context) -> ast.Call | None:
    """The check on one of `paths`: in an enclosing `if`, or in an earlier `if` that exits."""
    child: ast.AST = node
    for parent in ctx.ancestors():
        if isinstance(parent, ast.If | ast.While) and child is not parent.test:
            found = _checked(parent.test, paths, ctx)
            if found is not None:
                return found
        if isinstance(child, ast.stmt):
            where = containing_list(child, ctx)
            if where is not None:
                body, index = where
                for earlier in reversed(body[:index]):
                    if isinstance(earlier, ast.If) and earlier.body and isinstance(earlier.body[-1], _EXITS):
                        found = _checked(earlier.test, paths, ctx)
                        if found is not None:
                            return found
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return None
        child = parent
    return None


def _checked(test: ast.expr, paths: list[ast.expr], ctx: Context) -> ast.Call | None:
    for call in calls(test):
        entry = ctx.api(call.func, "path-check")
        if entry is not None and any(same(argument(call, i), p) for i in entry.args for p in paths):
            return call
    return None
