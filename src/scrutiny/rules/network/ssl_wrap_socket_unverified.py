"""Rule SCR503: client sockets wrapped with `ssl.wrap_socket`, which checks neither the
certificate (by default) nor the host name (ever)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking
from scrutiny.engine.names import UNKNOWN
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

_VERIFIED = frozenset({"ssl.CERT_REQUIRED", "ssl.CERT_OPTIONAL", "ssl.VerifyMode.CERT_REQUIRED"})


class SslWrapSocketUnverified(Rule):
    """Checks for `ssl.wrap_socket` used on the client side.

    ## Why is this bad?
    `ssl.wrap_socket` builds a context with `cert_reqs=CERT_NONE` unless told otherwise, so
    the server certificate is not checked, and it has no `server_hostname` parameter, so the
    host name is never matched against the certificate even with `CERT_REQUIRED`. Either way
    a machine in the middle can pose as the server. The function was deprecated in Python
    3.7 and removed in 3.12.

    Bandit's B504 reports the missing `ssl_version` instead; that is not the weakness: the
    default negotiates the highest version both ends support.

    ## Example
    ```python
    import socket
    import ssl

    sock = ssl.wrap_socket(socket.create_connection(("example.com", 443)))
    ```

    ## Use instead
    ```python
    import socket
    import ssl

    context = ssl.create_default_context()
    raw = socket.create_connection(("example.com", 443))
    sock = context.wrap_socket(raw, server_hostname="example.com")
    ```

    ## Known problems
    With `cert_reqs=CERT_REQUIRED` only the host name check is missing (still exploitable
    with any certificate the trusted CAs signed), reported at low confidence; so is a
    `server_side` known only at run time, or `**kwargs` that may carry it. Server-side
    sockets (`server_side=True`) are not reported.

    ## References
    - [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
    - [Python 3.11 docs: `ssl.wrap_socket`](https://docs.python.org/3.11/library/ssl.html#ssl.wrap_socket)
    """

    code = "SCR503"
    name = "ssl-wrap-socket-unverified"
    cwe = 295
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:tls-wrap",)),)
    fix = "Wrap the socket with `ssl.create_default_context().wrap_socket(sock, server_hostname=host)`."
    bandit = ("B504",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "tls-wrap")
        if entry is None or entry.get("verify_kwarg") is None:
            return
        side = argument(node, entry.get("server_side_arg"), entry.get("server_side_kwarg"))
        server_side = False if side is None else ctx.const(side)
        if server_side is True:
            return
        unsure = server_side not in (False, None) or has_kwargs_unpacking(node)  # may set either
        confidence = Confidence.LOW if unsure else None
        cert_reqs = argument(node, entry.get("verify_arg"), entry.get("verify_kwarg"))
        if cert_reqs is not None and (
            ctx.qualified_name(cert_reqs) in _VERIFIED or _folds_verified(cert_reqs, ctx)
        ):
            yield self.hit(
                node,
                f"`{entry.name}` checks the certificate but never the host name",
                confidence=Confidence.LOW,
            )
            return
        yield self.hit(
            node,
            f"`{entry.name}` checks neither the server certificate nor its host name",
            confidence=confidence,
        )


def _folds_verified(expr: ast.expr, ctx: Context) -> bool:
    value = ctx.const(expr)
    # ssl.CERT_OPTIONAL == 1, ssl.CERT_REQUIRED == 2; a literal 0 is CERT_NONE.
    return value is not UNKNOWN and isinstance(value, int) and not isinstance(value, bool) and value in (1, 2)
