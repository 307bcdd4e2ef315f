"""The review narrative: what in a file touches security, one line per observation, each
resting on line numbers the analysis computed (issue 7, docs/observations.md).

`observe` runs the engine's walk once more with a collector instead of rules, so names resolve
through the same scopes and imports as in the rules; it is called only when the narrative will
be shown (`Settings.observations`), which keeps whole-repository reviews as fast as before.
Which APIs mean what is data: `models/observations.toml`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from scrutiny.engine.context import Context
from scrutiny.engine.model import Models
from scrutiny.engine.source import Source
from scrutiny.engine.walker import Walker
from scrutiny.findings import Observation
from scrutiny.observations import (
    configuration,
    exceptions,
    firewall,
    inputs,
    lifecycle,
    limits,
    logs,
    modules,
    privileged,
)
from scrutiny.observations.facts import Collector
from scrutiny.observations.network import operations

# Identifier and title of each category, in the order reports print them (the seed review's
# order, with the categories it lacked placed beside their neighbours).
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("input-handling", "Input handling"),
    ("logging", "Logging"),
    ("exception-handling", "Exception handling"),
    ("privileged-operations", "Privileged operations"),
    ("firewall-and-network", "Firewall and network configuration"),
    ("configuration-and-constants", "Configuration and constants"),
    ("resource-lifecycle", "Resource lifecycle"),
    ("limits", "Limits of this review"),
)
_ORDER = {key: rank for rank, (key, _) in enumerate(CATEGORIES)}
_RECURSION_LIMIT = 6000  # as the pipeline's walk: deep but legal code


def observe(source: Source, models: Models) -> tuple[Observation, ...]:
    """The file's observations, sorted by category, then first line, then text."""
    ctx = Context(source, models)
    collector = Collector(ctx)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        Walker((), ctx, observer=collector).run()
    except RecursionError:  # the file's review already says it nests too deeply
        return ()
    finally:
        sys.setrecursionlimit(limit)
    facts = collector.facts
    ops = operations(facts)
    found: list[Observation] = [
        *modules.observe(facts),
        *inputs.observe(facts, ops),
        *logs.observe(facts),
        *exceptions.observe(facts),
        *privileged.observe(facts, ops),
        *firewall.observe(facts, ops),
        *configuration.observe(facts),
        *lifecycle.observe(facts, ops),
        *limits.observe(facts, ops),
    ]
    return tuple(sorted(dict.fromkeys(found), key=_key))


def _key(o: Observation) -> tuple[int, int, str]:
    return (_ORDER.get(o.category, len(_ORDER)), o.lines[0] if o.lines else 0, o.text)


def title(category: str) -> str:
    return dict(CATEGORIES).get(category, category)


def where(lines: Iterable[int], limit: int = 12) -> str:
    """`line 5`, `lines 5, 9`, or the first `limit` lines and how many more; '' for none."""
    ordered = sorted(set(lines))
    if not ordered:
        return ""
    shown = ", ".join(str(n) for n in ordered[:limit])
    more = f" and {len(ordered) - limit} more" if len(ordered) > limit else ""
    return f"{'line' if len(ordered) == 1 else 'lines'} {shown}{more}"


__all__ = ["CATEGORIES", "observe", "title", "where"]
