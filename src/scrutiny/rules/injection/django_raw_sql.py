"""Rule SCR110: Django `RawSQL` or `Manager.raw` given SQL built at run time."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.injection._django import WHAT, django_sql_call, sql_doubt


class DjangoRawSql(Rule):
    """Checks for Django `RawSQL(...)` and `Manager.raw(...)` with SQL that is not fixed.

    ## Why is this bad?
    `RawSQL` and `raw()` send their SQL string to the database as it is. A run-time value
    pasted into it is parsed as SQL, so whoever controls it can read or change any data the
    database user reaches. Both take `params`, which the driver passes apart from the SQL.

    ## Example
    ```python
    from django.contrib.auth.models import User

    def named(name):
        return User.objects.raw(f"SELECT * FROM auth_user WHERE username = '{name}'")
    ```

    ## Use instead
    ```python
    from django.contrib.auth.models import User

    def named(name):
        return User.objects.raw("SELECT * FROM auth_user WHERE username = %s", [name])
    ```

    ## Known problems
    Strings that fold to constants are not reported (Bandit's B611 reports every `RawSQL`
    whose SQL is not a single string literal). An opaque value (a parameter, a call result)
    is reported at low confidence. `raw()` is recognised on receivers through `.objects`.

    ## References
    - [CWE-89: SQL Injection](https://cwe.mitre.org/data/definitions/89.html)
    - [Django docs: performing raw SQL queries](https://docs.djangoproject.com/en/stable/topics/db/sql/)
    """

    code = "SCR110"
    name = "django-raw-sql"
    cwe = 89
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("tail:api:django-sql",)),)
    fix = "Keep the SQL fixed and pass values in `params` with `%s` placeholders."
    bandit = ("B611",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        for method in ("RawSQL", "raw"):
            entry = django_sql_call(node, ctx, method)
            if entry is None:
                continue
            sql = argument(node, entry.args[0], entry.kwargs[0])
            doubt = sql_doubt(sql, ctx) if sql is not None else None
            if doubt is not None:
                yield self.hit(node, f"`{method}` receives {WHAT[doubt]}", confidence=doubt)
            return
