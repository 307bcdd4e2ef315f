"""Rule SCR308: an import of the `Crypto` package, the namespace of the dead PyCrypto."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Final

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

_PACKAGE: Final = "Crypto"


class PycryptoImport(Rule):
    """Checks for imports of `Crypto`, the package name of the unmaintained PyCrypto.

    ## Why is this bad?
    PyCrypto has had no release since 2013 and carries known flaws, such as a heap overflow in
    its AES code (CVE-2013-7459). PyCryptodome is its maintained, API-compatible successor;
    it installs either as `Cryptodome` or, as a drop-in, under the same name `Crypto`.

    ## Example
    ```python
    from Crypto.Cipher import AES
    ```

    ## Use instead
    ```python
    from Cryptodome.Cipher import AES
    ```

    ## Known problems
    The import alone cannot tell PyCrypto from PyCryptodome installed as `Crypto`, which is
    the more common case today (PyCrypto does not build on recent Pythons): hence the low
    confidence. Check which distribution the project's dependencies name. Bandit's B414
    (PyCryptodome) was withdrawn and has no twin.

    ## References
    - [CWE-1104: Use of Unmaintained Third Party Components](https://cwe.mitre.org/data/definitions/1104.html)
    - [CVE-2013-7459](https://nvd.nist.gov/vuln/detail/CVE-2013-7459)
    - [PyCryptodome: compatibility with PyCrypto](https://www.pycryptodome.org/src/vs_pycrypto)
    """

    code = "SCR308"
    name = "pycrypto-import"
    cwe = 1104
    severity = Severity.MEDIUM
    confidence = Confidence.LOW
    nodes = (ast.Import, ast.ImportFrom)
    needles = (_PACKAGE,)  # only an import naming the package is reported
    fix = "Depend on `pycryptodomex` and import `Cryptodome`, or move to `cryptography`."
    bandit = ("B413",)

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Import | ast.ImportFrom)
        if isinstance(node, ast.ImportFrom):
            modules = [node.module] if node.level == 0 and node.module else []
        else:
            modules = [alias.name for alias in node.names]
        for module in modules:
            if module == _PACKAGE or module.startswith(_PACKAGE + "."):
                message = f"`{module}` is the namespace of PyCrypto, unmaintained since 2013"
                yield self.hit(node, message)
                return
