"""Rule SCR205: cookies set without the `HttpOnly` attribute."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._cookies import (
    COOKIE_NEEDLES,
    call_confidence,
    cookie_calls,
    missing_flag,
    setting_hits,
)

# CSRF token cookies are meant to be read by scripts (the double-submit pattern).
_SCRIPT_READABLE = re.compile(r"csrf|xsrf", re.I)


class CookieWithoutHttponly(Rule):
    """Checks for cookies set without `httponly=True`, and settings that turn it off.

    ## Why is this bad?
    Scripts in the page can read a cookie without the `HttpOnly` attribute through
    `document.cookie`. Any cross-site scripting flaw, or a compromised third-party script,
    then steals the session or token and replays it from elsewhere.

    ## Example
    ```python
    def login(response, session_id):
        response.set_cookie("session_id", session_id, secure=True)
    ```

    ## Use instead
    ```python
    def login(response, session_id):
        response.set_cookie("session_id", session_id, secure=True, httponly=True)
    ```

    ## Known problems
    The receiver of `set_cookie` is not typed (see SCR204). Cookies whose names do not look
    like sessions or tokens are reported at low confidence; CSRF token cookies, which scripts
    must read, are not reported.

    ## References
    - [CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag](https://cwe.mitre.org/data/definitions/1004.html)
    - [MDN: Set-Cookie, HttpOnly](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#httponly)
    - [Django settings: SESSION_COOKIE_HTTPONLY](https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-httponly)
    """

    code = "SCR205"
    name = "cookie-without-httponly"
    cwe = 1004
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call, ast.Assign, ast.AnnAssign)
    needles = COOKIE_NEEDLES
    fix = "Pass `httponly=True` when setting the cookie, and keep `SESSION_COOKIE_HTTPONLY` on."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        for call, method, cookie in cookie_calls(node, ctx):
            if isinstance(cookie, str) and _SCRIPT_READABLE.search(cookie):
                continue
            if missing_flag(call, "httponly", ctx):
                message = f"`{method}` sets a cookie without `httponly=True`"
                yield self.hit(call, message, confidence=call_confidence(cookie))
        for found in setting_hits(node, ctx, "httponly"):
            yield self.hit(found.node, found.message, confidence=found.confidence)
