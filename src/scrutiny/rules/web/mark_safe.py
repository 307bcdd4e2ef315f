"""Rule SCR208: Django's `mark_safe` and kin given text built at run time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._static import is_static_html


class MarkSafe(Rule):
    """Checks for Django's `mark_safe`, `SafeString` and `format_html` applied to text built at run time.

    ## Why is this bad?
    `mark_safe` tells Django's templates not to escape a string. When any part of it comes
    from a request, the database or another function that does not escape, the page runs
    whatever HTML and script it holds. `format_html` escapes its arguments but not its format
    string, so the format string must be fixed text too.

    ## Example
    ```python
    from django.utils.safestring import mark_safe

    def greeting(name):
        return mark_safe(f"<b>Hello {name}</b>")
    ```

    ## Use instead
    ```python
    from django.utils.html import format_html

    def greeting(name):
        return format_html("<b>Hello {}</b>", name)
    ```

    ## Known problems
    Text made only of literals, constants and escaped values (`escape`, `conditional_escape`,
    `render_to_string`) is not reported, following every assignment of a name that can reach
    the call. Text from a function of the project is reported even when that function
    escapes; add it to a model file as an `xss` sanitizer. `mark_safe` used as a decorator is
    not reported.

    ## Options
    Model rows of kind `mark-safe` with `library = "django"` add functions that mark text
    safe; `[[sanitizer]]` rows of kind `xss` add functions whose output is escaped.

    ## References
    - [CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')](https://cwe.mitre.org/data/definitions/79.html)
    - [Django: mark_safe](https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe)
    - [Django: format_html](https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html)
    """

    code = "SCR208"
    name = "mark-safe"
    cwe = 79
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:mark-safe",)),)
    fix = "Build HTML with `format_html` or a template, which escape each value."
    bandit = ("B308", "B703")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "mark-safe")
        if entry is None or entry.get("library") != "django" or not entry.args:
            return
        text = argument(node, entry.args[0], entry.kwargs[0] if entry.kwargs else None)
        if text is None or is_static_html(text, ctx):
            return
        yield self.hit(node, f"`{entry.name}` marks text built at run time as safe HTML")
