"""Error handling, assertions and source-level tricks (SCR8xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.errors.assert_used_for_security import AssertUsedForSecurity
from scrutiny.rules.errors.trojan_source import TrojanSource
from scrutiny.rules.errors.try_except_continue import TryExceptContinue
from scrutiny.rules.errors.try_except_pass import TryExceptPass

RULES: list[type[Rule]] = [TryExceptPass, TryExceptContinue, AssertUsedForSecurity, TrojanSource]
