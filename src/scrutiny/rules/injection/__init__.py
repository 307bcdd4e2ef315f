"""Code and command execution, and injection into interpreters (SCR1xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.injection.eval_used import EvalUsed

RULES: list[type[Rule]] = [EvalUsed]
