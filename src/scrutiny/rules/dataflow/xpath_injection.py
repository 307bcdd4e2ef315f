"""Rule SCR912: attacker-controlled data reaching an XPath expression."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class XpathInjection(DataflowRule):
    """Checks for attacker-controlled data that becomes part of an XPath expression.

    ## Why is this bad?
    A value of `' or '1'='1` pasted into an XPath expression changes what it selects: a login
    check against an XML user store passes for anyone, and any node of the document can be read.

    ## Example
    ```python
    from flask import request
    from lxml import etree

    def find_user():
        name = request.args["name"]
        tree = etree.parse("users.xml")
        return str(tree.xpath("//user[@name='" + name + "']"))
    ```

    ## Use instead
    ```python
    from flask import request
    from lxml import etree

    def find_user():
        name = request.args["name"]
        tree = etree.parse("users.xml")
        return str(tree.xpath("//user[@name=$name]", name=name))
    ```

    ## Known problems
    `.xpath(...)` is matched by method name when the object's type is unknown.

    ## References
    - [CWE-643: XPath Injection](https://cwe.mitre.org/data/definitions/643.html)
    - [OWASP: XPath Injection](https://owasp.org/www-community/attacks/XPATH_Injection)
    """

    code = "SCR912"
    name = "xpath-injection"
    cwe = 643
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    sink_kind = "xpath-injection"
    fix = (
        "Pass values as XPath variables (`tree.xpath('//u[@n=$n]', n=value)`) instead of building "
        "the expression."
    )
    twins = ()
