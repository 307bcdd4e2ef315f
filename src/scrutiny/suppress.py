"""Inline suppressions that name a rule, and Bandit's `# nosec` read the safe way.

- `# scrutiny: ignore[SCR602]` (one or more codes, comma-separated) on any line of a
  statement silences those rules' findings on that statement.
- `# nosec B602` silences only the scrutiny rule that is the twin of Bandit test B602, and never
  a dataflow finding: real vulnerabilities have shipped behind a `# nosec`.
- A bare `# scrutiny: ignore` or `# nosec` names nothing: it silences nothing (a bare `# nosec`
  still silences Bandit twins, so migrating projects keep their reviewed decisions) and is
  reported, as is a suppression that matched no finding.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from scrutiny.engine.walker import RawFinding
from scrutiny.findings import Finding, Notice

# `nosec` counts only where it starts a comment or a `#` segment of one (after a `noqa`, say), so
# prose that mentions the word is not taken for it; the scrutiny directive is specific enough
# to stand anywhere in a comment, after a justification too.
_SCRUTINY = re.compile(r"scrutiny\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOSEC = re.compile(r"#\s*nosec(?![\w-])(?P<rest>[:\s]*(?:[A-Za-z]\d{3}[\s,]*)*)", re.IGNORECASE)
# Ruff's flake8-bandit codes are Bandit's numbers with an S: a noqa comment naming S602 is a
# reviewed decision about Bandit's B602, so it silences the same twin rule (and nothing else).
_NOQA = re.compile(r"#\s*noqa\s*:\s*(?P<codes>[A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*)", re.IGNORECASE)
_RUFF_BANDIT = re.compile(r"S(\d{3})", re.IGNORECASE)
_NOQA_S = re.compile(r"noqa\s*:[^\n]*\bS\d{3}\b", re.IGNORECASE)  # a noqa naming a Ruff S-code
_CODE = re.compile(r"[A-Za-z]+\d+")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


@dataclass(slots=True)
class Suppression:
    line: int
    kind: str  # "scrutiny" | "nosec" | "noqa" (Ruff's S-codes, read as Bandit's)
    codes: frozenset[str]
    used: set[str] = field(default_factory=set)

    @property
    def bare(self) -> bool:
        return not self.codes


def parse(text: str, lowered: str | None = None) -> list[Suppression]:
    """Suppression comments of a file; `lowered` is its text in lower case, if already made."""
    if lowered is None:
        lowered = text.lower()
    if (
        "scrutiny" not in lowered
        and "nosec" not in lowered
        and ("noqa" not in lowered or not _NOQA_S.search(text))
    ):
        return []  # most files (OpenStack's are full of `noqa: H301`): skip tokenizing altogether
    found: list[Suppression] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        comment = tok.string
        match = _SCRUTINY.search(comment)
        if match:
            # Codes (SCR101) or names (eval-used); names are mapped to codes when applied.
            codes = frozenset(_normal(t) for t in _TOKEN.findall(match.group("codes") or ""))
            found.append(Suppression(tok.start[0], "scrutiny", codes))
            continue
        nosec = _NOSEC.search(comment)
        if nosec:
            codes = frozenset(c.upper() for c in _CODE.findall(nosec.group("rest") or ""))
            found.append(Suppression(tok.start[0], "nosec", codes))
        noqa = _NOQA.search(comment)
        if noqa:
            bandit = {
                f"B{m.group(1)}"
                for c in _CODE.findall(noqa.group("codes"))
                if (m := _RUFF_BANDIT.fullmatch(c))
            }
            if bandit:
                found.append(Suppression(tok.start[0], "noqa", frozenset(bandit)))
    return found


def _normal(token: str) -> str:
    return token.upper() if _CODE.fullmatch(token) else token.lower()


def _covers(sup: Suppression, finding: Finding, bandit: Sequence[str], dataflow: bool) -> str | None:
    """The code this suppression matched `finding` on, or None."""
    if sup.kind == "scrutiny":
        return finding.code if finding.code in sup.codes else None
    if dataflow or not bandit:
        return None
    if sup.bare:
        return bandit[0]
    matched = sup.codes.intersection(bandit)
    return min(matched) if matched else None


def apply(
    path: str,
    raw: Iterable[RawFinding],
    suppressions: list[Suppression],
    twins: dict[str, tuple[tuple[str, ...], bool]],
    active_codes: frozenset[str],
    names: dict[str, str] | None = None,
) -> tuple[list[Finding], list[Notice]]:
    """Mark suppressed findings; report bare, unknown and unused suppressions.

    `twins` maps a rule code to (its Bandit twins, whether it is a dataflow rule).
    `active_codes` are the rules that ran, so a suppression for a rule left out by `--select`
    is not called unused. `names` maps rule names to codes (`ignore[eval-used]` works too).
    """
    names = names or {}
    by_line: dict[int, list[Suppression]] = {}
    for sup in suppressions:
        if sup.kind == "scrutiny":
            sup.codes = frozenset(names.get(c, c) for c in sup.codes)
        by_line.setdefault(sup.line, []).append(sup)
    findings: list[Finding] = []
    for item in raw:
        finding = item.finding
        bandit, dataflow = twins.get(finding.code, ((), False))
        marked = finding
        for line in range(item.statement[0], item.statement[1] + 1):
            for sup in by_line.get(line, ()):
                code = _covers(sup, finding, bandit, dataflow)
                if code is not None:
                    sup.used.add(code)
                    marked = replace(finding, suppressed=sup.kind)
        findings.append(marked)
    return findings, _notices(path, suppressions, twins, active_codes)


def _notices(
    path: str,
    suppressions: list[Suppression],
    twins: dict[str, tuple[tuple[str, ...], bool]],
    active_codes: frozenset[str],
) -> list[Notice]:
    known_bandit = {b for twin, _ in twins.values() for b in twin}
    active_bandit = {b for code in active_codes for b in twins.get(code, ((), False))[0]}
    notices: list[Notice] = []
    for sup in suppressions:
        if sup.kind == "noqa":
            continue  # Ruff reports its own unused `noqa` codes
        if sup.kind == "scrutiny" and sup.bare:
            notices.append(Notice(path, sup.line, "bare-suppression",
                                  "`# scrutiny: ignore` names no rule and silences nothing; "
                                  "write `# scrutiny: ignore[CODE]`"))  # fmt: skip
            continue
        if sup.kind == "nosec" and sup.bare:
            notices.append(Notice(path, sup.line, "bare-suppression",
                                  "bare `# nosec` silences only Bandit-twin findings, never "
                                  "dataflow ones; name the test (`# nosec B602`) or use "
                                  "`# scrutiny: ignore[CODE]`"))  # fmt: skip
            continue
        known = set(twins) if sup.kind == "scrutiny" else known_bandit
        active = set(active_codes) if sup.kind == "scrutiny" else active_bandit
        for code in sorted(sup.codes):
            if code not in known:
                if sup.kind == "scrutiny":
                    notices.append(Notice(path, sup.line, "unknown-code", f"`{code}` is not a scrutiny rule"))
            elif code in active and code not in sup.used:
                message = f"suppression of `{code}` matches no finding on this statement"
                notices.append(Notice(path, sup.line, "unused-suppression", message))
    return notices
