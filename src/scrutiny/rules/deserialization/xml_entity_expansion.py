"""Rule SCR404: the standard library's expat-based XML parsers, which expand entities."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class XmlEntityExpansion(Rule):
    """Checks for XML parsed with the standard library (`ElementTree`, `minidom`, `sax`...).

    ## Why is this bad?
    These parsers expand the entities a document declares in its DTD. With an expat older
    than 2.4.1, nested entities ("billion laughs") or one large entity repeated ("quadratic
    blowup") turn a few kilobytes into gigabytes, exhausting memory and CPU. They do not
    resolve external entities since Python 3.7.1, so this is a denial of service, not a
    disclosure. `defusedxml` offers the same APIs with entity declarations refused.

    ## Example
    ```python
    import xml.etree.ElementTree as ET

    def parse(body):
        return ET.fromstring(body)
    ```

    ## Use instead
    ```python
    import defusedxml.ElementTree as ET

    def parse(body):
        return ET.fromstring(body)
    ```

    ## Known problems
    Reported with low confidence: expat 2.4.1 (2021) and later bound entity amplification,
    and current Python builds ship it, so the finding matters where Python links an older
    system expat (`pyexpat.EXPAT_VERSION` tells). A parse call given a parser is not reported;
    the parser's creation is. The document's origin is not known yet.

    ## References
    - [CWE-776: Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')](https://cwe.mitre.org/data/definitions/776.html)
    - [Python docs: XML vulnerabilities](https://docs.python.org/3/library/xml.html#xml-vulnerabilities)
    - [defusedxml](https://pypi.org/project/defusedxml/)
    """

    code = "SCR404"
    name = "xml-entity-expansion"
    cwe = 776
    severity = Severity.MEDIUM
    confidence = Confidence.LOW
    nodes = (ast.Call,)
    gate = ((ast.Call, ("sink:xxe",)),)
    fix = "Parse untrusted XML with the `defusedxml` equivalent of the module."
    bandit = ("B313", "B314", "B315", "B316", "B317", "B318", "B319")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        sink = ctx.sink(node, "xxe")
        if sink is None or sink.get("parser") != "expat":
            return
        parser = argument(node, sink.get("parser_arg"), sink.get("parser_kwarg"))
        if parser is not None and ctx.const(parser) is not None:
            return  # the parser passed in is checked where it is created
        yield self.hit(node, f"`{sink.name}` expands entities declared in the document")
