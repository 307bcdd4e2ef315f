"""Rule SCR509: an HTTP request that can wait forever."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, has_kwargs_unpacking, keyword
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.network._util import method_call


class RequestWithoutTimeout(Rule):
    """Checks for `requests` calls without a timeout, and `requests`/`httpx` calls and
    clients given `timeout=None`.

    ## Why is this bad?
    `requests` has no default timeout: a server that accepts the connection and never
    answers (or answers one byte a minute) holds the calling thread forever. A few such
    requests exhaust a worker pool, which is a denial of service that needs no bandwidth.
    `httpx` defaults to five seconds, so only an explicit `timeout=None` removes the limit.

    ## Example
    ```python
    import requests

    def fetch(url):
        return requests.get(url)
    ```

    ## Use instead
    ```python
    import requests

    def fetch(url):
        return requests.get(url, timeout=10)
    ```

    ## Known problems
    A call that passes `**kwargs` is not reported (the timeout may be in them). Sessions
    are recognised when built in the same function or module; a session on `self` is not
    followed. Quiet in tests, where a hanging request fails the run anyway.

    ## References
    - [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
    - [requests: Timeouts](https://requests.readthedocs.io/en/latest/user/advanced/#timeouts)
    - [httpx: Timeouts](https://www.python-httpx.org/advanced/timeouts/)
    """

    code = "SCR509"
    name = "request-without-timeout"
    cwe = 400
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:http-request",)),)
    fix = "Pass a finite `timeout` (seconds, or a connect/read pair) to every request."
    bandit = ("B113",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "http-request")
        if entry is not None:
            label, policy = entry.name, entry.get("timeout")
        else:
            found = method_call(node, ctx, "http-request")
            if found is None:
                return
            label, policy = f"{found[0].name}.{found[1]}", found[0].get("method_timeout")
        timeout = keyword(node, "timeout")
        if timeout is None:
            if policy == "none" and not has_kwargs_unpacking(node):
                yield self.hit(node, f"`{label}` is called without a timeout, so it can wait forever")
        elif policy in ("none", "default") and _unlimited(timeout, ctx):
            yield self.hit(
                node, f"`{label}` is called with `timeout={ast.unparse(timeout)}`, so it can wait forever"
            )


def _unlimited(timeout: ast.expr, ctx: Context) -> bool:
    """`None`, a (connect, read) pair with a `None`, or `httpx.Timeout(None)` alone."""
    value = ctx.const(timeout)
    if value is None or (isinstance(value, tuple) and None in value):
        return True
    if isinstance(timeout, ast.Call) and ctx.call_name(timeout) == "httpx.Timeout":
        return len(timeout.args) == 1 and not timeout.keywords and ctx.const(timeout.args[0]) is None
    return False
