"""Rule SCR403: XML parsers set up to resolve external entities (XXE)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking, keyword
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.deserialization._util import is_unknown, keyword_value

_SAFE_RESOLVE = (False, 0, "internal")  # lxml: keep entities, or expand internal ones only


class XmlUnsafeParser(Rule):
    """Checks for XML parsers that resolve external entities: lxml, and SAX with the feature on.

    ## Why is this bad?
    An external entity (`<!ENTITY x SYSTEM "file:///etc/passwd">`) makes the parser read a
    file or URL and put its content in the document: a crafted document discloses local files
    or reaches internal hosts (XXE). lxml resolves external entities when
    `resolve_entities=True`, which was the default before lxml 5.0; a SAX parser does when
    `feature_external_ges` or `feature_external_pes` is switched on.

    ## Example
    ```python
    from lxml import etree

    def parse(data):
        return etree.fromstring(data, etree.XMLParser(resolve_entities=True))
    ```

    ## Use instead
    ```python
    from lxml import etree

    PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

    def parse(data):
        return etree.fromstring(data, PARSER)
    ```

    ## Known problems
    lxml's default parser (used when no `parser` is given) and `XMLParser()` without
    `resolve_entities` are reported with low confidence: they resolve external entities only
    before lxml 5.0. A parse call given a parser is left to the check on that parser's
    creation; `etree.set_default_parser` is not followed. `huge_tree=True` (no limits on
    entity expansion) is not reported yet. The standard library's parsers do not resolve
    external entities since Python 3.7.1 (see SCR404).

    ## References
    - [CWE-611: Improper Restriction of XML External Entity Reference](https://cwe.mitre.org/data/definitions/611.html)
    - [lxml 5.0 changelog: XXE off by default](https://lxml.de/5.0/changes-5.0.0.html)
    - [OWASP XXE Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html)
    """

    code = "SCR403"
    name = "xml-unsafe-parser"
    cwe = 611
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    # Both paths resolve a name to an `xxe` sink row (a parser, or a SAX feature passed to
    # `setFeature`), and every part of a resolved name is written in the file.
    needles = ("sink:xxe",)
    fix = "Create lxml parsers with `resolve_entities=False, no_network=True`, or parse with `defusedxml`."
    bandit = ("B320",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        sink = ctx.sink(node, "xxe")
        if sink is not None and sink.get("parser") == "lxml":
            yield from self._lxml(node, sink, ctx)
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "setFeature":
            yield from self._sax_feature(node, ctx)

    def _lxml(self, node: ast.Call, sink: Entry, ctx: Context) -> Iterator[Hit]:
        api = f"`{sink.name}`"
        option = sink.get("entities_kwarg")
        if option is None:  # a parse function: its parser argument decides
            parser = argument(node, sink.get("parser_arg"), sink.get("parser_kwarg"))
            if parser is None or ctx.const(parser) is None:
                yield self.hit(
                    node, f"{api} uses lxml's default parser, which resolves external entities "
                    "before lxml 5.0", confidence=Confidence.LOW,
                )  # fmt: skip
            return
        value = keyword_value(ctx, node, option)
        if value is None:
            if not has_kwargs_unpacking(node):
                yield self.hit(
                    node, f"{api} without `{option}` resolves external entities before lxml 5.0",
                    confidence=Confidence.LOW,
                )  # fmt: skip
        elif is_unknown(value):
            shown = ast.unparse(keyword(node, option) or node)
            yield self.hit(node, f"{api} is given `{option}={shown}`", confidence=Confidence.LOW)
        elif value not in _SAFE_RESOLVE:
            yield self.hit(node, f"{api} with `{option}={value!r}` resolves external entities")

    def _sax_feature(self, node: ast.Call, ctx: Context) -> Iterator[Hit]:
        if len(node.args) < 2:
            return
        feature = ctx.models.lookup("sink", ctx.qualified_name(node.args[0]), "xxe")
        if feature is None or feature.get("parser") != "sax-feature":
            return
        value = ctx.const(node.args[1])
        if value is True or value == 1 or is_unknown(value):
            name = feature.name.rpartition(".")[2]
            yield self.hit(
                node, f"`setFeature({name}, ...)` makes the SAX parser resolve external entities",
                confidence=Confidence.LOW if is_unknown(value) else None,
            )  # fmt: skip
