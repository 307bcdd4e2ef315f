"""Rule SCR206: Jinja2 environments and templates that do not escape HTML."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from scrutiny.engine.context import Context, has_kwargs_unpacking, keyword
from scrutiny.engine.names import UNKNOWN
from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class Jinja2AutoescapeFalse(Rule):
    """Checks for Jinja2 environments and templates created with autoescaping off.

    ## Why is this bad?
    Jinja2 does not escape variables unless `autoescape` is on, and it is off by default for
    `Environment` and `Template`. Any value that reaches an HTML template unescaped (a user
    name, a comment, a query parameter) can carry a `<script>` and run in the victim's
    browser. Flask turns autoescaping on for its own environment; a hand-made one does not.

    ## Example
    ```python
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader("templates"))
    ```

    ## Use instead
    ```python
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
    ```

    ## Known problems
    Templates that do not produce HTML (configuration files, e-mails in plain text) need no
    escaping. When the template's text is a literal in view and contains no HTML tag (OpenStack
    agents render dnsmasq, radvd and haproxy configuration this way), the rule stays quiet; a
    template loaded from a file cannot be told apart. An `autoescape` value that is neither a
    constant nor a function (a setting read at run time) is reported at low confidence.

    ## References
    - [CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')](https://cwe.mitre.org/data/definitions/79.html)
    - [Jinja2: autoescaping](https://jinja.palletsprojects.com/en/stable/api/#autoescaping)
    """

    code = "SCR206"
    name = "jinja2-autoescape-false"
    cwe = 79
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:template-engine",)),)
    fix = "Pass `autoescape=select_autoescape()` (or `True`) to Jinja2 environments and templates."
    bandit = ("B701",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "template-engine")
        if entry is None or entry.get("engine") != "jinja2" or "autoescape" not in entry.kwargs:
            return
        value = keyword(node, "autoescape")
        if _plain_text_template(node, ctx):
            return  # a literal template with no HTML markup renders config text, not a page
        if value is None:
            if not has_kwargs_unpacking(node):
                yield self.hit(node, f"`{entry.name}` is created without `autoescape`, which is off")
            return
        folded = ctx.const(value)
        if folded is not UNKNOWN:
            if not folded:
                yield self.hit(node, f"`{entry.name}` is created with autoescaping off")
        elif not _escaping_policy(value, ctx):
            message = f"`{entry.name}` is created with an `autoescape` value known only at run time"
            yield self.hit(node, message, confidence=Confidence.LOW)


_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!]")


def _plain_text_template(node: ast.Call, ctx: Context) -> bool:
    """`jinja2.Template("interface {{ name }} ...")`: the source is in view and is not HTML."""
    if not node.args:
        return False
    text = ctx.const(node.args[0])
    return isinstance(text, str) and not _HTML_TAG.search(text)


def _escaping_policy(value: ast.expr, ctx: Context) -> bool:
    """`select_autoescape(...)`, or a function deciding per template name."""
    if isinstance(value, ast.Lambda):
        return True
    if isinstance(value, ast.Call):
        policy = ctx.api(value.func, "template-engine")
        return policy is not None and bool(policy.get("autoescape_policy"))
    if isinstance(value, ast.Name):
        binding = ctx.binding(value.id)
        return binding is not None and binding.kind is BindingKind.DEF
    return False
