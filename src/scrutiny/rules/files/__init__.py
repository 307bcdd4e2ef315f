"""Files, permissions, temporary files and archives (SCR6xx)."""

from scrutiny.rules.base import Rule

RULES: list[type[Rule]] = []
