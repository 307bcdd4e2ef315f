"""Rule SCR651: shared state updated in place from a function that runs on another thread."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._concurrency import Entries, concurrent_functions, in_place, written_by_entry
from scrutiny.rules.files._lifecycle import last_name, vocabulary, words

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class UnsynchronizedSharedUpdate(Rule):
    """Checks for `+=` and kin on shared state in functions started as threads or pool tasks, unlocked.

    ## Why is this bad?
    `x += 1` reads, computes and writes in separate steps; a thread switch (or a green-thread
    yield in eventlet code) between them loses an update made by another thread. Counters go
    wrong, sets lose members, and state used for quotas, ports or routers drifts from reality
    (CWE-362).

    ## Example
    ```python
    import threading

    COUNT = 0

    def worker():
        global COUNT
        COUNT += 1

    threading.Thread(target=worker).start()
    ```

    ## Use instead
    ```python
    import threading

    COUNT = 0
    LOCK = threading.Lock()

    def worker():
        global COUNT
        with LOCK:
            COUNT += 1

    threading.Thread(target=worker).start()
    ```

    ## Known problems
    A function counts as concurrent when this module passes it to `threading.Thread`, an
    eventlet spawn, a looping call or a pool's `submit`; a public method of a class that sets
    `target = oslo_messaging.Target(...)` (an RPC endpoint) counts too, and so does an agent
    loop (`rpc_loop`, `daemon_loop`) when another concurrent method assigns the same attribute.
    Endpoints registered without that attribute and functions started from other modules are
    not known. `|=`, `-=` and kin on a name first bound to a set, list or dict change the
    container in place and are not reported. A `self` attribute is reported only when another
    method (not `__init__`) also uses it. Locks are recognised by API or by name (`with self._lock:`,
    `@synchronized`); a lock taken by the caller is not seen. Under eventlet without a yield
    between read and write the update is safe, which this rule cannot tell.

    ## References
    - [CWE-362: Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')](https://cwe.mitre.org/data/definitions/362.html)
    """

    code = "SCR651"
    name = "unsynchronized-shared-update"
    cwe = 362
    severity = Severity.MEDIUM
    confidence = Confidence.LOW
    nodes = (ast.AugAssign,)
    fix = "Hold a lock (`with self._lock:`, `lockutils.lock`) around the whole read-modify-write."
    preview = True

    def __init__(self) -> None:
        self._tree: ast.AST | None = None
        self._entries = Entries()

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.AugAssign)
        function = ctx.enclosing_function()
        shared = _shared_name(node.target, function, ctx)
        if function is None or shared is None or in_place(node, shared, ctx):
            return
        if self._tree is not ctx.source.tree:
            self._tree, self._entries = ctx.source.tree, concurrent_functions(ctx.source.tree, ctx)
        reason = self._entries.reason(function)
        if reason is None or _locked(ctx, function):
            return
        cls = ctx.enclosing_class()
        if shared.startswith("self.") and (cls is None or not _used_elsewhere(cls, function, shared[5:])):
            return
        if id(function) in self._entries.loops and not written_by_entry(cls, function, shared, self._entries):
            return
        message = (
            f"`{ast.unparse(node.target)} {_OPS.get(type(node.op), '?=')} ...` updates shared state in "
            f"`{function.name}` without a lock; {reason}"
        )
        yield self.hit(node, message)


_OPS = {ast.Add: "+=", ast.Sub: "-=", ast.BitOr: "|=", ast.BitAnd: "&=", ast.Mult: "*=", ast.BitXor: "^="}


def _shared_name(target: ast.expr, function: ast.AST | None, ctx: Context) -> str | None:
    """`self.x` or a declared global (also through a subscript: `SEEN[k] += 1`)."""
    subscript = isinstance(target, ast.Subscript)
    while isinstance(target, ast.Subscript):
        target = target.value
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        return f"self.{target.attr}"
    if isinstance(target, ast.Name) and function is not None:
        declared = any(isinstance(n, ast.Global) and target.id in n.names for n in ast.walk(function))
        # `SEEN[k] += 1` updates the object a module name holds, not a local's or a closure's
        module = target.id in ctx.stack[0].bindings
        local = any(target.id in scope.bindings for scope in ctx.stack[1:])
        return target.id if declared or (subscript and module and not local) else None
    return None


def _locked(ctx: Context, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A `with` on a lock around the node, or a locking decorator on the function."""
    lock_words = vocabulary(ctx, "lock-names")

    def is_lock(expr: ast.expr) -> bool:
        expr = expr.func if isinstance(expr, ast.Call) else expr
        name = last_name(expr)
        return ctx.api(expr, "lock") is not None or (name is not None and bool(words(name) & lock_words))

    for parent in ctx.ancestors():
        if isinstance(parent, ast.With | ast.AsyncWith) and any(
            is_lock(i.context_expr) for i in parent.items
        ):
            return True
        if isinstance(parent, _FUNCTIONS) and any(is_lock(d) for d in parent.decorator_list):
            return True
    return False


def _used_elsewhere(cls: ast.ClassDef, function: ast.AST, attr: str) -> bool:
    for method in cls.body:
        if isinstance(method, _FUNCTIONS) and method is not function and method.name != "__init__":
            for sub in ast.walk(method):
                if isinstance(sub, ast.Attribute) and sub.attr == attr and ast.unparse(sub.value) == "self":
                    return True
    return False
