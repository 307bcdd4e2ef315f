"""Web frameworks and templates (SCR2xx)."""

from scrutiny.rules.base import Rule

RULES: list[type[Rule]] = []
