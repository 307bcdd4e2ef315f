"""Imports of modules the narrative names (`observed-module` rows): where the file brings in
its logging, firewall, exception or configuration library."""

from __future__ import annotations

from collections.abc import Iterator

from scrutiny.findings import Observation
from scrutiny.observations.common import note
from scrutiny.observations.facts import Facts


def observe(facts: Facts) -> Iterator[Observation]:
    for stmt, local, name in facts.imports:
        row = facts.models.lookup("api", name, "observed-module")
        if row is None:
            continue
        alias = f" as `{local}`" if local != name else ""
        text = f"imports `{name}`{alias}, {row.get('about', 'a module the narrative follows')}."
        yield note(str(row.get("category")), [stmt.lineno], text)
