"""What the LLM stage accepts: a strict JSON answer whose every quote is found in the file.

A finding whose quote is not in the code the model was shown is dropped; one whose line is wrong
but whose quote appears exactly once nearby is re-anchored and marked `moved`. Each reason for
dropping or changing something becomes a note in the report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from scrutiny import cwe
from scrutiny.findings import Confidence, EvidenceStep, Finding, Location, Severity
from scrutiny.llm.client import Completion
from scrutiny.review import StageNote

CODE = "LLM"  # the rule code of LLM findings: they come from no rule
NAME = "llm-review"
NEARBY = 10  # lines: how far a wrong line number may be from the only place its quote appears
MIN_QUOTE = 4  # non-space characters: a shorter quote cannot anchor anything
_GUTTER = re.compile(r"^\s*\d+\s*\|\s?")
_CWE = re.compile(r"^\s*(?:CWE[-_ ]?)?(\d{1,5})\s*$", re.IGNORECASE)
_REFUSAL = re.compile(
    r"\b(I'?m sorry|I am sorry|I can(?:no|')t (?:help|assist|comply)|I won'?t|as an AI)\b", re.I
)
_FIELDS = {"cwe": str, "severity": str, "confidence": str, "line": int, "end_line": int, "quote": str,
           "flow": list, "attacker_control": str, "message": str, "fix": str}  # fmt: skip
_STEP = {"type": "object", "additionalProperties": False, "required": ["line", "quote"],
         "properties": {"line": {"type": "integer"}, "quote": {"type": "string"}}}  # fmt: skip
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["findings", "static_opinions"],
    "properties": {
        "findings": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": list(_FIELDS),
            "properties": {
                "cwe": {"type": "string"},
                "severity": {"enum": [s.value for s in Severity]},
                "confidence": {"enum": [c.value for c in Confidence]},
                "line": {"type": "integer"}, "end_line": {"type": "integer"}, "quote": {"type": "string"},
                "flow": {"type": "array", "items": _STEP},
                "attacker_control": {"type": "string"}, "message": {"type": "string"},
                "fix": {"type": "string"},
            },
        }},
        "static_opinions": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "verdict", "reason"],
            "properties": {"id": {"type": "string"}, "verdict": {"enum": ["agree", "disagree"]},
                           "reason": {"type": "string"}},
        }},
    },
}  # fmt: skip


class AnswerError(Exception):
    """An answer that cannot be used: kind is refused, truncated or unparseable."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def parse(completion: Completion) -> dict[str, Any]:
    if completion.refusal:
        raise AnswerError("refused", f"the model refused: {_short(completion.refusal)}")
    data = extract(completion.content)
    if data is None:
        if completion.finish_reason == "length":
            raise AnswerError("truncated", "the answer was cut off at the token limit")
        if _REFUSAL.search(completion.content):
            raise AnswerError("refused", f"the model refused: {_short(completion.content)}")
        raise AnswerError("unparseable", f"no JSON object in the answer: {_short(completion.content)}")
    if not isinstance(data.get("findings"), list):
        raise AnswerError("unparseable", "the answer has no `findings` list")
    opinions = data.get("static_opinions", [])
    if not isinstance(opinions, list):
        raise AnswerError("unparseable", "`static_opinions` is not a list")
    return data


def extract(text: str) -> dict[str, Any] | None:
    """The answer's JSON object: the whole text, a fenced block, or the first object in prose."""
    candidates = [text.strip()]
    candidates += re.findall(r"```(?:json)?\s*\n(.*?)```", text, re.DOTALL)
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    decoder = json.JSONDecoder()
    for match in list(re.finditer(r"\{", text))[:50]:  # bounded: prose may hold many braces
        try:
            data, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(data, dict) and "findings" in data:
            return data
    return None


def _short(text: str) -> str:
    return " ".join(text.split())[:160]


@dataclass(slots=True)
class Checked:
    findings: list[Finding] = field(default_factory=list)
    opinions: dict[str, tuple[str, str]] = field(default_factory=dict)  # static id -> (verdict, reason)
    notes: list[StageNote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Anchor:
    line: int
    end_line: int
    column: int
    end_column: int
    moved: bool


class Verifier:
    """Checks an answer about `visible` lines of `path` against the file's real text."""

    def __init__(self, path: str, lines: list[str], visible: tuple[int, ...]) -> None:
        self.path = path
        self.lines = lines
        self.visible = set(visible)
        self.order = visible

    def check(self, data: dict[str, Any], static_ids: set[str]) -> Checked:
        out = Checked()
        for item in data["findings"]:
            finding = self._finding(item, out.notes)
            if finding is not None:
                out.findings.append(finding)
        for item in data.get("static_opinions", []):
            if not (isinstance(item, dict) and item.get("verdict") in ("agree", "disagree")):
                continue
            if item.get("id") in static_ids:
                out.opinions[str(item["id"])] = (str(item["verdict"]), str(item.get("reason", "")))
            else:
                out.notes.append(
                    self._note(None, "unknown-static-id", f"opinion on unknown `{item.get('id')}`")
                )
        return out

    def _note(self, line: int | None, kind: str, message: str) -> StageNote:
        return StageNote(self.path, line, kind, message)

    def _finding(self, item: Any, notes: list[StageNote]) -> Finding | None:
        if not isinstance(item, dict) or any(not isinstance(item.get(k), t) for k, t in _FIELDS.items()):
            notes.append(
                self._note(
                    None, "malformed-finding", f"dropped a finding without the fields: {_short(str(item))}"
                )
            )
            return None
        line = int(item["line"])
        named = item.get("file", item.get("path"))
        if isinstance(named, str) and named.replace("\\", "/").lstrip("./") != self.path.replace(
            "\\", "/"
        ).lstrip("./"):
            notes.append(
                self._note(line, "invented-file", f"dropped a finding about another file, `{_short(named)}`")
            )
            return None
        try:
            severity = Severity(Severity.parse(item["severity"]).value)
            confidence = min(Confidence(Confidence.parse(item["confidence"]).value), Confidence.MEDIUM)
        except ValueError as exc:
            notes.append(self._note(line, "malformed-finding", f"dropped a finding: {exc}"))
            return None
        anchor = self.locate(str(item["quote"]), line, int(item["end_line"]))
        if anchor is None:
            notes.append(
                self._note(
                    line,
                    "quote-not-found",
                    f"dropped a finding whose quote is not in the code: `{_short(item['quote'])}`",
                )
            )
            return None
        if anchor.moved:
            notes.append(
                self._note(
                    anchor.line,
                    "moved",
                    f"re-anchored a finding from line {line} to line {anchor.line}, where its quote is",
                )
            )
        return Finding(
            code=CODE, name=NAME, cwe=self._cwe(str(item["cwe"]), anchor.line, notes),
            severity=severity, confidence=confidence, path=self.path,
            location=Location(anchor.line, anchor.column, anchor.end_line, anchor.end_column),
            message=_sentence(str(item["message"])), fix=_sentence(str(item["fix"])),
            source_line=self.lines[anchor.line - 1], snippet=" ".join(str(item["quote"]).split()),
            evidence=self._flow(item["flow"], notes), source="llm",
            opinion=f"Why the input is attacker-controlled: {_sentence(str(item['attacker_control']))}",
            moved=anchor.moved,
        )  # fmt: skip

    def _cwe(self, text: str, line: int, notes: list[StageNote]) -> int:
        match = _CWE.match(text)
        number = int(match.group(1)) if match else 0
        if number not in cwe.CWE_NAMES:
            notes.append(
                self._note(
                    line, "unknown-cwe", f"the model's CWE `{_short(text)}` is not known; reported as `other`"
                )
            )
            return 0
        return number

    def _flow(self, steps: list[Any], notes: list[StageNote]) -> tuple[EvidenceStep, ...]:
        out = []
        for step in steps:
            if not (
                isinstance(step, dict)
                and isinstance(step.get("line"), int)
                and isinstance(step.get("quote"), str)
            ):
                continue
            anchor = self.locate(step["quote"], step["line"], step["line"])
            if anchor is None:
                notes.append(
                    self._note(
                        step["line"],
                        "quote-not-found",
                        f"dropped a flow step whose quote is not in the code: `{_short(step['quote'])}`",
                    )
                )
                continue
            out.append(
                EvidenceStep(self.path, anchor.line, anchor.column, f"`{' '.join(step['quote'].split())}`")
            )
        return tuple(out)

    def locate(self, quote: str, line: int, end_line: int) -> Anchor | None:
        wanted = [_GUTTER.sub("", q).strip() for q in quote.strip("\n").splitlines()]
        wanted = [q for q in wanted if q]
        if not wanted or sum(len(q.replace(" ", "")) for q in wanted) < MIN_QUOTE:
            return None
        starts = [n for n in self.order if self._matches(wanted, n)]
        exact = [n for n in starts if line <= n <= max(line, end_line)]
        if exact:
            return self._anchor(wanted, exact[0], moved=False)
        near = [n for n in starts if abs(n - line) <= NEARBY]
        if len(near) == 1:
            return self._anchor(wanted, near[0], moved=True)
        return None  # nowhere, or more than one place: no anchor can be trusted

    def _matches(self, wanted: list[str], start: int) -> bool:
        for offset, text in enumerate(wanted):
            n = start + offset
            if n not in self.visible or text not in self.lines[n - 1]:
                return False
        return True

    def _anchor(self, wanted: list[str], start: int, moved: bool) -> Anchor:
        end = start + len(wanted) - 1
        column = self.lines[start - 1].find(wanted[0])
        end_column = self.lines[end - 1].find(wanted[-1]) + len(wanted[-1])
        return Anchor(start, end, column, end_column, moved)


def _sentence(text: str) -> str:
    """One line, no trailing full stop (reporters add it), bounded."""
    return " ".join(text.split())[:500].rstrip(".")
