"""Dataflow rules: attacker-controlled data reaching a sink, found by the taint engine (SCR9xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.dataflow.command_injection import CommandInjection

RULES: list[type[Rule]] = [CommandInjection]
