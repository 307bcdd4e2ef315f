"""Rule SCR303: the ECB block cipher mode."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

_TYPE_CHECKS = ("builtins.isinstance", "builtins.issubclass")


class WeakCipherMode(Rule):
    """Checks for block ciphers used in ECB mode.

    ## Why is this bad?
    ECB encrypts equal plaintext blocks to equal ciphertext blocks, so patterns in the data
    show through (the famous ECB penguin), blocks can be reordered or replayed, and nothing
    detects tampering. Covers `cryptography`'s `modes.ECB` and the `MODE_ECB` constants of
    PyCrypto and PyCryptodome ciphers.

    ## Example
    ```python
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    def encryptor(key):
        return Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    ```

    ## Use instead
    ```python
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def encrypt(key, data):
        nonce = os.urandom(12)
        return nonce + AESGCM(key).encrypt(nonce, data, None)
    ```

    ## Known problems
    ECB is safe for a single block of random data (some key-wrapping schemes); such code is
    reported all the same. Comparisons (`mode == AES.MODE_ECB`) and type checks
    (`isinstance(mode, modes.ECB)`) are not uses and are not reported. PyCrypto's block
    ciphers default to ECB when no mode is given; that is not detected.

    ## References
    - [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
    - [NIST SP 800-38A: Block Cipher Modes of Operation](https://csrc.nist.gov/pubs/sp/800/38/a/final)
    """

    code = "SCR303"
    name = "weak-cipher-mode"
    cwe = 327
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Attribute, ast.Name)
    gate = ((ast.Name, ("api:weak-cipher-mode",)), (ast.Attribute, ("api:weak-cipher-mode",)))
    fix = "Use an authenticated mode: GCM, or ChaCha20-Poly1305."
    bandit = ("B305",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Attribute | ast.Name)
        if not isinstance(node.ctx, ast.Load) or ctx.api(node, "weak-cipher-mode") is None:
            return
        if _is_tested(ctx):
            return
        yield self.hit(node, f"`{ast.unparse(node)}` selects the ECB mode")


def _is_tested(ctx: Context) -> bool:
    """The mode is compared with or type-checked against, through a tuple of modes too."""
    holder = ctx.parent()
    if isinstance(holder, ast.Tuple | ast.List | ast.Set):
        holder = ctx.parent(2)
    if isinstance(holder, ast.Compare):
        return True
    return isinstance(holder, ast.Call) and ctx.call_name(holder) in _TYPE_CHECKS
