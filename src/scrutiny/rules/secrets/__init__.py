"""Secrets and credentials (SCR7xx)."""

from scrutiny.rules.base import Rule

RULES: list[type[Rule]] = []
