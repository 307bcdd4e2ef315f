"""Rule SCR915: attacker-controlled data compiled as a regular expression."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class RegexInjection(DataflowRule):
    """Checks for attacker-controlled data used as a regular expression pattern.

    ## Why is this bad?
    A pattern the client chooses can take exponential time on a short input (`(a+)+$`), so one
    request keeps a worker busy for minutes; it can also match far more than the code expects.

    ## Example
    ```python
    import re
    from flask import request

    NAMES = ["alice", "bob"]

    def search():
        pattern = re.compile(request.args["q"])
        return str([n for n in NAMES if pattern.search(n)])
    ```

    ## Use instead
    ```python
    import re
    from flask import request

    NAMES = ["alice", "bob"]

    def search():
        pattern = re.compile(re.escape(request.args["q"]))
        return str([n for n in NAMES if pattern.search(n)])
    ```

    ## Known problems
    Only the `re` module is modelled; the third-party `regex` module (which has timeouts) is not.

    ## References
    - [CWE-1333: Inefficient Regular Expression Complexity](https://cwe.mitre.org/data/definitions/1333.html)
    - [OWASP: ReDoS](https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS)
    """

    code = "SCR915"
    name = "regex-injection"
    cwe = 1333
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    sink_kind = "regex-injection"
    fix = "Escape the value with `re.escape`, or match it as plain text (`in`, `str.find`)."
    twins = ()
