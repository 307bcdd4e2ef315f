"""Rule SCR913: attacker-controlled data reaching an HTTP header."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class HeaderInjection(DataflowRule):
    r"""Checks for attacker-controlled data written into an HTTP header name or value.

    ## Why is this bad?
    A value with a line break (`%0d%0a`) ends the header and starts another, or ends the headers
    and starts the body: the attacker sets cookies, poisons caches, or splits the response. Flask
    and Django reject line breaks in their own header APIs; lower-level ones (`http.server`,
    `wsgiref.headers`) do not.

    ## Example
    ```python
    from wsgiref.headers import Headers
    from flask import Response, request

    def download():
        name = request.args["name"]
        headers = Headers()
        headers.add_header("Content-Disposition", "attachment; filename=" + name)
        return Response("data", headers=list(headers.items()))
    ```

    ## Use instead
    ```python
    import re
    from wsgiref.headers import Headers
    from flask import Response, abort, request

    def download():
        name = request.args["name"]
        if not re.fullmatch(r"[\w.-]{1,64}", name):
            abort(400)
        headers = Headers()
        headers.add_header("Content-Disposition", "attachment; filename=" + name)
        return Response("data", headers=list(headers.items()))
    ```

    ## Known problems
    Only header APIs that do not check for line breaks themselves are modelled.

    ## References
    - [CWE-113: HTTP Response Splitting](https://cwe.mitre.org/data/definitions/113.html)
    - [OWASP: HTTP Response Splitting](https://owasp.org/www-community/attacks/HTTP_Response_Splitting)
    """

    code = "SCR913"
    name = "header-injection"
    cwe = 113
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    sink_kind = "header-injection"
    fix = (
        "Reject values containing CR or LF, or check them against an anchored pattern, before they "
        "reach a header."
    )
    twins = ()
