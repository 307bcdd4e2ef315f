"""Cookies set without a security attribute: the logic shared by SCR204 and SCR205.

A response's `set_cookie` cannot be typed without running code, so a call counts when its
method name is one the models list for a response class and its shape is a server's (a name
and a value), not a client cookie jar's (`jar.set_cookie(cookie)`). Every listed framework
leaves `secure` and `httponly` off by default, except Falcon, whose files are skipped.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import NamedTuple

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking, keyword
from scrutiny.engine.names import UNKNOWN
from scrutiny.findings import Confidence
from scrutiny.rules.web._config import in_test_setup, setting_writes

_KIND = "set-cookie"
# Cookies whose theft or exposure gives away a session or an identity.
SENSITIVE = re.compile(r"sess|sid|token|auth|jwt|login|remember|user|csrf|xsrf|key|secret|pass", re.I)
_CLIENT_JARS = frozenset({"cookies", "cookiejar", "cookie_jar", "jar"})
# What SCR204 and SCR205 need written in a file to report there: a call's method (the rows'
# last names: a row names the method it matches, `Response.set_cookie`), a setting key written
# as a name or attribute (the rows' `setting` keys), or an app's `config`, whose subscript and
# `update` keys may be folded from pieces.
COOKIE_NEEDLES = (f"api:{_KIND}", "config")


class CookieHit(NamedTuple):
    node: ast.AST
    message: str
    confidence: Confidence | None


def cookie_calls(node: ast.AST, ctx: Context) -> Iterator[tuple[ast.Call, str, object]]:
    """(call, method, cookie name or UNKNOWN) for each server-side set-cookie call."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return
    func = node.func
    if func.attr not in ctx.models.field_values("api", _KIND, "method") or has_kwargs_unpacking(node):
        return
    receiver = func.value
    if isinstance(receiver, ast.Attribute | ast.Name):
        name = receiver.attr if isinstance(receiver, ast.Attribute) else receiver.id
        if name.lower() in _CLIENT_JARS:
            return
    if len(node.args) == 1 and not node.keywords:
        return  # `jar.set_cookie(cookie)`: a client-side cookie object
    if ctx.imports("falcon"):
        return  # Falcon's set_cookie is secure and http_only by default
    cookie = argument(node, 0, "key") or keyword(node, "name")
    yield node, func.attr, ctx.const(cookie)


def missing_flag(call: ast.Call, flag: str, ctx: Context) -> bool | None:
    """True: `flag` absent or false; False: set true; None: set to a value we cannot fold."""
    value = keyword(call, flag)
    if value is None:
        return True
    folded = ctx.const(value)
    if folded is UNKNOWN:
        return None
    return not folded


def call_confidence(cookie: object) -> Confidence | None:
    """Cookies named like sessions or tokens keep the rule's confidence; others are lower."""
    if isinstance(cookie, str) and not SENSITIVE.search(cookie):
        return Confidence.LOW
    return None


def setting_hits(node: ast.AST, ctx: Context, flag: str) -> Iterator[CookieHit]:
    """Settings such as `SESSION_COOKIE_SECURE = False` that switch `flag` off."""
    writes = setting_writes(node, ctx)
    if not writes:
        return
    keys = _flag_keys(ctx, flag)
    for write in writes:
        if write.key not in keys:
            continue  # before folding: most module constants are no cookie setting
        value = ctx.const(write.value)
        if value is not UNKNOWN and not value:
            confidence = Confidence.LOW if in_test_setup(ctx) else None
            yield CookieHit(write.node, f"`{write.key}` is set to false", confidence)


def _flag_keys(ctx: Context, flag: str) -> frozenset[str]:
    """The setting keys that switch `flag` off (computed once per set of models)."""
    return ctx.models.field_values("api", _KIND, "setting", where=("flag", flag))
