"""Probing a rootwrap argument pattern the way rootwrap applies it: `re.match(pattern + '$')`."""

from __future__ import annotations

import re

from scrutiny.rootwrap.facts import Facts

# `.` is kept as a literal: probing with a real `.` satisfies it either way.
_META = frozenset("^$*+?{}[]|()")
_QUANTIFIERS = frozenset("*?{")
_SUFFIX = re.compile(r"(?:[\w./-]|\\[./-])+$")


def accepts(pattern: str, value: str) -> bool:
    try:
        return re.match(pattern + "$", value) is not None
    except re.error:
        return False  # rootwrap denies a badly formed pattern


def literal_prefix(pattern: str) -> str:
    """The text every match starts with (`/etc/netns/qdhcp-` for `/etc/netns/qdhcp-[a-z]+`)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern) or pattern[i + 1].isalnum():
                break  # a class such as \d or \S
            char, i = pattern[i + 1], i + 1
        elif char in _META:
            break
        if i + 1 < len(pattern) and pattern[i + 1] in _QUANTIFIERS:
            break  # the character may be absent
        out.append(char)
        i += 1
    return "".join(out)


def literal_suffix(pattern: str) -> str:
    match = _SUFFIX.search(pattern)
    if match is None:
        return ""
    text = match.group(0)
    if match.start() > 0 and pattern[match.start() - 1] == "\\":
        text = text[1:]  # `\d` ends the pattern: `d` is not literal
    return re.sub(r"\\(.)", r"\1", text)


def too_broad(pattern: str, facts: Facts) -> str | None:
    """How the pattern lets an argument through that it should not, or None."""
    option = next((p for p in facts.option_probes if accepts(pattern, p)), None)
    prefix = literal_prefix(pattern)
    anywhere = not prefix.startswith("/") and accepts(pattern, facts.anywhere)
    if option is not None and anywhere:
        return "accepts any value, options and paths included"
    if option is not None:
        return f"accepts an option such as `{option}`"
    if anywhere:
        return f"accepts any path, `{facts.anywhere}` included"
    if "|" in pattern or not prefix.startswith("/") or not facts.escape:
        return None
    directory = prefix[: prefix.rfind("/") + 1]
    probe = prefix + facts.escape + (literal_suffix(pattern).lstrip("/") or facts.escape_name)
    if accepts(pattern, probe):
        return f"accepts `{probe}`, a path outside `{directory}`"
    return None
