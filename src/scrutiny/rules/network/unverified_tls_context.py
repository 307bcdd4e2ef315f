"""Rule SCR504: a TLS context that does not check certificates or host names."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.network._util import constructed_by

_CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
# A server context does not ask clients for certificates by default: CERT_NONE there is normal.
_SERVER_SIDE = frozenset({"ssl.PROTOCOL_TLS_SERVER", "ssl.Purpose.CLIENT_AUTH"})
_CONTEXT_MAKERS = frozenset({"ssl.SSLContext", "ssl.create_default_context"})


class UnverifiedTlsContext(Rule):
    """Checks for TLS contexts that skip certificate or host name checks:
    `ssl._create_unverified_context`, `check_hostname = False`, `verify_mode = CERT_NONE`.

    ## Why is this bad?
    A client that does not check the server certificate, or does not check that it names
    the host it meant to reach, talks to whoever answers: an attacker on the path can read
    and change everything, including credentials. Assigning the unverified factory to
    `ssl._create_default_https_context` turns the checks off for every `urllib` request in
    the process.

    ## Example
    ```python
    import ssl

    context = ssl._create_unverified_context()
    ```

    ## Use instead
    ```python
    import ssl

    context = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
    ```

    ## Known problems
    A store on an object not built in view (a parameter, `self`) is reported at medium
    confidence: `verify_mode = CERT_NONE` on a server context only means clients need no
    certificate, and a class of the project's own may have a `check_hostname` attribute.
    Contexts built with `PROTOCOL_TLS_SERVER` or `Purpose.CLIENT_AUTH` are not reported.

    ## References
    - [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
    - [PEP 476: Enabling certificate verification by default](https://peps.python.org/pep-0476/)
    """

    code = "SCR504"
    name = "unverified-tls-context"
    cwe = 295
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Attribute, ast.Name, ast.Assign)
    gate = ((ast.Name, ("api:unverified-tls-context",)), (ast.Attribute, ("api:unverified-tls-context",)))
    # A name must resolve to a row (its last name is written), or an assignment set one of the
    # two attributes `_store` looks at.
    needles = ("api:unverified-tls-context", "check_hostname", "verify_mode")
    fix = "Use `ssl.create_default_context()`, giving it the private CA with `cafile` when needed."
    bandit = ("B323",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute):
                    yield from self._store(node, target, ctx)
            return
        assert isinstance(node, ast.Attribute | ast.Name)
        if isinstance(node.ctx, ast.Load):
            entry = ctx.api(node, "unverified-tls-context")
            if entry is not None:
                yield self.hit(
                    node, f"`{entry.name}` builds a context that checks neither certificates nor host names"
                )

    def _store(self, node: ast.Assign, target: ast.Attribute, ctx: Context) -> Iterator[Hit]:
        if target.attr == "check_hostname" and ctx.const(node.value) is False:
            message = "`check_hostname` is set to `False`, so the certificate's host name is not checked"
        elif target.attr == "verify_mode" and ctx.qualified_name(node.value) in _CERT_NONE:
            message = "`verify_mode` is set to `ssl.CERT_NONE`, so peer certificates are not checked"
        else:
            return
        side = _side(target.value, ctx)
        if side != "server":  # an object we cannot see built may not be a client context
            yield self.hit(node, message, confidence=Confidence.MEDIUM if side is None else None)


def _side(expr: ast.expr, ctx: Context) -> str | None:
    """`server` or `client` when the context's constructor says so, else None."""
    maker = constructed_by(expr, ctx)
    if maker is None or ctx.call_name(maker) not in _CONTEXT_MAKERS:
        return None
    first = argument(maker, 0, "protocol") or argument(maker, 0, "purpose")
    return "server" if first is not None and ctx.qualified_name(first) in _SERVER_SIDE else "client"
