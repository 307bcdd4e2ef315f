"""Rule SCR202: `DEBUG = True` in a Django settings module."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import PurePath

from scrutiny.engine.context import Context
from scrutiny.engine.model import Entry
from scrutiny.engine.scopes import ScopeKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.web._config import setting_writes, settings

# Settings modules meant for a developer's machine: DEBUG there is the point.
_DEVELOPMENT = ("dev", "develop", "development", "local", "test", "tests", "testing", "ci")


class DjangoDebugEnabled(Rule):
    """Checks for Django settings that turn `DEBUG` on.

    ## Why is this bad?
    With `DEBUG = True`, any error returns a page with the traceback, local variables, the
    SQL queries run and most of the settings, and a 404 lists every URL pattern. Django also
    keeps every query in memory. A settings module that sets it unconditionally ends up in
    production sooner or later.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    DEBUG = True
    ```

    ## Use instead
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.auth"]
    DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
    ```

    ## Known problems
    A module counts as Django settings when it is named `settings*.py` or sits in a
    `settings/` package, or when it also defines names only settings define
    (`INSTALLED_APPS`, `ALLOWED_HOSTS`, ...). Modules named for development (`dev.py`,
    `local_settings.py`, `settings/test.py`) are reported at low confidence.

    ## References
    - [CWE-489: Active Debug Code](https://cwe.mitre.org/data/definitions/489.html)
    - [Django settings: DEBUG](https://docs.djangoproject.com/en/stable/ref/settings/#debug)
    - [Django deployment checklist](https://docs.djangoproject.com/en/stable/howto/deployment/checklist/)
    """

    code = "SCR202"
    name = "django-debug-enabled"
    cwe = 489
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Assign, ast.AnnAssign)
    needles = ("api:debug-server",)  # the rows' setting keys (`DEBUG`)
    fix = "Read `DEBUG` from the environment and default it to `False`."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        writes = setting_writes(node, ctx)
        if not writes:
            return  # most nodes: no need to gather the rows
        rows = [e for e in settings(ctx, "debug-server") if e.get("django")]
        keys = {e.get("setting") for e in rows}
        for write in writes:
            if write.key not in keys or not ctx.const(write.value):
                continue
            if write.via == "settings":
                message = f"`django.conf.settings.{write.key}` is set to true at run time"
                yield self.hit(write.node, message, confidence=Confidence.MEDIUM)
            elif write.via == "constant" and ctx.scope.kind is ScopeKind.MODULE:
                confidence = _settings_module(ctx, rows)
                if confidence is not None:
                    yield self.hit(
                        write.node, f"Django settings set `{write.key}` to true", confidence=confidence
                    )


def _settings_module(ctx: Context, rows: list[Entry]) -> Confidence | None:
    """How sure we are that this file is Django settings meant for production; None: it is not."""
    path = PurePath(ctx.path)
    stem = path.stem.lower()
    named = "settings" in stem or path.parent.name == "settings"
    markers = {m for e in rows for m in e.get("settings_markers", ())}
    defined = _module_names(ctx.source.tree)
    if not named and not markers & defined:
        return None
    if any(stem == d or stem.startswith(d + "_") or stem.endswith("_" + d) for d in _DEVELOPMENT):
        return Confidence.LOW
    return Confidence.HIGH if markers & defined else Confidence.MEDIUM


def _module_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign | ast.AugAssign):
            targets = [stmt.target]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names
