"""Bandit parity: run Bandit 1.9.4 and scrutiny on Bandit's own `examples/` and compare.

    python benchmarks/compare_bandit.py [--write docs/bandit-parity.md]

Installs Bandit into its own virtualenv under `.bench/` (from PyPI), downloads the Bandit sdist
for its examples, runs both tools, and prints per Bandit test id how many of Bandit's findings
scrutiny reports as the same defect on the same line, how many it reports under another rule on
that line, and how many it does not report, with the reason for every deliberate difference
(from `benchmarks/bandit_differences.toml`). scrutiny is the one installed beside this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tomllib
import venv
from collections import defaultdict
from pathlib import Path
from typing import Any

BANDIT_VERSION = "1.9.4"
ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench" / "bandit"
REASONS = Path(__file__).with_name("bandit_differences.toml")


def _run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)


def prepare() -> tuple[Path, Path]:
    """The Bandit executable and the examples directory, fetched once into .bench/."""
    WORK.mkdir(parents=True, exist_ok=True)
    env_dir = WORK / "venv"
    bandit = env_dir / "bin" / "bandit"
    if not bandit.exists():
        venv.create(env_dir, with_pip=True)
        pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", f"bandit=={BANDIT_VERSION}"]
        subprocess.run(pip, check=True)
    examples = WORK / f"bandit-{BANDIT_VERSION}" / "examples"
    if not examples.is_dir():
        download = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                    "-d", str(WORK), f"bandit=={BANDIT_VERSION}"]  # fmt: skip
        subprocess.run(download, check=True)
        with tarfile.open(WORK / f"bandit-{BANDIT_VERSION}.tar.gz") as sdist:
            members = [m for m in sdist.getmembers() if "/examples/" in m.name]
            sdist.extractall(WORK, members=members, filter="data")
    return bandit, examples


def run_bandit(bandit: Path, examples: Path) -> list[dict[str, Any]]:
    out = _run([str(bandit), "-r", "-f", "json", "-q", "."], cwd=examples)
    results: list[dict[str, Any]] = json.loads(out.stdout)["results"]
    return results


def run_scrutiny(examples: Path) -> list[dict[str, Any]]:
    # --preview: parity is about what scrutiny can detect, including rules not on by default.
    cmd = [sys.executable, "-m", "scrutiny", "review", "--isolated", "--preview", "--format", "json"]
    cmd += ["--tests", "full", "."]
    out = _run(cmd, cwd=examples)
    findings: list[dict[str, Any]] = json.loads(out.stdout)["findings"]
    return findings


def rule_twins() -> dict[str, dict[str, Any]]:
    out = _run([sys.executable, "-m", "scrutiny", "rules", "--format", "json"])
    return {row["code"]: row for row in json.loads(out.stdout)}


def compare(
    bandit: list[dict[str, Any]], ours: list[dict[str, Any]], rules: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    # Bandit reports a multi-line call on the line of the offending argument, scrutiny on the
    # call's first line: a finding covers every line of its span.
    at: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for f in ours:
        for line in range(f["line"], f["end_line"] + 1):
            at[(os.path.normpath(f["path"]), line)].append(f)
    per_test: dict[str, dict[str, Any]] = {}
    matched: set[int] = set()
    for b in sorted(bandit, key=lambda r: (r["test_id"], r["filename"], r["line_number"])):
        fresh = {"name": b["test_name"], "bandit": 0, "same": 0, "other": 0, "missed": [],
                 "bandit_cwe": b["issue_cwe"]["id"], "ours": set()}  # fmt: skip
        row = per_test.setdefault(b["test_id"], fresh)
        row["bandit"] += 1
        here = at.get((os.path.normpath(b["filename"]), b["line_number"]), [])
        twins = [f for f in here if b["test_id"] in rules[f["rule"]]["bandit"]]
        if twins:
            row["same"] += 1
            row["ours"].update(f"{f['rule']} ({f['cwe']})" for f in twins)
            matched.update(id(f) for f in twins)
        elif here:
            row["other"] += 1
            row["ours"].update(f"{f['rule']} ({f['cwe']})" for f in here)
            matched.update(id(f) for f in here)
        else:
            row["missed"].append(f"{b['filename'].removeprefix('./')}:{b['line_number']}")
    # Lines both tools were told to skip (`# nosec`) are not "extra": scrutiny keeps them, marked.
    extra = [f for f in ours if id(f) not in matched and f["suppressed"] is None]
    return {"tests": per_test, "extra": extra}


def render(result: dict[str, Any], reasons: dict[str, str], totals: tuple[int, int]) -> str:
    rows = result["tests"].values()
    same, other = sum(r["same"] for r in rows), sum(r["other"] for r in rows)
    missed = sum(len(r["missed"]) for r in rows)
    lines = [
        f"# Bandit parity: scrutiny vs Bandit {BANDIT_VERSION} on Bandit's `examples/`",
        "",
        "Generated by `python benchmarks/compare_bandit.py --write docs/bandit-parity.md`; both tools ran",
        "in the same run on the same files (scrutiny with `--preview`, so rules still in preview count).",
        "*same*: scrutiny reports the same defect (the rule that is the Bandit test's twin) on the same",
        "line; *other*: scrutiny reports another rule on that line;",
        "*not reported*: deliberately dropped or missed, with the reason.",
        "",
        f"Bandit findings: {totals[0]}; scrutiny findings: {totals[1]}. Of Bandit's findings, scrutiny "
        f"reports {same} as the same defect on the same line, {other} under another rule on that line, "
        f"and {missed} not at all (each test's reason below).",
        "",
        "| Bandit test | Bandit CWE | Bandit | same | other | not reported | scrutiny rule (CWE) "
        "| reason for differences |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for test_id, row in sorted(result["tests"].items()):
        reason = reasons.get(test_id, "")
        if row["missed"] and not reason:
            reason = "**missed** (no reason recorded)"
        ours = ", ".join(sorted(row["ours"])) or "—"
        lines.append(
            f"| {test_id} {row['name']} | CWE-{row['bandit_cwe']} | {row['bandit']} | {row['same']} "
            f"| {row['other']} | {len(row['missed'])} | {ours} | {reason} |"
        )
    lines += ["", "## Lines Bandit reports that scrutiny does not", ""]
    for test_id, row in sorted(result["tests"].items()):
        if row["missed"]:
            lines.append(f"- {test_id}: {', '.join(row['missed'])}")
    by_rule: dict[str, int] = defaultdict(int)
    for f in result["extra"]:
        by_rule[f"{f['rule']} {f['name']}"] += 1
    lines += [
        "",
        "## Findings scrutiny reports where Bandit reports nothing on the line",
        "",
        "Findings silenced by `# nosec` in the examples are left out: both tools honour them.",
        "",
    ]
    lines += [f"- {rule}: {count}" for rule, count in sorted(by_rule.items())] or ["- none"]
    if reasons.get("extra"):
        lines += ["", reasons["extra"]]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write", type=Path, help="also write the Markdown table to this file")
    args = parser.parse_args()
    bandit, examples = prepare()
    theirs, ours = run_bandit(bandit, examples), run_scrutiny(examples)
    reasons = tomllib.loads(REASONS.read_text(encoding="utf-8")) if REASONS.exists() else {}
    result = compare(theirs, ours, rule_twins())
    report = render(result, {k: str(v) for k, v in reasons.items()}, (len(theirs), len(ours)))
    print(report)
    if args.write:
        args.write.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
