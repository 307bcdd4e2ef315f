"""Network, TLS and remote protocols (SCR5xx)."""

from scrutiny.rules.base import Rule

RULES: list[type[Rule]] = []
