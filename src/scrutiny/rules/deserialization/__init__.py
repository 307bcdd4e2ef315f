"""Deserialization and XML parsing (SCR4xx)."""

from scrutiny.rules.base import Rule

RULES: list[type[Rule]] = []
