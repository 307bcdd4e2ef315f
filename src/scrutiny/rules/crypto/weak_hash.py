"""Rule SCR301: MD4, MD5, SHA-1 and kin computed for what may be a security purpose."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, keyword
from scrutiny.engine.model import Entry
from scrutiny.engine.names import UNKNOWN
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule
from scrutiny.rules.crypto._flow import chain_parents, labels
from scrutiny.rules.crypto._words import is_benign


class WeakHash(Rule):
    """Checks for hashes broken for security use: MD2, MD4, MD5 and SHA-1.

    ## Why is this bad?
    Collisions are cheap for MD5 and practical for SHA-1 (SHAttered, 2017), and MD2 and MD4 are
    worse. A signature, a certificate, an integrity check against tampering or a password
    hash built on them can be forged or reversed. Covers `hashlib` (also `hashlib.new("md5")`
    with the name folded from constants), PyCrypto and PyCryptodome `Hash` modules, the
    `cryptography` `hashes.MD5()`/`hashes.SHA1()` and the `crypt` module's DES and MD5 methods.

    ## Example
    ```python
    import hashlib

    def sign(secret, message):
        return hashlib.md5(secret + message).hexdigest()
    ```

    ## Use instead
    ```python
    import hashlib
    import hmac

    def sign(secret, message):
        return hmac.new(secret, message, hashlib.sha256).hexdigest()

    def etag(body):
        return hashlib.md5(body, usedforsecurity=False).hexdigest()
    ```

    ## Known problems
    Most MD5 in the wild is a checksum, a cache key or an ETag, where it does no harm: mark
    those `usedforsecurity=False` (Python 3.9+), which is not reported. A result stored under
    a name that says so (`cache_key`, `checksum`, `etag`) is reported with low confidence.
    MD5 and SHA-1 inside HMAC, HOTP/TOTP, OAEP and MGF1 need no collision resistance and are
    not reported; HMAC through `hmac.new(key, msg, hashlib.md5)` never calls the hash.
    Unlike Bandit, `crypt.METHOD_BLOWFISH` (bcrypt) is not reported: it is not weak.

    ## References
    - [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
    - [Python docs: `hashlib` and `usedforsecurity`](https://docs.python.org/3/library/hashlib.html)
    - [SHAttered: the first SHA-1 collision](https://shattered.io/)
    """

    code = "SCR301"
    name = "weak-hash"
    cwe = 328
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:weak-hash", "api:hash-new")),)
    fix = "Use SHA-256 or better, HMAC for keyed checks, a KDF for passwords; else `usedforsecurity=False`."
    bandit = ("B303", "B324")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "weak-hash")
        algorithm = entry.get("algorithm") if entry is not None else None
        if entry is None:
            entry = ctx.api(node.func, "hash-new")
            if entry is None:
                return
            algorithm = _named_algorithm(node, entry, ctx)
        if algorithm is None or _inside_construction(ctx) or _only_metadata(ctx):
            return
        confidence = None
        if entry.get("usedforsecurity"):
            flag = ctx.const(keyword(node, "usedforsecurity"))
            if flag is False:
                return
            if keyword(node, "usedforsecurity") is not None and flag is UNKNOWN:
                confidence = Confidence.LOW
        if _benign_destination(node, ctx):
            confidence = Confidence.LOW
        shown = ast.unparse(node.func)
        yield self.hit(node, f"`{shown}` uses {algorithm}, a broken hash", confidence=confidence)


_METADATA = frozenset({"digest_size", "block_size", "name"})


def _only_metadata(ctx: Context) -> bool:
    """`hashlib.sha1().digest_size`: the object is asked its size, nothing is hashed."""
    parent = ctx.parent()
    return isinstance(parent, ast.Attribute) and parent.attr in _METADATA


def _named_algorithm(call: ast.Call, entry: Entry, ctx: Context) -> str | None:
    """The weak algorithm a by-name constructor selects (`hashlib.new("md5")`), or None."""
    position = entry.args[0] if entry.args else None
    arg = argument(call, position, entry.kwargs[0] if entry.kwargs else None)
    if arg is None:
        return None
    weak = {str(w).lower() for w in entry.get("weak", [])}
    qualified = ctx.qualified_name(arg)
    if qualified is not None and qualified.lower() in weak:
        return f"`{ast.unparse(arg)}`"
    value = ctx.const(arg)
    if isinstance(value, str) and value.lower() in weak:
        return value.upper()
    return None


def _inside_construction(ctx: Context) -> bool:
    """The hash is an argument of HMAC, HOTP/TOTP, OAEP or MGF1 (through keywords too)."""
    for ancestor in ctx.ancestors():
        if isinstance(ancestor, ast.keyword):
            continue
        return isinstance(ancestor, ast.Call) and ctx.api(ancestor.func, "hash-construction") is not None
    return False


def _benign_destination(node: ast.Call, ctx: Context) -> bool:
    function = ctx.enclosing_function()
    name = function.name if function is not None else None
    if name is not None and is_benign(name):
        return True
    parents = chain_parents(node, ctx.ancestors())
    return any(is_benign(label.name) for label in labels(node, parents, name))
