"""Rule SCR109: Django `QuerySet.extra` given SQL built at run time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._django import WHAT, django_sql_call, sql_doubt


class DjangoExtraSql(Rule):
    """Checks for Django `QuerySet.extra` with `select`, `where` or `tables` SQL that is not fixed.

    ## Why is this bad?
    `extra()` pastes its `select`, `where` and `tables` strings into the query as they are.
    A run-time value inside them is parsed as SQL, so whoever controls it can read or change
    any data the database user reaches. Values belong in `params` (with `%s` placeholders),
    and most uses of `extra()` are better written with annotations and `F`/`Func` expressions.

    ## Example
    ```python
    from django.contrib.auth.models import User

    def named(name):
        return User.objects.extra(where=["username = '%s'" % name])
    ```

    ## Use instead
    ```python
    from django.contrib.auth.models import User

    def named(name):
        return User.objects.extra(where=["username = %s"], params=[name])
    ```

    ## Known problems
    Strings that fold to constants (module constants, `"%s" % "x"`, `"{}".format("x")`) are
    not reported: Bandit's B610 reports them. An opaque value (a parameter, a call result) is
    reported at low confidence. A receiver is recognised through `.objects`, or any `extra()`
    call in a file that imports Django.

    ## References
    - [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
    - [Django docs: `extra()`](https://docs.djangoproject.com/en/stable/ref/models/querysets/#extra)
    """

    code = "SCR109"
    name = "django-extra-sql"
    cwe = 89
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:django-sql",)),)
    fix = "Pass values in `params` with `%s` placeholders, or use annotations and query expressions."
    bandit = ("B610",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = django_sql_call(node, ctx, "extra", loose=True)
        if entry is None:
            return
        strongest: tuple[Confidence, str] | None = None
        for position, name in zip(entry.args, entry.kwargs, strict=True):
            value = argument(node, position, name)
            for piece in _pieces(value):
                doubt = sql_doubt(piece, ctx)
                if doubt is not None and (strongest is None or doubt > strongest[0]):
                    strongest = (doubt, name)
        if strongest is not None:
            message = f"`extra` receives {WHAT[strongest[0]]} in `{strongest[1]}`"
            yield self.hit(node, message, confidence=strongest[0])


def _pieces(value: ast.expr | None) -> list[ast.expr]:
    """The SQL strings of an `extra()` argument: dict keys and values, list items, or itself."""
    if isinstance(value, ast.Dict):
        return [p for p in [*value.keys, *value.values] if p is not None]
    if isinstance(value, ast.List | ast.Tuple):
        return list(value.elts)
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return []
    return [value]
