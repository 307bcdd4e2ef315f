"""Rule SCR812: a request body read whole, or sized by the client's own Content-Length."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.files._lifecycle import last_name, vocabulary, words
from scrutiny.rules.files._util import bound_value

_OWNERS = frozenset({"request", "req"})


class UnboundedRequestRead(Rule):
    """Checks for request bodies read with no size limit, or sized by the request's `Content-Length`.

    ## Why is this bad?
    `environ["wsgi.input"].read()` and `request.stream.read()` read whatever the client sends,
    and `rfile.read(int(headers["Content-Length"]))` allocates whatever size the client
    announces. One request with a multi-gigabyte body exhausts the worker's memory and takes
    down every request it serves (CWE-400, CWE-770).

    ## Example
    ```python
    def app(environ, start_response):
        body = environ["wsgi.input"].read()
        start_response("200 OK", [])
        return [body]
    ```

    ## Use instead
    ```python
    MAX_BODY = 1 << 20

    def app(environ, start_response):
        body = environ["wsgi.input"].read(MAX_BODY)
        start_response("200 OK", [])
        return [body]
    ```

    ## Known problems
    Streams are recognised by name (`environ["wsgi.input"]`, `body_file`, `rfile`,
    `request.stream`); a server or middleware that limits the body size first is not seen.
    A size bounded with `min(...)` is taken as bounded.

    ## References
    - [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
    - [CWE-770: Allocation of Resources Without Limits or Throttling](https://cwe.mitre.org/data/definitions/770.html)
    """

    code = "SCR812"
    name = "unbounded-request-read"
    cwe = 400
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    # Both methods it checks (`read`, `readlines`) hold the word, and a method name is written
    # out in the source (not `.read`: `stream. read()` is valid too).
    needles = ("read",)
    fix = "Read at most a fixed maximum (`read(MAX_BODY)`), and refuse larger bodies with 413."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("read", "readlines"):
            return
        stream = _stream(func.value, ctx)
        if stream is None:
            return
        size = argument(node, 0, "size")
        if size is None or ctx.const(size) in (-1, None):
            yield self.hit(node, f"`{stream}.{func.attr}()` reads the whole request body with no limit")
            return
        header = _client_length(size, ctx)
        if header is not None:
            yield self.hit(node, f"`{stream}.read` takes its size from `{header}`, which the client chooses")


def _stream(expr: ast.expr, ctx: Context) -> str | None:
    if isinstance(expr, ast.Subscript) and ctx.const(expr.slice) in vocabulary(
        ctx, "request-streams", "keys"
    ):
        return ast.unparse(expr)
    if isinstance(expr, ast.Attribute) and expr.attr in vocabulary(ctx, "request-streams"):
        owner = last_name(expr.value)
        if expr.attr != "stream" or (owner is not None and words(owner) & _OWNERS):
            return ast.unparse(expr)
    return None


def _client_length(size: ast.expr, ctx: Context) -> str | None:
    """The length header `size` comes from, when nothing bounds it."""
    if isinstance(size, ast.Name):
        bound = bound_value(size, ctx)
        size = bound if bound is not None else size
    if not (isinstance(size, ast.Call) and ctx.call_name(size) == "builtins.int" and size.args):
        return None
    headers = vocabulary(ctx, "request-streams", "length_headers")
    for sub in ast.walk(size.args[0]):
        value = ctx.const(sub) if isinstance(sub, ast.Constant) else None
        if isinstance(value, str) and value.lower() in headers:
            return ast.unparse(size.args[0])
    return None
