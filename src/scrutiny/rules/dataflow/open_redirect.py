"""Rule SCR910: attacker-controlled data choosing where a redirect goes."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class OpenRedirect(DataflowRule):
    """Checks for attacker-controlled data used as the target of a redirect.

    ## Why is this bad?
    A `?next=` parameter that is redirected to as is lets a phishing link start on the real site
    and end on the attacker's: the user saw the trusted address, then logs in to a copy of it.

    ## Example
    ```python
    from flask import redirect, request

    def after_login():
        return redirect(request.args.get("next", "/"))
    ```

    ## Use instead
    ```python
    from flask import redirect, request

    PAGES = {"/", "/account", "/orders"}

    def after_login():
        target = request.args.get("next", "/")
        if target not in PAGES:
            target = "/"
        return redirect(target)
    ```

    ## Known problems
    Django's `url_has_allowed_host_and_scheme` is understood as a guard; a hand-written check of
    `urlparse(url).netloc` is not.

    ## References
    - [CWE-601: Open Redirect](https://cwe.mitre.org/data/definitions/601.html)
    - [OWASP: Unvalidated Redirects Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html)
    """

    code = "SCR910"
    name = "open-redirect"
    cwe = 601
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    sink_kind = "open-redirect"
    fix = (
        "Redirect only to relative paths of the site or to an allow-list, e.g. with "
        "`url_has_allowed_host_and_scheme`."
    )
    twins = ()
