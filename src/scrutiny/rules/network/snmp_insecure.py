"""Rule SCR506: SNMP traffic sent without encryption (v1/v2c, or v3 without privacy)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scrutiny.engine.context import Context, argument, has_kwargs_unpacking
from scrutiny.engine.model import Entry
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

_VERSIONS = {0: "SNMPv1", 1: "SNMPv2c"}
_USM_MISSING = {
    "noAuthNoPriv": "an authentication key leaves SNMPv3 messages unauthenticated and unencrypted",
    "authNoPriv": "a privacy key sends SNMPv3 messages unencrypted",
}


class SnmpInsecure(Rule):
    """Checks for pysnmp security settings that send SNMP in cleartext: `CommunityData`
    (SNMPv1/v2c) and `UsmUserData` without an authentication or a privacy key.

    ## Why is this bad?
    SNMPv1 and v2c have no encryption: the community string, which is the only credential,
    travels in every packet, and anyone who sees it can read (or, with a write community,
    change) the device's configuration. `CommunityData` is v1/v2c whatever its `mpModel`.
    SNMPv3 without a privacy key (`authNoPriv`) still sends the data in the clear, and
    without an authentication key (`noAuthNoPriv`) anyone can send requests as the user.

    ## Example
    ```python
    from pysnmp.hlapi import CommunityData

    credentials = CommunityData("public", mpModel=1)
    ```

    ## Use instead
    ```python
    from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol

    def credentials(auth_key, priv_key):
        return UsmUserData(
            "monitor", auth_key, priv_key,
            authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol,
        )
    ```

    ## Known problems
    With both keys but no protocols pysnmp defaults to HMAC-MD5 and DES; that weaker choice
    is not reported here. Keys passed through `**kwargs` are not followed.

    ## References
    - [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
    - [RFC 3414: User-based Security Model for SNMPv3](https://www.rfc-editor.org/rfc/rfc3414)
    """

    code = "SCR506"
    name = "snmp-insecure"
    cwe = 319
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    nodes = (ast.Call,)
    gate = ((ast.Call, ("api:snmp",)),)
    fix = "Use SNMPv3 `UsmUserData` with both an authentication and a privacy key (SHA and AES)."
    bandit = ("B508", "B509")

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        assert isinstance(node, ast.Call)
        entry = ctx.api(node.func, "snmp")
        if entry is None:
            return
        if entry.get("check") == "community":
            model = argument(node, 1, "mpModel")  # 0 is v1; 1, the default, is v2c
            value = 1 if model is None else ctx.const(model)
            version = _VERSIONS.get(value, "SNMPv1 or v2c") if isinstance(value, int) else "SNMPv1 or v2c"
            yield self.hit(
                node, f"`{entry.name}` selects {version}, which sends the community string in cleartext"
            )
        elif entry.get("check") == "usm" and not has_kwargs_unpacking(node):
            missing = _USM_MISSING.get(_usm_level(node, entry, ctx))
            if missing is not None:
                yield self.hit(node, f"`{entry.name}` without {missing}")


def _usm_level(call: ast.Call, entry: Entry, ctx: Context) -> str:
    def missing(key_field: str, protocol_field: str, off: str) -> bool:
        key = argument(call, *entry.get(key_field))
        protocol = argument(call, *entry.get(protocol_field))
        if key is None or ctx.const(key) is None:
            return True
        if protocol is None:
            return False
        none_row = ctx.api(protocol, "snmp")
        return none_row is not None and none_row.get("check") == off

    if missing("auth_key", "auth_protocol", "no-auth"):
        return "noAuthNoPriv"
    if missing("priv_key", "priv_protocol", "no-priv"):
        return "authNoPriv"
    return "authPriv"
