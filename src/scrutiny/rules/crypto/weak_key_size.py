"""Rule SCR304: an RSA or DSA key under 2048 bits, or an elliptic curve under 224 bits."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context, argument
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

# NIST SP 800-131A: 2048-bit RSA/DSA and 224-bit curves are the minimum. Below the second
# figure, keys have been broken in public (RSA-768, 112-bit ECC); between the two, not yet.
_MINIMUM: Final = {"RSA": 2048, "DSA": 2048, "EC": 224}
_BROKEN: Final = {"RSA": 1024, "DSA": 1024, "EC": 160}


class WeakKeySize(Rule):
    """Checks for asymmetric keys too small to resist factoring or discrete-log attacks.

    ## Why is this bad?
    RSA-768 has been factored in public and 1024-bit RSA and DSA are within reach of a
    well-funded attacker; NIST has disallowed them since 2013. Curves under 224 bits give less
    than 112 bits of security. Whoever breaks the key reads the traffic or forges signatures.
    Covers `cryptography` (`rsa`, `dsa`, `ec.generate_private_key`), PyCrypto and PyCryptodome
    (`RSA`, `DSA`, `ECC.generate`), the `rsa` package and paramiko key generation.

    ## Example
    ```python
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ```

    ## Use instead
    ```python
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ```

    ## Known problems
    Only sizes and curves known without running code (literals, folded constants) are
    checked. Keys under 1024 bits (160 for curves) are reported with high confidence, keys
    between that and the minimum with medium confidence: weak, but not yet broken in public.

    ## References
    - [CWE-326: Inadequate Encryption Strength](https://cwe.mitre.org/data/definitions/326.html)
    - [NIST SP 800-131A Rev. 2](https://csrc.nist.gov/pubs/sp/800/131/a/r2/final)
    """

    code = "SCR304"
    name = "weak-key-size"
    cwe = 326
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:key-generation",)),)
    fix = "Use RSA or DSA keys of at least 2048 bits (3072 for use past 2030) or a 256-bit curve."
    bandit = ("B505",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "key-generation")
        if entry is None:
            return
        algorithm = str(entry.get("algorithm"))
        position = entry.args[0] if entry.args else None
        arg = argument(node, position, entry.kwargs[0] if entry.kwargs else None)
        curve = algorithm == "EC"
        bits = _curve_bits(arg, entry, ctx) if curve else _key_bits(arg, entry, ctx)
        if bits is None or bits >= _MINIMUM[algorithm]:
            return
        confidence = None if bits < _BROKEN[algorithm] else Confidence.MEDIUM
        shown = ast.unparse(node.func)
        key = f"an EC key on a {bits}-bit curve" if curve else f"a {bits}-bit {algorithm} key"
        yield self.hit(node, f"`{shown}` makes {key}", confidence=confidence)


def _key_bits(arg: ast.expr | None, entry: Entry, ctx: Context) -> int | None:
    value = entry.get("default") if arg is None else ctx.const(arg)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _curve_bits(arg: ast.expr | None, entry: Entry, ctx: Context) -> int | None:
    if arg is None:
        return None
    known: dict[str, int] = entry.get("curve_bits", {})
    if isinstance(arg, ast.Call):  # `ec.SECP192R1()`: the curve is the class
        arg = arg.func
    qualified = ctx.qualified_name(arg)
    value = qualified if qualified is not None else ctx.const(arg)
    return known.get(value) if isinstance(value, str) else None
