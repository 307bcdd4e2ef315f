"""Rule SCR917: a parameter of an oslo.privsep entrypoint reaching a command, a path or a file mode."""

from __future__ import annotations

from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import DataflowRule


class PrivsepEntrypointUnvalidatedInput(DataflowRule):
    """Checks for privsep entrypoint parameters used as a command, a path or a file mode unchecked.

    ## Why is this bad?
    A function decorated with an oslo.privsep `entrypoint` runs in the privsep daemon as root,
    with arguments sent by the unprivileged service. The point of privsep is that a compromised
    service can ask root only for narrow operations; an entrypoint that runs any command, opens
    any path or sets any mode it is given hands the caller root instead (`path="/etc/shadow"`,
    `mode=0o4777`). scrutiny follows each parameter of the entrypoint, through the functions it
    calls, to the commands, file paths and modes used as root.

    ## Example
    ```python
    import os

    from oslo_privsep import priv_context

    default = priv_context.PrivContext("svc", cfg_section="privsep")

    @default.entrypoint
    def chmod(path, mode):
        os.chmod(path, mode)
    ```

    ## Use instead
    ```python
    import os
    import re

    from oslo_privsep import priv_context

    default = priv_context.PrivContext("svc", cfg_section="privsep")
    INSTANCES = "/var/lib/svc/instances"

    @default.entrypoint
    def make_console_log_readable(instance_id):
        if not re.fullmatch(r"[0-9a-f-]{36}", instance_id):
            raise ValueError(instance_id)
        os.chmod(os.path.join(INSTANCES, instance_id, "console.log"), 0o644)
    ```

    ## Known problems
    An entrypoint whose callers all pass fixed values is still reported: the privsep daemon accepts
    calls from any code running as the service. Decorators are matched by the method name
    `entrypoint` (the context is usually built in another module), so a project's own
    `@x.entrypoint` decorator is taken for privsep's. A parameter that only fills an argument
    of a fixed program (not the program itself) is reported at low confidence: on neutron and
    nova most such arguments were values or positional slots the program cannot misuse. A check
    is seen only when it is the `if` test itself, against a literal collection or a modelled
    check: a parameter validated through a helper (`if not exists(core): raise`, where `exists`
    returns `core in get_available_cores()`) is still reported.

    ## References
    - [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html)
    - [CWE-441: Unintended Proxy or Intermediary (Confused Deputy)](https://cwe.mitre.org/data/definitions/441.html)
    - [oslo.privsep: the privsep security model](https://docs.openstack.org/oslo.privsep/latest/)
    """

    code = "SCR917"
    name = "privsep-entrypoint-unvalidated-input"
    cwe = 250
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    sink_kind = "command-injection"
    more_sink_kinds = ("argument-injection", "path-injection", "file-mode")
    sources = ("privsep",)
    flow_message = (
        "a privsep entrypoint's parameter, sent by the unprivileged caller, reaches `{sink}`{detail} "
        "in code run as root"
    )
    fix = (
        "Take the narrowest value the operation needs (an id, not a path or a command line) and "
        "check it against an allow-list or an anchored pattern before using it."
    )
    twins = ()
    doubtful_sinks = ("argument-injection",)
