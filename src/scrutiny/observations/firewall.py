"""Firewall and network configuration: managers made, every rule added or removed, and the
namespace, device and address operations (grouped when the same call repeats)."""

from __future__ import annotations

from collections.abc import Iterator

from scrutiny.findings import Observation
from scrutiny.observations.common import note, plural
from scrutiny.observations.facts import Facts
from scrutiny.observations.network import Op, grouped, holders, keyword_text

CATEGORY = "firewall-and-network"
_VERBS = {
    "create": "creates", "delete": "deletes", "add": "adds", "remove": "removes", "change": "changes",
    "apply": "applies", "batch": "batches changes to", "query": "checks", "send": "sends",
}  # fmt: skip


def phrase(op: Op) -> str:
    """`adds an iptables rule`, `applies iptables rules`, `checks the network namespace`."""
    resource = op.resource
    if is_plural(resource):
        article = ""
    elif op.verb in ("query", "batch", "apply"):
        article = "the "
    else:
        article = "an " if resource[:1].lower() in "aeiou" or resource.startswith("IP") else "a "
    return f"{_VERBS.get(op.verb, op.verb)} {article}{resource}"


def is_plural(resource: str) -> bool:
    return resource.endswith("s") and not resource.endswith("ss")


def is_rule_change(op: Op) -> bool:
    return op.resource.startswith(("iptables rule", "iptables chain")) and op.verb in ("add", "remove")


def observe(facts: Facts, ops: list[Op]) -> Iterator[Observation]:
    for holder in holders(facts).values():
        where = keyword_text(holder.call, "namespace", facts)
        place = f" for namespace `{where}`" if where else ""
        yield note(
            CATEGORY, [holder.line], f"`{holder.target}` holds a new `{facts.text(holder.call.func)}`{place}."
        )
    for op in ops:
        if is_rule_change(op):
            yield note(CATEGORY, [op.line], _rule_text(op, facts))
    for (callee, _, _), group in grouped([op for op in ops if not is_rule_change(op)]):
        if len(group) == 1:
            yield note(CATEGORY, [group[0].line], _single(group[0], facts))
        else:
            args = "(…)" if any(op.call.args or op.call.keywords for op in group) else "()"
            text = f"`{callee}{args}` {phrase(group[0])} ({len(group)} calls)."
            yield note(CATEGORY, [op.line for op in group], text)


def _single(op: Op, facts: Facts) -> str:
    where = keyword_text(op.call, "namespace", facts)
    place = f" in namespace `{where}`" if where else ""
    return f"`{facts.text(op.call, 90)}` {phrase(op)}{place}."


def _rule_text(op: Op, facts: Facts) -> str:
    table = f" in table `{op.table}`" if op.table else ""
    args = op.call.args[:2]
    literal = all(facts.literal(a) for a in args)
    kind = "fixed text" if literal else "computed arguments (see input handling)"
    if not args:
        kind = "no positional arguments"
    return f"`{facts.text(op.call, 90)}` {phrase(op)}{table}: {kind}."


def summary(ops: list[Op]) -> Observation | None:
    """How many operations change the host network, for the privileged-operations category."""
    changing = [op for op in ops if op.verb not in ("query", "batch")]
    if not changing:
        return None
    return note(
        "privileged-operations",
        [op.line for op in changing],
        f"{plural(len(changing), 'network change')} above need root (CAP_NET_ADMIN); the helpers "
        "called run them with privileges outside this file.",
    )
