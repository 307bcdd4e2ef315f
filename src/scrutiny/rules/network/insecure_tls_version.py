"""Rule SCR502: SSLv2, SSLv3, TLS 1.0 or TLS 1.1 selected as the protocol version."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

# Context attributes that bound the negotiated version: a deprecated version there lets it in.
_VERSION_ATTRIBUTES = frozenset({"minimum_version", "maximum_version"})


class InsecureTlsVersion(Rule):
    """Checks for SSLv2, SSLv3, TLS 1.0 and TLS 1.1 protocol constants passed to calls, used as
    defaults, or set as a context's version bound.

    ## Why is this bad?
    SSLv2 and SSLv3 are broken (DROWN, POODLE) and TLS 1.0 and 1.1 are deprecated by
    RFC 8996 (BEAST, weak MACs, no modern cipher suites). Pinning one of them, or letting a
    context go down to one, lets an attacker on the path force a connection they can attack.
    `ssl.PROTOCOL_TLS_CLIENT` and `SSL.TLS_METHOD` negotiate the best version both sides
    support; `minimum_version` keeps the floor at TLS 1.2.

    ## Example
    ```python
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    ```

    ## Use instead
    ```python
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    ```

    ## Known problems
    `ssl.PROTOCOL_SSLv23` and `SSL.SSLv23_METHOD` are not reported: despite the name they
    negotiate the highest version both ends support (Bandit reports them). A constant passed
    to a function that is not a known TLS API is reported at medium confidence, as is a
    parameter default.

    ## References
    - [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
    - [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
    - [Python docs: `ssl` security considerations](https://docs.python.org/3/library/ssl.html#ssl-security)
    """

    code = "SCR502"
    name = "insecure-tls-version"
    cwe = 327
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Attribute, ast.Name)
    gate = ((ast.Name, ("api:insecure-tls-protocol",)), (ast.Attribute, ("api:insecure-tls-protocol",)))
    fix = "Negotiate with `ssl.PROTOCOL_TLS_CLIENT`/`SSL.TLS_METHOD` and set the minimum version to TLS 1.2."
    bandit = ("B502", "B503")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Attribute | ast.Name)
        if not isinstance(node.ctx, ast.Load):
            return
        entry = ctx.api(node, "insecure-tls-protocol")
        if entry is None:
            return
        confidence = _use(node, ctx)
        if confidence is None:
            return
        message = (
            f"`{entry.name}` selects {entry.get('label', 'an old version')}, a deprecated protocol version"
        )
        yield self.hit(node, message, confidence=confidence)


def _use(node: ast.expr, ctx: Context) -> Confidence | None:
    """How sure we are the constant selects a protocol here; None when it does not (a
    comparison, an assignment to a plain name reported where the name is used)."""
    parent = ctx.parent()
    call = ctx.parent(2) if isinstance(parent, ast.keyword) else parent
    if isinstance(call, ast.Call) and (isinstance(parent, ast.keyword) or node in call.args):
        known = ctx.api(call.func, "tls-wrap") is not None
        return Confidence.HIGH if known else Confidence.MEDIUM
    # The walker visits defaults from the function node itself (no `arguments` parent).
    defaults = (
        parent.args if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) else None
    )
    if defaults is not None and (node in defaults.defaults or node in defaults.kw_defaults):
        return Confidence.MEDIUM
    if isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is node:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if any(isinstance(t, ast.Attribute) and t.attr in _VERSION_ATTRIBUTES for t in targets):
            return Confidence.HIGH
    return None
