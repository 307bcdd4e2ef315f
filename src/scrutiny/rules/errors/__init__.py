"""Error handling, assertions and source-level tricks (SCR8xx)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.errors.assert_used_for_security import AssertUsedForSecurity
from scrutiny.rules.errors.fail_open_security_check import FailOpenSecurityCheck
from scrutiny.rules.errors.regex_catastrophic_backtracking import RegexCatastrophicBacktracking
from scrutiny.rules.errors.trojan_source import TrojanSource
from scrutiny.rules.errors.try_except_continue import TryExceptContinue
from scrutiny.rules.errors.try_except_pass import TryExceptPass
from scrutiny.rules.errors.unbounded_request_read import UnboundedRequestRead
from scrutiny.rules.errors.unguarded_input_parse_in_loop import UnguardedInputParseInLoop

RULES: list[type[Rule]] = [
    TryExceptPass,
    TryExceptContinue,
    AssertUsedForSecurity,
    TrojanSource,
    FailOpenSecurityCheck,
    UnguardedInputParseInLoop,
    UnboundedRequestRead,
    RegexCatastrophicBacktracking,
]
