"""Which rules run: `select`/`ignore` by code, code prefix or name; preview; the test profile."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from scrutiny.config import ConfigError, Settings
from scrutiny.rules import ALL_RULES, Rule


def _matches(rule: type[Rule], selector: str) -> bool:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return True
    return rule.code.startswith(sel.upper()) or rule.name == sel.lower()


def check_selectors(selectors: Sequence[str]) -> None:
    for sel in selectors:
        if not any(_matches(rule, sel) for rule in ALL_RULES):
            raise ConfigError(f"`{sel}` matches no rule code, prefix or name (see `scrutiny rules`)")


def selected(settings: Settings) -> list[type[Rule]]:
    """The rules in force for non-test code."""
    return list(_selected(settings))


@cache
def _selected(settings: Settings) -> tuple[type[Rule], ...]:
    check_selectors([*settings.select, *settings.ignore])
    chosen: list[type[Rule]] = []
    for rule in ALL_RULES:
        if settings.select:
            # An explicit code or name turns a preview rule on; a prefix or ALL needs --preview.
            explicit = any(rule.code == s.upper() or rule.name == s.lower() for s in settings.select)
            if not any(_matches(rule, s) for s in settings.select):
                continue
            if rule.preview and not (settings.preview or explicit):
                continue
        elif rule.preview and not settings.preview:
            continue
        if any(_matches(rule, s) for s in settings.ignore):
            continue
        chosen.append(rule)
    return tuple(chosen)


def for_file(rules: Sequence[type[Rule]], is_test: bool, settings: Settings) -> list[type[Rule]]:
    """Test code gets the quiet profile unless `tests = "full"`."""
    if is_test and settings.tests == "quiet":
        return [rule for rule in rules if rule.in_tests]
    return list(rules)
