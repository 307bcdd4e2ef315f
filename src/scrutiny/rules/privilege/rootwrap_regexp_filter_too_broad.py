"""Rule SCR121: a rootwrap `RegExpFilter` argument pattern that lets any path or option through."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from scrutiny.findings import Confidence, Severity
from scrutiny.rootwrap.facts import REGEXP_FILTERS, Facts, runs_as_root
from scrutiny.rootwrap.ini import Entry
from scrutiny.rules.privilege._filter_rule import FilterHit, FilterRule
from scrutiny.rules.privilege._patterns import too_broad


class RootwrapRegexpFilterTooBroad(FilterRule):
    r"""Checks for `RegExpFilter` and `ChainingRegExpFilter` argument patterns that accept any
    value (`.*`, `.+`, `\S+`), any option, any path, or a path that climbs out of the directory
    the pattern names (`/etc/(?!\.\.).*` accepts `/etc/x/../../tmp/evil`).

    ## Why is this bad?
    Each pattern is the only check rootwrap makes on its argument before running the program
    as root. A pattern that lets an option through lets the caller change what the program does
    (`--config`, `--exec`); one that lets any path through, or a `..` out of its directory, lets
    the caller point the program at a file of their own (`haproxy -f /tmp/evil.cfg`) or at one
    they must not touch (`rm -r /etc/netns/qdhcp-../../..`).

    ## Example
    ```ini
    [Filters]
    haproxy: RegExpFilter, haproxy, root, haproxy, -f, .*
    ```

    ## Use instead
    ```ini
    [Filters]
    haproxy: RegExpFilter, haproxy, root, haproxy, -f, /var/lib/neutron/ns-metadata-proxy/[0-9a-f-]+\.conf
    ```

    ## Known problems
    The pattern is tried on probe values (`models/rootwrap.toml`): an option, `/etc/shadow`,
    and a `..` path after the pattern's literal prefix. The first pattern, which matches the
    command's name, is not checked: it does not change which program runs. Patterns for
    programs rootwrap always allows with any arguments (`privsep-helper`) are not checked
    either: restricting them changes nothing.

    ## References
    - [CWE-625: Permissive Regular Expression](https://cwe.mitre.org/data/definitions/625.html)
    - [oslo.rootwrap: filter definitions](https://docs.openstack.org/oslo.rootwrap/latest/user/usage.html)
    """

    code = "SCR121"
    name = "rootwrap-regexp-filter-too-broad"
    cwe = 625
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    fix = "Anchor each pattern to the values the service passes: a fixed directory, names without `.` or `/`."

    def check_entry(self, entry: Entry, facts: Facts) -> Iterator[FilterHit]:
        if entry.kind.text not in REGEXP_FILTERS or not runs_as_root(entry) or len(entry.args) < 4:
            return
        program = posixpath.basename(entry.arg(0))
        if program in facts.always_allowed:
            return
        for position, arg in enumerate(entry.args[3:], start=1):
            problem = too_broad(arg.text, facts)
            if problem is not None:
                message = f"pattern `{arg.text}` for argument {position} of `{program}` {problem}"
                yield self.filter_hit(arg, message)
