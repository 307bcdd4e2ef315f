"""The data a review is made of: findings, evidence steps, per-file errors.

All frozen dataclasses: reporters and the cache only ever read them, and a finding that
cannot change after a rule made it is one less thing to reason about across processes.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field


class _Ordered(enum.Enum):
    """An enum whose members compare by declaration order (LOW < MEDIUM < HIGH ...)."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank <= other.rank

    @classmethod
    def parse(cls, text: str) -> _Ordered:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(m.name.lower() for m in cls)
            raise ValueError(f"unknown {cls.__name__.lower()} {text!r} (one of: {names})") from None


class Severity(_Ordered):
    """Impact if the finding is real."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Confidence(_Ordered):
    """How often a finding of this shape is a real defect."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based line, 0-based column span, as `ast` reports them."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class EvidenceStep:
    """One step of the path from where data enters to where it does harm."""

    path: str
    line: int
    column: int
    description: str


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    cwe: int
    severity: Severity
    confidence: Confidence
    path: str
    location: Location
    message: str
    fix: str
    source_line: str
    # Fingerprint inputs, kept so the fingerprint is reproducible from the finding alone.
    scope: str = ""
    snippet: str = ""
    evidence: tuple[EvidenceStep, ...] = ()
    suppressed: str | None = None  # the suppression comment's kind, when suppressed
    # Which stage found it: "static" (a rule), "llm" (the optional LLM stage, quote verified) or
    # "static+llm" (a rule's finding the LLM stage agreed with). The LLM never removes a finding.
    source: str = "static"
    opinion: str | None = None  # the LLM stage's remark on it; for llm findings, its reasoning
    moved: bool = False  # llm findings: re-anchored because the model gave a wrong line

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def cwe_id(self) -> str:
        """`CWE-78`; `other` for 0, the value an LLM finding gets when its CWE is unknown."""
        return f"CWE-{self.cwe}" if self.cwe else "other"

    @property
    def fingerprint(self) -> str:
        """Stable across lines moving: rule + normalized code + enclosing function.

        The path is part of it too, so one accepted defect in a file does not hide the same
        code pasted into another file.
        """
        normalized = " ".join(self.snippet.split())
        key = "\x1f".join((self.code, self.path, self.scope, normalized))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.line, self.location.column, self.code)


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be reviewed, or a rule that failed on it; data, never a crash."""

    path: str
    kind: str  # decode | syntax | binary | too-large | too-deep | unreadable | rule-error
    message: str
    line: int | None = None
    rule: str | None = None

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.kind)


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reviewer should know that is not a defect: bare or unused suppressions."""

    path: str
    line: int
    kind: str  # bare-suppression | unused-suppression | unknown-code
    message: str


@dataclass(frozen=True, slots=True)
class Observation:
    """One line of the review narrative: what in a file touches security (observations/)."""

    category: str  # one of observations.CATEGORIES
    lines: tuple[int, ...]  # the lines it rests on, ascending
    text: str


@dataclass(slots=True)
class FileResult:
    """Everything one file's review produced; what workers send back to the parent."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    lines: int = 0
    reviewed: bool = False
    is_test: bool = False
    observations: tuple[Observation, ...] = ()  # the narrative, when computed (observations/)
