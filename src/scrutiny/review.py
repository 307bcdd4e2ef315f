"""A run's outcome: the verdict, the findings, per-file errors and notices, and stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from scrutiny.config import Settings
from scrutiny.findings import FileError, FileResult, Finding, Notice, Observation, Severity

CLEAN_VERDICT = "No security defects are detected in the code."
CLEAN_CHANGE_VERDICT = "No security defects are detected in the change."
NO_PYTHON_CHANGED = "No Python file changed."
NOTHING_REVIEWED = "No Python file was reviewed, so no verdict can be given."
STAGE_STATES = ("complete", "partial", "failed")


@dataclass(frozen=True, slots=True)
class StageNote:
    """Something an optional stage reports: a dropped or moved finding, an unknown CWE, a
    prompt-injection attempt, a request that failed. `line` is None when it concerns a file."""

    path: str
    line: int | None
    kind: str
    message: str


@dataclass(slots=True)
class StageStatus:
    """How far an optional stage (the LLM review) got: fail closed, so anything short of
    `complete` keeps the verdict from being clean."""

    name: str
    state: str  # complete | partial | failed
    covered: list[str] = field(default_factory=list)  # files the stage reviewed in full
    not_covered: list[str] = field(default_factory=list)
    notes: list[StageNote] = field(default_factory=list)
    requests: int = 0  # requests sent to the model
    cached: int = 0  # answers taken from the cache
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0  # estimated, in the currency of the configured prices

    @property
    def complete(self) -> bool:
        return self.state == "complete"

    @property
    def state_phrase(self) -> str:
        return "was partial" if self.state == "partial" else "failed"


@dataclass(slots=True)
class Stats:
    files: int = 0  # files reviewed
    lines: int = 0
    test_files: int = 0
    errors: int = 0  # files that could not be reviewed
    rules: int = 0  # rules in force
    test_profile: str = "quiet"  # how test files were reviewed: quiet | full | skip
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """What a change review compared, for the reports (see diff.py and change.py)."""

    description: str
    root: str  # absolute: the repository's top level; Gerrit paths are relative to it
    files: tuple[str, ...] = ()  # changed Python files as the run named them (finding paths)
    deleted: tuple[str, ...] = ()  # deleted files, relative to root
    other: int = 0  # changed files that are not Python
    notes: tuple[str, ...] = ()
    base: str | None = None
    head: str | None = None
    repository: str | None = None
    python: int = 0  # Python files added, edited or renamed


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    fingerprint: str  # rule + enclosing scope + normalized code (baseline.fingerprint)
    rule: str
    path: str  # relative to the baseline file's folder, '/'-separated
    count: int


@dataclass(frozen=True, slots=True)
class BaselineSummary:
    path: str
    matched: int  # findings accepted by the baseline, left out of the report
    stale: tuple[BaselineEntry, ...]  # entries (count: how many copies) no longer found


@dataclass(slots=True)
class Review:
    findings: list[Finding]  # reported: at or above the thresholds, suppressed ones included
    errors: list[FileError]
    notices: list[Notice]
    stats: Stats
    files: list[str] = field(default_factory=list)  # every path the run looked at, sorted
    rule_codes: list[str] = field(default_factory=list)
    stages: list[StageStatus] = field(default_factory=list)  # optional stages run after the rules
    # A change review: `findings` are the change's, `preexisting` those in touched functions.
    preexisting: list[Finding] = field(default_factory=list)
    change: ChangeSummary | None = None
    baseline: BaselineSummary | None = None
    observations: dict[str, tuple[Observation, ...]] = field(default_factory=dict)  # path -> narrative

    @property
    def active(self) -> list[Finding]:
        """Findings not silenced by a suppression: what the verdict and exit code count."""
        return [f for f in self.findings if f.suppressed is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is not None]

    @property
    def incomplete(self) -> list[StageStatus]:
        """Enabled stages that did not finish: the review cannot be called clean."""
        return [s for s in self.stages if not s.complete]

    @property
    def clean(self) -> bool:
        """No unsuppressed finding, at least one file reviewed, and every stage finished."""
        return not self.active and self.stats.files > 0 and not self.incomplete

    def by_severity(self) -> dict[Severity, int]:
        counts = Counter(f.severity for f in self.active)
        return {sev: counts[sev] for sev in sorted(Severity, reverse=True) if counts[sev]}

    @property
    def verdict(self) -> str:
        if self.change is not None and self.change.python == 0:
            return CLEAN_CHANGE_VERDICT
        if self.stats.files == 0:
            return NOTHING_REVIEWED
        if self.clean:
            return CLEAN_VERDICT if self.change is None else CLEAN_CHANGE_VERDICT
        if not self.active:  # no finding, but a stage did not finish: never "clean"
            names = ", ".join(f"the {s.name} stage {s.state_phrase}" for s in self.incomplete)
            return f"No verdict can be given: {names}; the rules found no security defect."
        return verdict_for(self.active, "code" if self.change is None else "change")

    def findings_for(self, path: str) -> list[Finding]:
        return [f for f in self.findings if f.path == path]


def verdict_for(findings: Sequence[Finding], what: str) -> str:
    """`3 security defects are detected in the code: 1 high, 2 medium.`"""
    if not findings:
        return f"No security defects are detected in the {what}."
    counts = Counter(f.severity for f in findings)
    parts = ", ".join(f"{counts[s]} {s.value}" for s in sorted(Severity, reverse=True) if counts[s])
    noun = "defect is" if len(findings) == 1 else "defects are"
    return f"{len(findings)} security {noun} detected in the {what}: {parts}."


def assemble(
    results: Sequence[FileResult], settings: Settings, rule_codes: Sequence[str], seconds: float
) -> Review:
    findings: list[Finding] = []
    errors: list[FileError] = []
    notices: list[Notice] = []
    stats = Stats(rules=len(rule_codes), seconds=seconds, test_profile=settings.tests)
    for result in results:
        errors.extend(result.errors)
        notices.extend(result.notices)
        if result.reviewed:
            stats.files += 1
            stats.lines += result.lines
            stats.test_files += result.is_test
        else:
            stats.errors += 1
        findings.extend(
            f for f in result.findings
            if f.severity >= settings.min_severity and f.confidence >= settings.min_confidence
        )  # fmt: skip
    findings.sort(key=Finding.sort_key)
    errors.sort(key=FileError.sort_key)
    notices.sort(key=lambda n: (n.path, n.line, n.kind, n.message))
    files = sorted(r.path for r in results)
    observed = {r.path: r.observations for r in results if r.observations}
    return Review(findings, errors, notices, stats, files, sorted(rule_codes), observations=observed)


def exit_code(review: Review) -> int:
    """0 clean, 1 findings (or files or a stage not fully reviewed), 2 nothing reviewed.

    A change review counts the change only; a change with no Python file in it is clean.
    """
    if review.change is not None and review.change.python == 0:
        return 0
    if review.stats.files == 0:
        return 2
    if review.active or review.errors or review.incomplete:
        return 1
    return 0
