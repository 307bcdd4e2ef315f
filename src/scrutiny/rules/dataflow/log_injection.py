"""Rule SCR914: attacker-controlled data formatted into a log message."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class LogInjection(DataflowRule):
    r"""Checks for attacker-controlled data formatted into the message of a log record.

    ## Why is this bad?
    A value with a line break forges log records (`bob\nINFO admin logged in`), and a value with
    terminal escape sequences can rewrite what an operator sees. Passing values as arguments of the
    logging call keeps the message constant and lets `%r` show line breaks as `\n`.

    ## Example
    ```python
    import logging
    from flask import request

    logger = logging.getLogger(__name__)

    def login():
        user = request.form["user"]
        logger.warning("failed login for " + user)
        return "no"
    ```

    ## Use instead
    ```python
    import logging
    from flask import request

    logger = logging.getLogger(__name__)

    def login():
        user = request.form["user"]
        logger.warning("failed login for %r", user)
        return "no"
    ```

    ## Known problems
    Values passed as arguments are not reported, though `%s` still writes line breaks through;
    use `%r` or a formatter that escapes them.

    ## References
    - [CWE-117: Log Injection](https://cwe.mitre.org/data/definitions/117.html)
    - [OWASP: Log Injection](https://owasp.org/www-community/attacks/Log_Injection)
    """

    code = "SCR914"
    name = "log-injection"
    cwe = 117
    severity = Severity.LOW
    confidence = Confidence.HIGH
    sink_kind = "log-injection"
    fix = "Keep the log message constant and pass values as arguments formatted with `%r`."
    twins = ()
