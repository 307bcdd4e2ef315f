"""Rule SCR405: XML-RPC clients and servers without `defusedxml.xmlrpc.monkey_patch()`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.deserialization._util import module_call_names

_ROLES = {"client": "parses XML-RPC responses", "server": "parses XML-RPC requests"}


class XmlrpcUnsafe(Rule):
    """Checks for XML-RPC clients and servers in a module that does not defuse `xmlrpc`.

    ## Why is this bad?
    `xmlrpc.client` and `xmlrpc.server` parse XML from the network with expat, which expands
    the entities a document declares; with an expat older than 2.4.1 a small request or
    response ("billion laughs") exhausts the process's memory. The client also accepts
    gzip-compressed responses. `defusedxml.xmlrpc.monkey_patch()` makes both refuse entity
    declarations and bounds decompression.

    ## Example
    ```python
    from xmlrpc.server import SimpleXMLRPCServer

    server = SimpleXMLRPCServer(("127.0.0.1", 8000))
    ```

    ## Use instead
    ```python
    from xmlrpc.server import SimpleXMLRPCServer

    import defusedxml.xmlrpc

    defusedxml.xmlrpc.monkey_patch()
    server = SimpleXMLRPCServer(("127.0.0.1", 8000))
    ```

    ## Known problems
    Reported with low confidence: Python's bundled expat bounds entity amplification since
    2.4.1, and `gzip_decode` limits decompressed size, so the risk is with an old system
    expat. `monkey_patch()` is looked for in the same file only; a project that patches once
    at start-up, elsewhere, sees findings it can suppress. Subclasses of the server classes
    are not followed. Unlike Bandit (B411), importing `xmlrpc` alone is not reported.

    ## References
    - [CWE-776: Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')](https://cwe.mitre.org/data/definitions/776.html)
    - [Python docs: XML vulnerabilities](https://docs.python.org/3/library/xml.html#xml-vulnerabilities)
    - [defusedxml.xmlrpc](https://github.com/tiran/defusedxml#defusedxmlxmlrpc)
    """

    code = "SCR405"
    name = "xmlrpc-unsafe"
    cwe = 776
    severity = Severity.MEDIUM
    confidence = Confidence.LOW
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:xml-rpc",)),)
    fix = "Call `defusedxml.xmlrpc.monkey_patch()` before creating XML-RPC clients or servers."
    bandit = ("B411",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "xml-rpc")
        if entry is None or entry.get("role") not in _ROLES or _defused(ctx):
            return
        yield self.hit(node, f"`{entry.name}` {_ROLES[entry.get('role')]} with an unpatched expat parser")


def _defused(ctx: Context) -> bool:
    """Whether the file calls a patch named in the models (`defusedxml.xmlrpc.monkey_patch`)."""
    for name in module_call_names(ctx):
        entry = ctx.models.lookup("api", name, "xml-rpc")
        if entry is not None and entry.get("role") == "defuse":
            return True
    return False
