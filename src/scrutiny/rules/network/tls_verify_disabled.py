"""Rule SCR501: an HTTP client told not to check server certificates."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, keyword
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.network._util import constructed_by, keyword_is, method_call


class TlsVerifyDisabled(Rule):
    """Checks for HTTP client calls and sessions with certificate verification turned off.

    ## Why is this bad?
    `verify=False` (requests, httpx), `ssl=False` (aiohttp) or `cert_reqs="CERT_NONE"`
    (urllib3) make the client accept any certificate. Anyone on the network path can then
    pose as the server, read the traffic and change it, credentials and tokens included.
    The checks are usually switched off to get past a self-signed or private-CA
    certificate; pointing `verify` at that CA bundle keeps them on.

    ## Example
    ```python
    import requests

    requests.get("https://internal.example", verify=False, timeout=10)
    ```

    ## Use instead
    ```python
    import requests

    requests.get("https://internal.example", verify="/etc/ssl/internal-ca.pem", timeout=10)
    ```

    ## Known problems
    Sessions are recognised when built in the same function or module (`s = requests.Session()`,
    `with requests.Session() as s`); a session kept on `self` is not followed. Only literal
    values (or constants folding to them) are reported, not a `verify` computed at run time.

    ## References
    - [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
    - [requests: SSL cert verification](https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification)
    - [httpx: SSL](https://www.python-httpx.org/advanced/ssl/)
    """

    code = "SCR501"
    name = "tls-verify-disabled"
    cwe = 295
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call, ast.Assign)
    gate = ((ast.Call, ("tail:api:http-verify",)),)
    fix = "Keep certificate checks on; pass the private CA bundle as `verify` when the server uses one."
    bandit = ("B501",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        if isinstance(node, ast.Assign):
            yield from self._attribute(node, ctx)
            return
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "http-verify")
        label = entry.name if entry is not None else ""
        if entry is None:
            found = method_call(node, ctx, "http-verify")
            if found is None:
                return
            entry, method = found
            label = f"{entry.name}.{method}"
        value = _insecure_value(node, entry, ctx)
        if value is not None:
            kwarg = entry.get("verify_kwarg", "verify")
            given = f"{kwarg}={ast.unparse(value)}"
            yield self.hit(
                value, f"`{label}` is called with `{given}`, so server certificates are not checked"
            )

    def _attribute(self, node: ast.Assign, ctx: Context) -> Iterator[Hit]:
        for target in node.targets:  # cheaper than folding the value: a row's attribute is set
            if isinstance(target, ast.Attribute) and target.attr in ctx.models.field_values(
                "api", "http-verify", "attribute"
            ):
                break
        else:
            return
        if ctx.const(node.value) is not False:
            return
        for target in node.targets:
            if not isinstance(target, ast.Attribute):
                continue
            maker = constructed_by(target.value, ctx)
            entry = None if maker is None else ctx.models.lookup("api", ctx.call_name(maker), "http-verify")
            if entry is not None and entry.get("attribute") == target.attr:
                setting = f"{entry.name}.{target.attr}"
                yield self.hit(
                    node, f"`{setting}` is set to `False`, so its requests skip certificate checks"
                )


def _insecure_value(call: ast.Call, entry: Entry, ctx: Context) -> ast.expr | None:
    kwarg = entry.get("verify_kwarg", "verify")
    value = keyword_is(call, kwarg, ctx, entry.get("insecure", [False]))
    if value is not None:
        return value
    value = keyword(call, kwarg)
    if value is not None and ctx.qualified_name(value) in entry.get("insecure_names", ()):
        return value
    return None
