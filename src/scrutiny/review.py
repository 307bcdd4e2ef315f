"""A run's outcome: the verdict, the findings, per-file errors and notices, and stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from scrutiny.config import Settings
from scrutiny.findings import FileError, FileResult, Finding, Notice, Severity

CLEAN_VERDICT = "No security defects are detected in the code."
NOTHING_REVIEWED = "No Python file was reviewed, so no verdict can be given."


@dataclass(slots=True)
class Stats:
    files: int = 0  # files reviewed
    lines: int = 0
    test_files: int = 0
    errors: int = 0  # files that could not be reviewed
    rules: int = 0  # rules in force
    test_profile: str = "quiet"  # how test files were reviewed: quiet | full | skip
    seconds: float = 0.0


@dataclass(slots=True)
class Review:
    findings: list[Finding]  # reported: at or above the thresholds, suppressed ones included
    errors: list[FileError]
    notices: list[Notice]
    stats: Stats
    files: list[str] = field(default_factory=list)  # every path the run looked at, sorted
    rule_codes: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[Finding]:
        """Findings not silenced by a suppression: what the verdict and exit code count."""
        return [f for f in self.findings if f.suppressed is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is not None]

    @property
    def clean(self) -> bool:
        """No unsuppressed finding, and at least one file was actually reviewed."""
        return not self.active and self.stats.files > 0

    def by_severity(self) -> dict[Severity, int]:
        counts = Counter(f.severity for f in self.active)
        return {sev: counts[sev] for sev in sorted(Severity, reverse=True) if counts[sev]}

    @property
    def verdict(self) -> str:
        if self.stats.files == 0:
            return NOTHING_REVIEWED
        if self.clean:
            return CLEAN_VERDICT
        return verdict_for(self.active, "code")

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
    return Review(findings, errors, notices, stats, files, sorted(rule_codes))


def exit_code(review: Review) -> int:
    """0 clean, 1 findings (or files that could not be reviewed), 2 nothing reviewed."""
    if review.stats.files == 0:
        return 2
    if review.active or review.errors:
        return 1
    return 0
