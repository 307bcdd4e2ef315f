"""Rule SCR811: input read inside a service loop converted without handling a malformed value."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.errors._handlers import handler_parameter
from scrutiny.rules.files._lifecycle import handles, in_try_body, vocabulary
from scrutiny.rules.files._util import bound_value

_PARSE_ERRORS = frozenset(
    f"builtins.{n}" for n in ("ValueError", "TypeError", "Exception", "BaseException", "UnicodeDecodeError")
) | {
    "json.JSONDecodeError",
    "json.decoder.JSONDecodeError",
    "binascii.Error",
    "netaddr.AddrFormatError",
    "netaddr.core.AddrFormatError",
}


class UnguardedInputParseInLoop(Rule):
    """Checks for `int()`, `json.loads()` and kin on data read inside a `while` loop, unguarded.

    ## Why is this bad?
    A long-running loop that reads messages (an agent, a monitor, a socket server) dies on the
    first value that does not parse: the exception leaves the loop, and the daemon stops
    serving everyone. Anyone who can write one malformed line to the socket or file can stop
    it (CWE-754; a crash, CWE-703).

    ## Example
    ```python
    def serve(sock):
        while True:
            data = sock.recv(1024)
            print(int(data))
    ```

    ## Use instead
    ```python
    def serve(sock):
        while True:
            data = sock.recv(1024)
            try:
                size = int(data)
            except ValueError:
                continue
            print(size)
    ```

    The same holds for a value an RPC message or a request carries: a parameter of a public
    method of an RPC endpoint (a class that sets `target = oslo_messaging.Target(...)`) or of a
    `webob.dec.wsgify` / `pecan.expose` handler, converted with no handler around it, turns
    one malformed message into an exception with a traceback (reported at low confidence: the
    RPC server or WSGI stack catches it, so the worker lives on).

    ## Known problems
    The data must come from a call named `recv`, `readline` or `read` (directly or through
    one assignment), or be a handler parameter (also through `param["key"]` or
    `param.get("key")`); `for` loops over a stream are not followed, nor a parameter copied
    into another name first. Indexing alone (`param["key"]`) is not reported: RPC and API
    schemas usually guarantee the keys. Only handlers between the conversion and the loop
    count: one around the whole loop still stops it.

    ## References
    - [CWE-754: Improper Check for Unusual or Exceptional Conditions](https://cwe.mitre.org/data/definitions/754.html)
    - [CWE-703: Improper Check or Handling of Exceptional Conditions](https://cwe.mitre.org/data/definitions/703.html)
    """

    code = "SCR811"
    name = "unguarded-input-parse-in-loop"
    cwe = 754
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:input-parse",)),)
    fix = "Catch `ValueError` (and the parser's errors) inside the loop and skip the bad message."
    preview = True  # no finding on neutron or nova to measure its precision with

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        if not node.args or ctx.api(node.func, "input-parse") is None:
            return
        handler = handler_parameter(node.args[0], ctx)
        if handler is not None and not in_try_body(node, ctx, _PARSE_ERRORS):
            value = ast.unparse(node.args[0])
            origin = f"`{value}`" if value == handler.parameter else f"`{value}` from `{handler.parameter}`"
            message = (
                f"`{ast.unparse(node.func)}(...)` converts {origin}, {handler.what}, with no handler "
                "for a malformed value; it raises out of the handler"
            )
            fix = "Catch the parser's error (`ValueError`, `AddrFormatError`, ...) and reject the message."
            yield self.hit(node, message, confidence=Confidence.LOW, fix=fix)
            return
        read = _read_call(node.args[0], ctx)
        loop = _unguarded_loop(node, ctx) if read is not None else None
        if read is None or loop is None:
            return
        message = (
            f"`{ast.unparse(node.func)}(...)` converts what `{ast.unparse(read.func)}` on line {read.lineno} "
            f"read, in the `while` loop on line {loop.lineno}; a malformed value raises out of the loop"
        )
        yield self.hit(node, message)


def _read_call(expr: ast.expr, ctx: Context) -> ast.Call | None:
    if isinstance(expr, ast.Name):
        bound = bound_value(expr, ctx)
        expr = bound if bound is not None else expr
    reads = vocabulary(ctx, "input-reads")
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in reads:
        return expr
    return None


def _unguarded_loop(node: ast.AST, ctx: Context) -> ast.While | None:
    """The innermost `while` around `node` with no parse-error handler in between."""
    child = node
    for parent in ctx.ancestors():
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return None
        if isinstance(parent, ast.Try | ast.TryStar) and handles(parent, child, ctx, _PARSE_ERRORS):
            return None
        if isinstance(parent, ast.While):
            return parent
        child = parent
    return None
