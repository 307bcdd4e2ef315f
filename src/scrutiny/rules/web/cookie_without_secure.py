"""Rule SCR204: cookies set without the `Secure` attribute."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, keyword
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._cookies import (
    COOKIE_NEEDLES,
    call_confidence,
    cookie_calls,
    missing_flag,
    setting_hits,
)


class CookieWithoutSecure(Rule):
    """Checks for cookies set without `secure=True`, and settings that turn it off.

    ## Why is this bad?
    A cookie without the `Secure` attribute is also sent over plain HTTP. One request to an
    `http://` URL of the site (a link, an image, a network that rewrites traffic) hands the
    session or token to anyone on the path. Browsers also reject `SameSite=None` cookies
    that are not `Secure`.

    ## Example
    ```python
    def login(response, session_id):
        response.set_cookie("session_id", session_id, httponly=True)
    ```

    ## Use instead
    ```python
    def login(response, session_id):
        response.set_cookie("session_id", session_id, secure=True, httponly=True)
    ```

    ## Known problems
    The receiver of `set_cookie` is not typed: any call of a response method the models list
    (`set_cookie`, `set_signed_cookie`, Tornado's `set_secure_cookie`) with a server's
    arguments counts. Cookies whose names do not look like sessions or tokens are reported at
    low confidence. Files that import Falcon, whose cookies are secure by default, are skipped.

    ## References
    - [CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute](https://cwe.mitre.org/data/definitions/614.html)
    - [MDN: Set-Cookie, Secure](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#secure)
    - [Django settings: SESSION_COOKIE_SECURE](https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure)
    """

    code = "SCR204"
    name = "cookie-without-secure"
    cwe = 614
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call, ast.Assign, ast.AnnAssign)
    needles = COOKIE_NEEDLES
    fix = "Pass `secure=True` when setting the cookie, and keep the `*_COOKIE_SECURE` settings on."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        for call, method, cookie in cookie_calls(node, ctx):
            if missing_flag(call, "secure", ctx):
                samesite = ctx.const(keyword(call, "samesite"))
                if isinstance(samesite, str) and samesite.lower() == "none":
                    message = f"`{method}` sets a `SameSite=None` cookie without `secure=True`"
                    yield self.hit(call, message)
                else:
                    message = f"`{method}` sets a cookie without `secure=True`"
                    yield self.hit(call, message, confidence=call_confidence(cookie))
        for found in setting_hits(node, ctx, "secure"):
            yield self.hit(found.node, found.message, confidence=found.confidence)
