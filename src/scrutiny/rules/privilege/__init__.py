"""Privileges: oslo.rootwrap filters and the commands run through them (SCR120-SCR122)."""

from scrutiny.rules.base import Rule
from scrutiny.rules.privilege.privileged_call_without_filter import PrivilegedCallWithoutFilter
from scrutiny.rules.privilege.rootwrap_filter_grants_root import RootwrapFilterGrantsRoot
from scrutiny.rules.privilege.rootwrap_regexp_filter_too_broad import RootwrapRegexpFilterTooBroad

RULES: list[type[Rule]] = [
    RootwrapFilterGrantsRoot,
    RootwrapRegexpFilterTooBroad,
    PrivilegedCallWithoutFilter,
]
