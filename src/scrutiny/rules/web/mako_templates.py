"""Rule SCR207: Mako templates that do not escape HTML."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking, keyword
from scrutiny.engine.names import UNKNOWN
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class MakoTemplates(Rule):
    """Checks for Mako templates and lookups created without an HTML-escaping default filter.

    ## Why is this bad?
    Mako writes `${expression}` into the output as it is, unless a filter escapes it. With
    the default filters (`str` only), every template must remember `| h` on every variable;
    one forgotten variable that holds user input is cross-site scripting.

    ## Example
    ```python
    from mako.lookup import TemplateLookup

    lookup = TemplateLookup(directories=["templates"])
    ```

    ## Use instead
    ```python
    from mako.lookup import TemplateLookup

    lookup = TemplateLookup(directories=["templates"], default_filters=["h"])
    ```

    ## Known problems
    Templates that do not produce HTML (code generators such as Alembic's) need no escaping.
    A literal template text without `${` or `<%` cannot output a variable and is reported at
    low confidence. `default_filters` given a value known only at run time is not reported.

    ## References
    - [CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')](https://cwe.mitre.org/data/definitions/79.html)
    - [Mako: expression filtering](https://docs.makotemplates.org/en/latest/filtering.html)
    """

    code = "SCR207"
    name = "mako-templates"
    cwe = 79
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:template-engine",)),)
    fix = "Pass `default_filters=['h']` so every expression is HTML-escaped unless marked `| n`."
    bandit = ("B702",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "template-engine")
        if entry is None or entry.get("engine") != "mako" or not entry.kwargs:
            return
        filters = keyword(node, entry.kwargs[0])
        if filters is None:
            if has_kwargs_unpacking(node):
                return
            message = f"`{entry.name}` is created without an HTML-escaping default filter"
        else:
            folded = ctx.const(filters)
            escaping = set(entry.get("escaping_filters", ()))
            if folded is UNKNOWN or not isinstance(folded, list | tuple):
                return
            if escaping & {str(f).replace(" ", "") for f in folded}:
                return
            message = f"`{entry.name}` has `default_filters` that do not escape HTML"
        yield self.hit(node, message, confidence=_inert_text(node, entry.get("text_arg"), ctx))


def _inert_text(call: ast.Call, position: int | None, ctx: Context) -> Confidence | None:
    """Low confidence for a literal template that outputs no expression."""
    if position is None:
        return None
    text = ctx.const(argument(call, position, "text"))
    if isinstance(text, str) and "${" not in text and "<%" not in text:
        return Confidence.LOW
    return None
