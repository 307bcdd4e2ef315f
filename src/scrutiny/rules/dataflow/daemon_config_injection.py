"""Rule SCR919: attacker-controlled data written into a privileged daemon's configuration."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class DaemonConfigInjection(DataflowRule):
    r"""Checks for attacker-controlled data written into a configuration file a daemon reads.

    ## Why is this bad?
    dnsmasq, haproxy, keepalived and radvd read one directive per line and run as root or with
    network privileges. A host name or DHCP option value holding a line break adds a directive
    of the attacker's choosing: `dhcp-script=/tmp/x` makes dnsmasq run a program as root, and a
    haproxy `server` line sends other tenants' metadata requests elsewhere. Rejecting line
    breaks, or checking the value with an anchored pattern, keeps it inside its own line.

    ## Example
    ```python
    from flask import request
    from neutron_lib.utils import file as file_utils

    def set_hostname():
        host = request.json["hostname"]
        file_utils.replace_file("/var/lib/neutron/dhcp/hosts", "fa:16:3e:00:00:01,%s\n" % host)
    ```

    ## Use instead
    ```python
    import re
    from flask import abort, request
    from neutron_lib.utils import file as file_utils

    def set_hostname():
        host = request.json["hostname"]
        if not re.fullmatch(r"[A-Za-z0-9-]{1,63}", host):
            abort(400)
        file_utils.replace_file("/var/lib/neutron/dhcp/hosts", "fa:16:3e:00:00:01,%s\n" % host)
    ```

    ## Known problems
    `open(...).write` counts only when the opened path's words name a configuration file (`conf`,
    `cfg`, `haproxy`, `dnsmasq`, ...: `path_words` in `taint_firewall.toml`). Rejecting `"\n"`
    clears the flow, though delimiters inside a line (`,` for dnsmasq options) may still change
    the meaning of that one directive.

    ## References
    - [CWE-93: CRLF Injection](https://cwe.mitre.org/data/definitions/93.html)
    - [CWE-74: Injection](https://cwe.mitre.org/data/definitions/74.html)
    - [dnsmasq(8): `dhcp-script` runs as root](https://thekelleys.org.uk/dnsmasq/docs/dnsmasq-man.html)
    """

    code = "SCR919"
    name = "daemon-config-injection"
    cwe = 93
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    sink_kind = "config-injection"
    fix = (
        "Reject values containing line breaks (or check them with an anchored `re.fullmatch` "
        "pattern) before writing them into a daemon's configuration."
    )
    twins = ()
    # Measured on neutron only once RPC sources reach the agents (SCR917's models).
    preview = True
