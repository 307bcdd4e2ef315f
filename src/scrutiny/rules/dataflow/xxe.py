"""Rule SCR916: attacker-controlled XML reaching a parser that resolves or expands entities."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class Xxe(DataflowRule):
    """Checks for attacker-controlled XML read by a parser that resolves or expands entities.

    ## Why is this bad?
    An XML document can declare entities that read local files (`<!ENTITY x SYSTEM
    "file:///etc/passwd">`), make the server fetch URLs, or expand a few bytes into gigabytes
    ("billion laughs"). Parsing request bodies with such a parser hands all three to the client.

    ## Example
    ```python
    from flask import request
    from lxml import etree

    def upload():
        doc = etree.fromstring(request.get_data())
        return doc.tag
    ```

    ## Use instead
    ```python
    import defusedxml.ElementTree
    from flask import request

    def upload():
        doc = defusedxml.ElementTree.fromstring(request.get_data())
        return doc.tag
    ```

    ## Known problems
    A parser configured safely (`resolve_entities=False`) is still reported; the parser
    argument is not read yet.

    ## References
    - [CWE-611: XML External Entity Reference](https://cwe.mitre.org/data/definitions/611.html)
    - [OWASP: XXE Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html)
    """

    code = "SCR916"
    name = "xxe"
    cwe = 611
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    sink_kind = "xxe"
    fix = (
        "Parse untrusted XML with `defusedxml`, or turn off entity resolution and DTD loading on the parser."
    )
    twins = ("SCR403", "SCR404")
