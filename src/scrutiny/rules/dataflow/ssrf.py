"""Rule SCR906: attacker-controlled data choosing where the server sends a request."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class Ssrf(DataflowRule):
    """Checks for attacker-controlled data used as the URL or host of a server-side request.

    ## Why is this bad?
    When the server fetches a URL the client chose, the client reaches what only the server can:
    cloud metadata endpoints (`169.254.169.254`), internal admin services, `localhost`. The reply
    often comes back to the attacker, and even when it does not, the request itself can change
    state.

    ## Example
    ```python
    import requests
    from flask import request

    def preview():
        url = request.args["url"]
        return requests.get(url, timeout=5).text
    ```

    ## Use instead
    ```python
    import requests
    from flask import abort, request

    SERVICES = {"weather", "news"}

    def preview():
        service = request.args["service"]
        if service not in SERVICES:
            abort(400)
        return requests.get(f"https://{service}.internal.example/", timeout=5).text
    ```

    ## Known problems
    A value checked against an allow-list of hosts is understood only when the check tests the
    variable itself (`host in ALLOWED`); parsing the URL and checking `urlparse(url).hostname` is
    not yet recognised.

    ## References
    - [CWE-918: Server-Side Request Forgery](https://cwe.mitre.org/data/definitions/918.html)
    - [OWASP: SSRF Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html)
    """

    code = "SCR906"
    name = "ssrf"
    cwe = 918
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    sink_kind = "ssrf"
    fix = (
        "Choose the destination from an allow-list of hosts, never from the raw value, and block "
        "internal addresses."
    )
    twins = ("SCR510",)
