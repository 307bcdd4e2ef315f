"""The rule catalogue. Each block registers its rules in its own `RULES` list."""

from __future__ import annotations

from scrutiny.rules import (
    crypto,
    dataflow,
    deserialization,
    errors,
    files,
    injection,
    network,
    privilege,  # oslo.rootwrap filters (SCR120-SCR122)
    secrets,
    web,
)
from scrutiny.rules.base import Hit, Rule

_BLOCKS = (injection, privilege, web, crypto, deserialization, network, files, secrets, errors, dataflow)
ALL_RULES: list[type[Rule]] = sorted((r for b in _BLOCKS for r in b.RULES), key=lambda r: r.code)

__all__ = ["ALL_RULES", "Hit", "Rule"]
