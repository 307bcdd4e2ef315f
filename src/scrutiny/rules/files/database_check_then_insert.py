"""Rule SCR653: a row looked up, then inserted or updated from what was read, without a lock."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._database import Read, Vocabulary, guarded, new_row, read_of, reads_by_name
from scrutiny.rules.files._lifecycle import containing_list
from scrutiny.rules.files._util import bound_value

_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class DatabaseCheckThenInsert(Rule):
    """Checks for a database row looked up and then inserted (or updated from what was read) unlocked.

    ## Why is this bad?
    Two requests (or two workers) run the lookup at the same time, both find no row, and both
    insert one: without a unique constraint the table now holds duplicates (two ports with one
    address, two quota records), and with one the loser fails with an unexpected error. A row
    read and then written back from what was read loses the update another transaction made in
    between (CWE-367, CWE-362).

    ## Example
    ```python
    def set_usage(context, project_id, count):
        usage = model_query(context, models.QuotaUsage).filter_by(project_id=project_id).first()
        if not usage:
            usage = models.QuotaUsage(project_id=project_id, in_use=count)
            context.session.add(usage)
    ```

    ## Use instead
    ```python
    from oslo_db import exception as db_exc


    def set_usage(context, project_id, count):
        try:
            with context.session.begin_nested():
                context.session.add(models.QuotaUsage(project_id=project_id, in_use=count))
        except db_exc.DBDuplicateEntry:
            pass  # another request created it first
    ```

    ## Known problems
    The lookup and the write must be in one function and name the mapped class the same way
    (`models.Port` in both); the check must be the test of an `if` around the insert (or of an
    earlier `if` that leaves the function). A unique constraint on the table is not visible
    from the function, so a check-then-insert on a constrained table is reported though it can
    only fail, not duplicate. A retrying decorator (`wrap_db_retry`, `retry_if_session_inactive`)
    or a handler for `DBDuplicateEntry` anywhere in the function counts as handling the race.

    ## References
    - [CWE-367: Time-of-check Time-of-use (TOCTOU) Race Condition](https://cwe.mitre.org/data/definitions/367.html)
    - [CWE-362: Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')](https://cwe.mitre.org/data/definitions/362.html)
    - [SQLAlchemy: `Query.with_for_update`](https://docs.sqlalchemy.org/en/20/orm/queryguide/query.html)
    """

    code = "SCR653"
    name = "database-check-then-insert"
    cwe = 367
    severity = Severity.MEDIUM
    confidence = Confidence.LOW
    nodes = (ast.Call, ast.AugAssign)
    fix = "Insert and catch `DBDuplicateEntry`, or lock the row with `with_for_update()` before writing."
    preview = True

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        function = ctx.enclosing_function()
        if function is None:
            return
        words = Vocabulary.load(ctx)
        if isinstance(node, ast.AugAssign):
            yield from self._updated_in_place(node, function, words)
            return
        assert isinstance(node, ast.Call)
        model = _inserted(node, words, ctx)
        if model is None or guarded(function, ctx):
            return
        read = _check_for(node, model, words, reads_by_name(function, words), ctx)
        if read is not None:
            message = (
                f"`.{_method(read)}()` on line {read.call.lineno} looks up `{model}` rows, then "
                f"`{ast.unparse(node.func)}(...)` here inserts one with no lock, retry or duplicate "
                "handling; another transaction can insert the same row in between"
            )
            yield self.hit(node, message)

    def _updated_in_place(self, node: ast.AugAssign, function: ast.AST, words: Vocabulary) -> Iterator[Hit]:
        """`row.count += n` on a row read without `with_for_update()`: a lost update."""
        target = node.target
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
            return
        reads = reads_by_name(function, words).get(target.value.id, [])
        read = next((r for r in reads if not r.locked and _method(r) in words.single), None)
        if read is not None:
            message = (
                f"`{ast.unparse(target)}` is read with `.{_method(read)}()` on line {read.call.lineno} "
                "without `with_for_update()` and written back here; an update another transaction "
                "makes in between is lost"
            )
            yield self.hit(node, message)


def _method(read: Read) -> str | None:
    return read.call.func.attr if isinstance(read.call.func, ast.Attribute) else None


def _inserted(call: ast.Call, words: Vocabulary, ctx: Context) -> str | None:
    """The mapped class of the new row `call` writes: `session.add(M(...))`, `M(...).save()`."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in words.inserts:
        return None
    row = argument(call, 0) if func.attr in {"add", "add_all"} else func.value
    if isinstance(row, ast.List | ast.Tuple) and row.elts:
        row = row.elts[0]
    if isinstance(row, ast.Name):
        row = bound_value(row, ctx)
    return None if row is None else new_row(row)


def _check_for(
    node: ast.Call, model: str, words: Vocabulary, reads: dict[str, list[Read]], ctx: Context
) -> Read | None:
    """An unlocked read of `model` tested by an `if` around `node`, or by an earlier exiting `if`."""
    child: ast.AST = node
    for parent in ctx.ancestors():
        if isinstance(parent, ast.If | ast.While | ast.IfExp) and child is not parent.test:
            found = _tested(parent.test, model, words, reads)
            if found is not None:
                return found
        if isinstance(child, ast.stmt) and (where := containing_list(child, ctx)) is not None:
            body, index = where
            for earlier in reversed(body[:index]):
                if isinstance(earlier, ast.If) and earlier.body and isinstance(earlier.body[-1], _EXITS):
                    found = _tested(earlier.test, model, words, reads)
                    if found is not None:
                        return found
        if isinstance(parent, _FUNCTIONS):
            return None
        child = parent
    return None


def _tested(test: ast.expr, model: str, words: Vocabulary, reads: dict[str, list[Read]]) -> Read | None:
    """A read of `model` in the test itself, or through a name the function assigned it to."""
    found = [read_of(n, words) for n in ast.walk(test) if isinstance(n, ast.Call)]
    found += [r for n in ast.walk(test) if isinstance(n, ast.Name) for r in reads.get(n.id, [])]
    return next((r for r in found if r is not None and r.model == model and not r.locked), None)
