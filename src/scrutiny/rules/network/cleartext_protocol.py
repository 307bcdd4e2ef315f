"""Rule SCR507: a Telnet or FTP client, which sends credentials and data in cleartext."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule


class CleartextProtocol(Rule):
    """Checks for clients of cleartext protocols: `telnetlib.Telnet` and `ftplib.FTP`.

    ## Why is this bad?
    Telnet and FTP send the user name, the password and every byte of the session
    unencrypted and unauthenticated. Anyone on the path can read the credentials and change
    commands or files in transit. SSH (paramiko, asyncssh) replaces Telnet; SFTP or
    `ftplib.FTP_TLS` with `prot_p()` replace FTP.

    ## Example
    ```python
    from ftplib import FTP

    def fetch(host, user, password):
        ftp = FTP(host)
        ftp.login(user, password)
        return ftp
    ```

    ## Use instead
    ```python
    from ftplib import FTP_TLS

    def fetch(host, user, password):
        ftp = FTP_TLS(host)
        ftp.login(user, password)
        ftp.prot_p()
        return ftp
    ```

    ## Known problems
    Importing `telnetlib` or `ftplib` is not reported (Bandit's B401/B402 are): the import
    sends nothing, and `ftplib` also holds `FTP_TLS`. Subclasses of `ftplib.FTP` defined in
    the project are not followed. `telnetlib` was removed in Python 3.13.

    ## References
    - [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
    - [Python docs: `ftplib.FTP_TLS`](https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS)
    """

    code = "SCR507"
    name = "cleartext-protocol"
    cwe = 319
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:cleartext-protocol",)),)
    fix = "Use SSH or SFTP instead of Telnet, and `ftplib.FTP_TLS` with `prot_p()` or SFTP instead of FTP."
    bandit = ("B312", "B321", "B401", "B402")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "cleartext-protocol")
        if entry is not None:
            protocol = entry.get("protocol", "a cleartext protocol")
            yield self.hit(
                node, f"`{entry.name}` speaks {protocol}, which sends credentials and data unencrypted"
            )
