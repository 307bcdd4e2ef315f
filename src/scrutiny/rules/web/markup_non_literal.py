"""Rule SCR209: `markupsafe.Markup` given text built at run time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._static import is_static_html


class MarkupNonLiteral(Rule):
    """Checks for `markupsafe.Markup` (and `flask.Markup`) wrapping text built at run time.

    ## Why is this bad?
    `Markup(text)` does not escape `text`: it declares it safe HTML, and Jinja2 templates
    then print it as it is. If any part of it comes from outside, the page runs the
    attacker's HTML and script. Formatting *into* a `Markup` escapes the values instead.

    ## Example
    ```python
    from markupsafe import Markup

    def greeting(name):
        return Markup(f"<b>Hello {name}</b>")
    ```

    ## Use instead
    ```python
    from markupsafe import Markup

    def greeting(name):
        return Markup("<b>Hello {}</b>").format(name)
    ```

    ## Known problems
    Text made only of literals, constants and escaped values (`escape`, `bleach.clean`) is
    not reported, following every assignment of a name that can reach the call (Bandit's
    `allowed_calls` option, without its limit to direct calls).

    ## Options
    Model rows of kind `mark-safe` with `library = "markupsafe"` add classes that behave like
    `Markup` (Bandit's `extend_markup_names`, e.g. `webhelpers.html.literal`); `[[sanitizer]]`
    rows of kind `xss` add functions whose output is safe (Bandit's `allowed_calls`).

    ## References
    - [CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')](https://cwe.mitre.org/data/definitions/79.html)
    - [MarkupSafe: Markup](https://markupsafe.palletsprojects.com/en/stable/escaping/#markupsafe.Markup)
    """

    code = "SCR209"
    name = "markup-non-literal"
    cwe = 79
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:mark-safe",)),)
    fix = "Format values into a literal `Markup` (`Markup('<b>{}</b>').format(x)`) or escape them."
    bandit = ("B704",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "mark-safe")
        if entry is None or entry.get("library") != "markupsafe" or not entry.args:
            return
        position = entry.args[0]
        text = argument(node, position, None)
        for name in entry.kwargs:
            text = text or argument(node, None, name)
        if text is None or is_static_html(text, ctx):
            return
        yield self.hit(node, f"`{entry.name}` marks text built at run time as safe HTML")
