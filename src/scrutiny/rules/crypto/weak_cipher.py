"""Rule SCR302: a broken or obsolete cipher (DES, RC4, Blowfish, ...)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class WeakCipher(Rule):
    """Checks for ciphers that are broken or too weak for new data: DES, 3DES, RC2, RC4, Blowfish...

    ## Why is this bad?
    DES keys are found by brute force in hours; RC4's keystream is biased enough to recover
    plaintext (RFC 7465 bans it from TLS); RC2 falls to related-key attacks. Ciphers with a
    64-bit block (Triple DES, Blowfish, CAST5, IDEA) leak plaintext after a few dozen gigabytes
    under one key (Sweet32). PyCrypto's `XOR` cipher is no cipher at all. Covers PyCrypto,
    PyCryptodome, `cryptography` (also its `decrepit` module) and pyDes.

    ## Example
    ```python
    from Crypto.Cipher import DES

    def encrypt(key, data):
        return DES.new(key, DES.MODE_CBC).encrypt(data)
    ```

    ## Use instead
    ```python
    from Crypto.Cipher import AES

    def encrypt(key, data):
        cipher = AES.new(key, AES.MODE_GCM)
        return cipher.nonce, *cipher.encrypt_and_digest(data)
    ```

    ## Known problems
    Decrypting old data with an old cipher may be unavoidable; the call is reported all the
    same. Unlike Bandit, SEED is not reported: it has a 128-bit block and no known break.

    ## References
    - [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
    - [Sweet32: birthday attacks on 64-bit block ciphers](https://sweet32.info/)
    - [RFC 7465: Prohibiting RC4 Cipher Suites](https://www.rfc-editor.org/rfc/rfc7465)
    """

    code = "SCR302"
    name = "weak-cipher"
    cwe = 327
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:weak-cipher",)),)
    fix = "Use AES-GCM or ChaCha20-Poly1305 (e.g. `cryptography`'s `AESGCM`)."
    bandit = ("B304",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "weak-cipher")
        if entry is None:
            return
        shown = ast.unparse(node.func)
        yield self.hit(node, f"`{shown}` uses {entry.get('algorithm')}, which has {entry.get('why')}")
