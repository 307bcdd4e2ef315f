"""Rule SCR652: a resource released in straight-line code that an exception can skip."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._lifecycle import calls, can_raise, containing_list, same

_PAIRS = "lifecycle-method-pairs"


@dataclass(frozen=True, slots=True)
class _Resource:
    handle: ast.expr  # the object released, or the name passed to the release call
    methods: frozenset[str]  # `handle.close()`
    functions: frozenset[str]  # `shutil.rmtree(handle)`
    receiver: ast.expr | None = None  # for method pairs: `iptables` in `iptables.remove_chain(name)`


class ReleaseSkippedOnError(Rule):
    """Checks for files, sockets, processes, locks and agent resources whose release an exception skips.

    ## Why is this bad?
    When a call between taking a resource and giving it back raises, the release never runs:
    file descriptors, sockets and child processes leak until the worker runs out of them, a
    lock stays held and every thread that needs it hangs, and a namespace, a network device or
    an Open vSwitch port stays behind on the host. Long-running agents turn each such error
    into a slow outage.

    ## Example
    ```python
    import threading

    LOCK = threading.Lock()

    def update(state, item):
        LOCK.acquire()
        state.apply(item)
        LOCK.release()
    ```

    ## Use instead
    ```python
    import threading

    LOCK = threading.Lock()

    def update(state, item):
        with LOCK:
            state.apply(item)
    ```

    ## Known problems
    Only a release in the same block as the acquisition is followed, and only calls count as
    able to raise (logging calls aside). A resource never released at all, or released in
    another function, is not reported. A `try` whose `except` or `finally` releases the same
    object (directly or through `excutils.save_and_reraise_exception`) covers it. Agent
    resources are known by their undo call on the same object (`ip.add_veth(name, ...)` and
    `ip.del_veth(name)`, `bridge.add_port(name)` and `bridge.delete_port(name)`); a device
    removed through `IPDevice(name).link.delete()` is not matched. iptables chains are not
    modelled: `IptablesManager` keeps them in memory until `apply()`.

    ## References
    - [CWE-404: Improper Resource Shutdown or Release](https://cwe.mitre.org/data/definitions/404.html)
    - [CWE-772: Missing Release of Resource after Effective Lifetime](https://cwe.mitre.org/data/definitions/772.html)
    """

    code = "SCR652"
    name = "release-skipped-on-error"
    cwe = 404
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Assign, ast.Expr)
    fix = "Release the resource in a `with` block or a `finally` clause."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Assign | ast.Expr)
        if not isinstance(node.value, ast.Call) or ctx.enclosing_function() is None:
            return
        resource = _resource(node, node.value, ctx)
        where = containing_list(node, ctx)
        if resource is None or where is None or _covered(node, resource, ctx):
            return
        body, index = where
        for later, stmt in enumerate(body[index + 1 :], start=index + 1):
            release = next((c for c in calls(stmt) if _releases(c, resource, ctx)), None)
            if release is None:
                continue
            raising = next((c for c in map(can_raise, body[index + 1 : later]) if c is not None), None)
            if raising is not None:
                message = (
                    f"`{ast.unparse(node.value.func)}(...)` is released by `{ast.unparse(release)}` on line "
                    f"{release.lineno}, but `{ast.unparse(raising.func)}(...)` on line {raising.lineno} can "
                    "raise first and no `with` or `finally` releases it"
                )
                yield self.hit(node, message)
            return


def _resource(node: ast.Assign | ast.Expr, call: ast.Call, ctx: Context) -> _Resource | None:
    entry = ctx.api(call.func, "resource-open")
    methods = frozenset(str(m) for m in entry.get("release", [])) if entry else frozenset()
    functions = frozenset(str(f) for f in entry.get("release_calls", [])) if entry else frozenset()
    if entry is not None and entry.get("handle") == "arg" and call.args:
        return _Resource(call.args[0], methods, functions)
    if entry is not None and isinstance(node, ast.Assign):
        target = node.targets[0]
        return _Resource(target, methods, functions) if isinstance(target, ast.Name) else None
    if entry is None and isinstance(call.func, ast.Attribute):  # also `root, peer = ip.add_veth(...)`
        give = _method_pairs(ctx).get(call.func.attr)
        if give is not None:
            handle = call.args[0] if call.args else call.func.value
            receiver = call.func.value if call.args else None
            return _Resource(handle, frozenset({give}), frozenset(), receiver)
    return None


def _method_pairs(ctx: Context) -> dict[str, str]:
    """Release method by taking method, read once per file (every unresolved method call asks);
    the first pair for a method wins, as in the row's order."""
    found: dict[str, str] | None = ctx.file_memo.get(_PAIRS)
    if found is None:
        row = ctx.models.lookup("api", "lifecycle-vocabulary.method-pairs")
        found = ctx.file_memo[_PAIRS] = {}
        for take, give in row.get("pairs", []) if row is not None else []:
            found.setdefault(take, give)
    return found


def _releases(call: ast.Call, resource: _Resource, ctx: Context) -> bool:
    func = call.func
    if resource.receiver is not None:  # a method pair: `obj.give(handle)`
        return (
            isinstance(func, ast.Attribute)
            and func.attr in resource.methods
            and same(func.value, resource.receiver)
            and bool(call.args)
            and same(call.args[0], resource.handle)
        )
    if (
        isinstance(func, ast.Attribute)
        and func.attr in resource.methods
        and same(func.value, resource.handle)
    ):
        return True
    return (
        bool(call.args) and same(call.args[0], resource.handle) and ctx.call_name(call) in resource.functions
    )


def _covered(node: ast.stmt, resource: _Resource, ctx: Context) -> bool:
    """An enclosing `try` (in this function) releases the resource in a handler or `finally`."""
    for parent in ctx.ancestors():
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return False
        if isinstance(parent, ast.Try | ast.TryStar):
            cleanup: list[ast.AST] = [*parent.handlers, *parent.finalbody]
            if any(_releases(c, resource, ctx) for part in cleanup for c in calls(part)):
                return True
    return False
