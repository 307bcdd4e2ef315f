"""Rule SCR911: attacker-controlled data reaching an LDAP filter or DN."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class LdapInjection(DataflowRule):
    """Checks for attacker-controlled data that becomes part of an LDAP search filter or base DN.

    ## Why is this bad?
    A user name of `*)(uid=*))(|(uid=*` rewrites the filter it is pasted into: it matches every
    entry, bypasses a password check built on the search, or reads attributes the query never
    meant to return.

    ## Example
    ```python
    import ldap
    from flask import request

    def lookup():
        user = request.args["user"]
        conn = ldap.initialize("ldap://ldap.example.com")
        return str(conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + user + ")"))
    ```

    ## Use instead
    ```python
    import ldap
    import ldap.filter
    from flask import request

    def lookup():
        user = ldap.filter.escape_filter_chars(request.args["user"])
        conn = ldap.initialize("ldap://ldap.example.com")
        return str(conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + user + ")"))
    ```

    ## Known problems
    `python-ldap` connections are recognised when made with `ldap.initialize` in the same
    function or module; `ldap3` through `ldap3.Connection`.

    ## References
    - [CWE-90: LDAP Injection](https://cwe.mitre.org/data/definitions/90.html)
    - [OWASP: LDAP Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html)
    """

    code = "SCR911"
    name = "ldap-injection"
    cwe = 90
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    sink_kind = "ldap-injection"
    fix = "Escape values with `ldap.filter.escape_filter_chars` (filters) or `ldap.dn.escape_dn_chars` (DNs)."
    twins = ()
