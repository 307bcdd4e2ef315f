"""Cryptography and randomness (SCR3xx)."""

from scrutiny.rules.base import Rule

RULES: list[type[Rule]] = []
