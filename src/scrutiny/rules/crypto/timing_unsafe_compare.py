"""Rule SCR306: a secret, token or MAC compared with `==` instead of in constant time."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.crypto._flow import target_name
from scrutiny.rules.crypto._words import Secrecy, secrecy, words

_DIGESTS: Final = frozenset({"digest", "hexdigest"})
_PASSTHROUGH: Final = frozenset({"encode", "decode", "strip", "lower", "upper", "rstrip", "lstrip"})
# `password == confirm_password` checks what the user typed twice: no secret is guessed.
_CONFIRM: Final = frozenset({"confirm", "confirmation", "confirmed", "repeat", "again", "retype", "2"})
_EQUALITY: Final = frozenset({"__eq__", "__ne__"})


class TimingUnsafeCompare(Rule):
    """Checks for secrets, tokens, signatures and MACs compared with `==` or `!=`.

    ## Why is this bad?
    `==` on strings and bytes stops at the first differing byte, so the time it takes tells
    how much of a guess was right. An attacker who can time many requests recovers an HMAC,
    an API token or a signature byte by byte. `hmac.compare_digest` takes the same time
    whatever the inputs.

    ## Example
    ```python
    import hashlib
    import hmac

    def verify(key, body, signature):
        return hmac.new(key, body, hashlib.sha256).hexdigest() == signature
    ```

    ## Use instead
    ```python
    import hashlib
    import hmac

    def verify(key, body, signature):
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)
    ```

    ## Known problems
    Secrets are recognised by name (`token`, `signature`, `api_key`, `password`, `csrf`,
    `request.headers["X-Token"]`, `.get("signature")`, a `.hexdigest()` result). A side that
    is only a digest (`file_digest == expected_digest`) may be a checksum and is reported with
    low confidence. Comparisons with literals, `None` or imported constants, `__eq__`
    methods, password confirmation checks (`password == confirm_password`) and key or
    certificate fingerprints (`credential["key_hash"] != primary_key_hash`: which key encrypted
    a record) are not reported.

    ## References
    - [CWE-208: Observable Timing Discrepancy](https://cwe.mitre.org/data/definitions/208.html)
    - [Python docs: `hmac.compare_digest`](https://docs.python.org/3/library/hmac.html#hmac.compare_digest)
    """

    code = "SCR306"
    name = "timing-unsafe-compare"
    cwe = 208
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Compare,)
    fix = "Compare secrets with `hmac.compare_digest` (or `secrets.compare_digest`)."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Compare)
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            return
        left, right = node.left, node.comparators[0]
        # The names first: most comparisons name no secret, and that is cheaper to see than
        # whether a side is a constant (which folds it).
        names = [_side_name(left), _side_name(right)]
        levels = [_secrecy(n, ctx) for n in names]
        level = max(levels)
        if level is Secrecy.NONE or _confirmation(names):
            return
        if any(_constant(side, ctx) for side in (left, right)):
            return
        function = ctx.enclosing_function()
        if function is not None and function.name in _EQUALITY:
            return
        # A digest against a vague name (`digest == signature`) is a MAC check; else doubtful.
        sure = level is Secrecy.SECRET or sorted(levels) == [Secrecy.DIGEST, Secrecy.VAGUE]
        confidence = None if sure else Confidence.LOW
        side = (left, right)[levels.index(level)]
        shown = ast.unparse(side)
        if len(shown) > 60:
            shown = str(names[levels.index(level)])
        op = "==" if isinstance(node.ops[0], ast.Eq) else "!="
        yield self.hit(
            node,
            f"`{shown}` is compared with `{op}`, which takes time that depends on the data",
            confidence=confidence,
        )


def _secrecy(name: str | None, ctx: Context) -> Secrecy:
    """A compared name's secrecy; a key's fingerprint (`primary_key_hash`) is none."""
    level = secrecy(name, compared=True) if name is not None else Secrecy.NONE
    if level is Secrecy.DIGEST and name is not None:
        row = ctx.models.lookup("api", "crypto-vocabulary.names", "vocabulary")
        if row is not None and set(words(name)) & set(row.get("fingerprinted", ())):
            return Secrecy.NONE
    return level


def _constant(expr: ast.expr, ctx: Context) -> bool:
    """A literal, a folded constant, a class attribute (`Status.PASSWORD_RESET`), or an
    imported name that is no secret (`signal.SIGTERM`; but `settings.API_TOKEN` is one)."""
    if ctx.is_literal(expr):
        return True
    if isinstance(expr, ast.Attribute) and _capitalised(expr.value):
        return True
    name = _side_name(expr)
    if isinstance(expr, ast.Name) and expr.id.isupper():  # `TOKEN_DATA`, but not `API_TOKEN`
        return secrecy(expr.id) < Secrecy.SECRET
    plain = name is None or secrecy(name) is Secrecy.NONE
    return ctx.qualified_name(expr) is not None and plain


def _capitalised(expr: ast.expr) -> bool:
    """`Lexer` or `models.Status`: by convention a class, whose attributes are constants."""
    name = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else ""
    return name[:1].isupper() and not name.isupper()


def _side_name(expr: ast.expr) -> str | None:
    """The identifier that says what a compared value is."""
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Name):  # `compute_signature(body)`
            return func.id
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr in _DIGESTS:
            return func.attr
        if func.attr in _PASSTHROUGH:
            return _side_name(func.value)
        if func.attr == "get" and expr.args and isinstance(expr.args[0], ast.Constant):
            value = expr.args[0].value
            return value if isinstance(value, str) else None
        return func.attr
    if isinstance(expr, ast.Subscript):  # `headers["X-Token"]`; `tokens[i]` says nothing
        index = expr.slice
        return index.value if isinstance(index, ast.Constant) and isinstance(index.value, str) else None
    return target_name(expr)


def _confirmation(names: list[str | None]) -> bool:
    parts = [set(words(n)) if n is not None else set() for n in names]
    password = any(p & {"password", "passwd", "pwd", "pw"} for p in parts)
    return password and any(p & _CONFIRM for p in parts)
