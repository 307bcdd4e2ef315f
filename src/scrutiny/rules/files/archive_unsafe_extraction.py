"""Rule SCR604: tar archives extracted without a filter on member paths and types."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context, argument, keyword
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._util import method_name, object_type, path_text

_SAFE_FILTERS: Final = ("data", "tar")
_UNSAFE_FILTERS: Final = ("tarfile.fully_trusted_filter",)


class ArchiveUnsafeExtraction(Rule):
    """Checks for tar archives extracted without `filter="data"` (or `"tar"`).

    ## Why is this bad?
    A tar member can be named `../../home/user/.bashrc` or `/etc/cron.d/job`, be a symbolic or
    hard link to a file outside the target directory, or be a device file. Before Python 3.14,
    `TarFile.extractall`, `TarFile.extract` and `shutil.unpack_archive` honour all of these
    unless a filter is given, so an archive from elsewhere can write anywhere the process can.

    ## Example
    ```python
    import tarfile

    with tarfile.open("upload.tar.gz") as tar:
        tar.extractall("out")
    ```

    ## Use instead
    ```python
    import tarfile

    with tarfile.open("upload.tar.gz") as tar:
        tar.extractall("out", filter="data")
    ```

    ## Known problems
    `zipfile` extraction is not reported: `ZipFile.extract` and `extractall` drop absolute
    paths and `..` components themselves. A filter set on the object
    (`tar.extraction_filter = tarfile.data_filter`) is not seen. Members selected by the
    code's own function are reported at low confidence, since such filters often miss
    absolute paths and links; so is `.extractall()` on an object of unknown type in a module
    that imports `tarfile`. From Python 3.14 the default filter is `"data"`, so code that
    requires 3.14 is safe without the argument.

    ## References
    - [CWE-22: Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')](https://cwe.mitre.org/data/definitions/22.html)
    - [Python docs: extraction filters](https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter)
    """

    code = "SCR604"
    name = "archive-unsafe-extraction"
    cwe = 22
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:archive-extract",)),)
    fix = 'Pass `filter="data"` to `extractall`, `extract` or `shutil.unpack_archive`.'
    bandit = ("B202",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        name = method_name(node, ctx)
        entry = ctx.models.lookup("api", name, "archive-extract")
        if entry is None:
            if name is None and _unknown_tar_extractall(node, ctx):
                message = "`extractall` is called without `filter=` in a module that uses `tarfile`"
                yield self.hit(node, message, confidence=Confidence.LOW)
            return
        assert name is not None
        if _filtered(node, ctx):
            return
        func = name.removeprefix("tarfile.")
        confidence = _confidence(node, entry, ctx)
        if confidence is None:
            return
        given = keyword(node, "filter")
        how = "without `filter=`" if given is None else f"with `filter={ast.unparse(given)}`"
        yield self.hit(
            node, f"`{func}` extracts {how}, which trusts member paths and links", confidence=confidence
        )


def _filtered(call: ast.Call, ctx: Context) -> bool:
    value = keyword(call, "filter")
    if value is None:
        return False
    known = ctx.const(value)
    if isinstance(known, str) or known is None:
        return known in _SAFE_FILTERS  # "fully_trusted", None: the unsafe default
    return ctx.qualified_name(value) not in _UNSAFE_FILTERS  # a callable of the code's own is trusted


def _confidence(call: ast.Call, entry: Entry, ctx: Context) -> Confidence | None:
    """How sure a finding is; None when safe: a zip archive, a member named in the code, no members."""
    target = argument(call, entry.args[0], entry.kwargs[0])
    if entry.get("format_kwarg") is not None:  # shutil.unpack_archive
        fmt = ctx.const(argument(call, entry.get("format_arg"), entry.get("format_kwarg")))
        if isinstance(fmt, str):
            return None if fmt == "zip" else Confidence.HIGH
        found = None if target is None else path_text(target, ctx)
        if found is not None and found.complete and found.text.endswith(".zip"):
            return None
        return Confidence.MEDIUM
    if entry.get("single", False):  # TarFile.extract(member)
        return None if isinstance(ctx.const(target), str) else Confidence.MEDIUM
    if target is None:
        return Confidence.HIGH
    if ctx.const(target) in ([], ()):
        return None
    if object_type(target, ctx) == "tarfile.TarFile" or _is_getmembers(target):
        return Confidence.HIGH
    return Confidence.LOW


def _is_getmembers(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "getmembers"
    )


def _unknown_tar_extractall(call: ast.Call, ctx: Context) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != "extractall" or _filtered(call, ctx):
        return False
    if object_type(func.value, ctx) is not None:
        return False
    module = ctx.stack[0].bindings.values()
    return any(b.qualname == "tarfile" or (b.qualname or "").startswith("tarfile.") for b in module)
