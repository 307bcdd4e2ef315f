"""Rule SCR120: a rootwrap filter that runs a root-granting program with any arguments."""

from __future__ import annotations

from collections.abc import Iterator

from scrutiny.findings import Confidence, Severity
from scrutiny.rootwrap.facts import Facts, env_split, free_program, runs_as_root
from scrutiny.rootwrap.ini import Entry
from scrutiny.rules.privilege._filter_rule import FilterHit, FilterRule


class RootwrapFilterGrantsRoot(FilterRule):
    """Checks for oslo.rootwrap filters that hand root to whoever may call rootwrap: a program
    that runs commands, writes, reads or takes over files, allowed with any arguments; an
    `EnvFilter` that lets the caller set the dynamic loader's variables; a `ReadFileFilter` on a
    file only root should read.

    ## Why is this bad?
    Rootwrap is what stands between the service's unprivileged user and root. `CommandFilter`
    checks only the program's name; `EnvFilter` checks the name and the variable names, never
    the arguments written after the program. Allowing `dnsmasq`, `bash`, `tee` or `chown` that
    way lets anyone who controls the service user (a code-execution bug in the service is
    enough) run `dnsmasq --dhcp-script=/tmp/x` or `tee /etc/sudoers` as root.

    ## Example
    ```ini
    [Filters]
    dnsmasq: CommandFilter, dnsmasq, root
    ```

    ## Use instead
    ```ini
    [Filters]
    # Start dnsmasq through a privsep entrypoint that builds its arguments.
    sleep: RegExpFilter, sleep, root, sleep, \\d+
    ```

    ## Known problems
    Which programs hand over root, and how, is data in `models/rootwrap.toml`; a program not
    listed there is not reported. A `KillFilter` is not reported: it signals only processes of
    the program it names, and without a signal list only with the default `SIGTERM`. A
    `PathFilter` is reported only when every argument is `pass`. oslo.rootwrap does not strip
    inline comments (they become part of the last argument); scrutiny reads them as comments.

    ## References
    - [CWE-269: Improper Privilege Management](https://cwe.mitre.org/data/definitions/269.html)
    - [oslo.rootwrap: filter definitions](https://docs.openstack.org/oslo.rootwrap/latest/user/usage.html)
    - [GTFOBins](https://gtfobins.github.io/)
    """

    code = "SCR120"
    name = "rootwrap-filter-grants-root"
    cwe = 269
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    fix = "Run the program through a privsep entrypoint, or restrict each argument with a `RegExpFilter`."

    def check_entry(self, entry: Entry, facts: Facts) -> Iterator[FilterHit]:
        if not runs_as_root(entry):
            return
        kind = entry.kind.text
        if kind == "ReadFileFilter" and entry.args:
            path = entry.args[0]
            if any(p.fullmatch(path.text) for p in facts.sensitive):
                yield self.filter_hit(path, f"`ReadFileFilter` lets the caller read `{path.text}` as root")
            return
        program = free_program(entry)
        if program is None:
            return
        power = facts.power(program.text)
        if power is not None:
            message = (
                f"`{kind}` runs `{program.text}` as root with any arguments, so the caller can "
                f"{power.grants} through {power.how}"
            )
            yield self.filter_hit(program, message)
        if kind == "EnvFilter":
            for name in env_split(entry)[0]:
                variable = name.text.partition("=")[0]
                if variable in facts.environment:
                    message = (
                        f"`EnvFilter` lets the caller set `{variable}` for `{program.text}` run "
                        "as root, so its dynamic loader loads a library of their choosing"
                    )
                    yield self.filter_hit(name, message)
