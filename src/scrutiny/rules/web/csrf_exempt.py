"""Rule SCR203: views exempted from CSRF protection, or the protection switched off."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.engine.names import UNKNOWN
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._config import constructed_by, in_test_setup, setting_writes, settings

_KIND = "csrf-exempt"


class CsrfExempt(Rule):
    """Checks for views exempted from CSRF protection and settings that turn it off.

    ## Why is this bad?
    Without the CSRF check, any site the user visits can make their browser send a
    state-changing request (a form post, a transfer, a password change) with their cookies
    attached. Django's `@csrf_exempt`, Flask-WTF's `@csrf.exempt` and
    `WTF_CSRF_ENABLED = False` remove the check. An endpoint that really takes no browser
    session (a webhook checking a signature) should say so next to the exemption.

    ## Example
    ```python
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def transfer(request):
        ...
    ```

    ## Use instead
    ```python
    from django.views.decorators.csrf import csrf_protect

    @csrf_protect
    def transfer(request):
        ...
    ```

    ## Known problems
    Settings in classes or functions whose name mentions tests are reported at low
    confidence. A `MIDDLEWARE` list without `CsrfViewMiddleware` is not reported.

    ## References
    - [CWE-352: Cross-Site Request Forgery (CSRF)](https://cwe.mitre.org/data/definitions/352.html)
    - [Django: CSRF protection](https://docs.djangoproject.com/en/stable/ref/csrf/)
    - [Flask-WTF: CSRF protection](https://flask-wtf.readthedocs.io/en/stable/csrf/)
    """

    code = "SCR203"
    name = "csrf-exempt"
    cwe = 352
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Name, ast.Attribute, ast.Assign, ast.AnnAssign, ast.Call)
    gate = ((ast.Name, ("api:csrf-exempt",)),)
    needles = ("csrf", "api:csrf-exempt")  # the attribute `csrf_exempt`, the rows and settings
    fix = "Keep CSRF protection on; authenticate non-browser callers another way."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        if isinstance(node, ast.Name | ast.Attribute):
            if isinstance(node.ctx, ast.Load):
                yield from self._reference(node, ctx)
            return  # names and attributes are never settings writes
        if isinstance(node, ast.Assign):
            yield from self._view_attribute(node, ctx)
        yield from self._settings(node, ctx)

    def _reference(self, node: ast.Name | ast.Attribute, ctx: Context) -> Iterator[Hit]:
        entry = ctx.api(node, _KIND)
        if entry is not None and not entry.get("method") and not entry.get("setting"):
            yield self.hit(node, f"`{entry.name}` exempts a view from CSRF protection")
        elif isinstance(node, ast.Attribute) and node.attr in ctx.models.field_values("api", _KIND, "method"):
            owner = constructed_by(node.value, ctx, _KIND)
            if owner is not None and owner.get("method") == node.attr:
                message = f"`{owner.name}.{node.attr}` exempts a view from CSRF protection"
                yield self.hit(node, message)

    def _view_attribute(self, node: ast.Assign, ctx: Context) -> Iterator[Hit]:
        # Django's middleware skips any view whose `csrf_exempt` attribute is true.
        for target in node.targets:
            attribute = isinstance(target, ast.Attribute) and target.attr == "csrf_exempt"
            if attribute and ctx.const(node.value):
                yield self.hit(target, "a view's `csrf_exempt` attribute is set to true")

    def _settings(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        keys: set[str] | None = None
        for write in setting_writes(node, ctx):
            if keys is None:
                keys = {e.get("setting") for e in settings(ctx, _KIND)}
            value = ctx.const(write.value)
            if write.key in keys and value is not UNKNOWN and not value:
                yield self.hit(
                    write.node,
                    f"`{write.key}` is set to false",
                    confidence=Confidence.LOW if in_test_setup(ctx) else None,
                )
