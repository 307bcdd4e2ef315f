"""Rule SCR307: a JSON Web Token decoded without verifying its signature."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking, keyword
from scrutiny.engine.scopes import BindingKind
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class JwtNoVerify(Rule):
    """Checks for JSON Web Tokens decoded without checking their signature.

    ## Why is this bad?
    A JWT is only as trustworthy as its signature. Decoding with verification off
    (`options={"verify_signature": False}`, or `verify=False` before PyJWT 2), or accepting
    the `none` algorithm, lets anyone write their own claims: any user id, any role. Without
    `algorithms`, PyJWT 1 and python-jose let the token's header choose the algorithm, which
    opens algorithm confusion (an RSA public key used as an HMAC secret).

    ## Example
    ```python
    import jwt

    def current_user(token):
        claims = jwt.decode(token, options={"verify_signature": False})
        return claims["sub"]
    ```

    ## Use instead
    ```python
    import jwt

    def current_user(token, public_key):
        claims = jwt.decode(token, public_key, algorithms=["RS256"])
        return claims["sub"]
    ```

    ## Known problems
    Covers PyJWT (`jwt.decode`) and python-jose (`jose.jwt.decode`). Reading the claims of
    a token before verifying it (to pick a key) is reported too; `jwt.get_unverified_header`
    is the API for that. A missing `algorithms` is reported with low confidence: PyJWT 2
    refuses such calls at run time. Options built at run time or passed through `**kwargs`
    are not inspected.

    ## References
    - [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
    - [PyJWT: `jwt.decode`](https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode)
    - [RFC 8725: JSON Web Token Best Current Practices](https://www.rfc-editor.org/rfc/rfc8725)
    """

    code = "SCR307"
    name = "jwt-no-verify"
    cwe = 347
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:jwt-decode",)),)
    fix = "Verify the signature: pass the key and an explicit `algorithms` list, never `none`."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "jwt-decode")
        if entry is None:
            return
        shown = ast.unparse(node.func)
        pyjwt = entry.get("library") == "pyjwt"
        # PyJWT 1: decode(jwt, key, verify, algorithms, options); 2 and jose: (jwt, key, algorithms, options).
        third = ctx.const(argument(node, 2))
        legacy = pyjwt and isinstance(third, bool)
        if pyjwt and (ctx.const(keyword(node, "verify")) is False or third is False):
            yield self.hit(node, f"`{shown}` decodes a token with `verify=False`")
            return
        if _verification_off(argument(node, 4 if legacy else 3, "options"), ctx):
            yield self.hit(node, f"`{shown}` decodes a token with `verify_signature` off")
            return
        algorithms = argument(node, 3 if legacy else 2, "algorithms")
        value = ctx.const(algorithms)
        names = [value] if isinstance(value, str) else value if isinstance(value, list | tuple) else []
        if any(isinstance(n, str) and n.lower() == "none" for n in names):
            yield self.hit(node, f"`{shown}` accepts tokens signed with the `none` algorithm")
        elif algorithms is None and not has_kwargs_unpacking(node):
            message = f"`{shown}` decodes a token without `algorithms`, so its header picks the algorithm"
            yield self.hit(node, message, confidence=Confidence.LOW)


def _verification_off(options: ast.expr | None, ctx: Context) -> bool:
    """`options` is a dict (literal, or a name bound to one) with `verify_signature` False."""
    if isinstance(options, ast.Name):
        binding = ctx.binding(options.id)
        if binding is not None and binding.kind is BindingKind.ASSIGN:
            options = binding.value
    if not isinstance(options, ast.Dict):
        return False
    for key, value in zip(options.keys, options.values, strict=True):
        if key is not None and ctx.const(key) == "verify_signature" and ctx.const(value) is False:
            return True
    return False
