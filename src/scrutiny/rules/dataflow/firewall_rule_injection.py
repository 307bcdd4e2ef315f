"""Rule SCR918: attacker-controlled data reaching a firewall rule, chain or ipset."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class FirewallRuleInjection(DataflowRule):
    r"""Checks for attacker-controlled data built into an iptables rule, chain or ipset name.

    ## Why is this bad?
    An iptables rule is a line of words: a "source address" of `10.0.0.1 -j ACCEPT` ends the
    match and accepts everything, and a line break fed to `iptables-restore` adds a rule of the
    attacker's choosing. Neutron's agents program the host firewall as root from API and RPC
    data (`IptablesTable.add_rule`, `add_chain`, `IpsetManager.set_members`), so one unchecked
    field opens other tenants' traffic. Converting a value to what it claims to be (an address
    with `netaddr.IPNetwork`, a port with `int`) or checking it against an anchored pattern
    removes every delimiter.

    ## Example
    ```python
    from flask import request
    from neutron.agent.linux import iptables_manager

    def allow_source():
        table = iptables_manager.IptablesManager().ipv4["filter"]
        cidr = request.json["remote_ip_prefix"]
        table.add_rule("INPUT", "-s %s -j ACCEPT" % cidr)
    ```

    ## Use instead
    ```python
    import netaddr
    from flask import request
    from neutron.agent.linux import iptables_manager

    def allow_source():
        table = iptables_manager.IptablesManager().ipv4["filter"]
        cidr = str(netaddr.IPNetwork(request.json["remote_ip_prefix"]))
        table.add_rule("INPUT", "-s %s -j ACCEPT" % cidr)
    ```

    ## Known problems
    Table objects are matched by method name (`*.add_rule`, `*.add_chain`) because their type is
    rarely visible at the call; an unrelated class with such a method taking request data is
    reported too, hence medium confidence. Rules run through `iptables` argument lists are
    SCR902's. Sources are those scrutiny models as `remote` (web requests, sockets, RPC endpoints
    where modelled); values checked by the API layer before reaching an agent are trusted only
    when the check is visible in the reviewed code.

    ## References
    - [CWE-74: Injection](https://cwe.mitre.org/data/definitions/74.html)
    - [CWE-20: Improper Input Validation](https://cwe.mitre.org/data/definitions/20.html)
    - [iptables-restore(8)](https://man7.org/linux/man-pages/man8/iptables-restore.8.html)
    """

    code = "SCR918"
    name = "firewall-rule-injection"
    cwe = 74
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    sink_kind = "firewall-injection"
    fix = (
        "Convert each value to its type before building the rule (`netaddr.IPNetwork`, "
        "`ipaddress.ip_network`, `int`) or check it with an anchored `re.fullmatch` allow-pattern."
    )
    twins = ()
    # Measured on neutron only once RPC sources reach the agents (SCR917's models).
    preview = True
