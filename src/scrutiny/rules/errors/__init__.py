"""Error handling, assertions and source-level tricks (SCR8xx)."""

from scrutiny.rules.base import Rule

RULES: list[type[Rule]] = []
