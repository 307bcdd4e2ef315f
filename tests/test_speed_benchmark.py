"""The speed benchmark in its reduced mode, so the script cannot rot (figures are not judged)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_reduced_speed_benchmark_prints_every_row_and_target(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for path in sorted((ROOT / "src" / "scrutiny").rglob("*.py"))[:24]:
        copy = corpus / path.relative_to(ROOT / "src")
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    before = {p: p.read_bytes() for p in corpus.rglob("*.py")}
    page = tmp_path / "performance.md"
    page.write_text("# Performance\n\n<!-- speed:start -->\nSTALE TABLE\n<!-- speed:end -->\n\nAfter.\n")
    cmd = [sys.executable, "benchmarks/speed.py", "--corpus", str(corpus), "--runs", "1", "--no-tools"]
    cmd += ["--write", str(page)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    rows = dict(re.findall(r"^\| ([a-z -]+) \| ([\d.]+) \|", done.stdout, re.M))
    for label in ("floor", "one job", "all cores", "warm", "one file edited", "start-up"):
        assert float(rows[label]) > 0, label
    assert "(24 files," in done.stdout
    targets = re.findall(r"^\| (.+?) \| [\d.]+ \| ([<>]=) [\d.]+ \| (yes|\*\*no\*\*) \|$", done.stdout, re.M)
    assert len(targets) == 6
    text = page.read_text()
    assert "STALE TABLE" not in text and text.endswith("After.\n") and "| warm |" in text
    assert {p: p.read_bytes() for p in corpus.rglob("*.py")} == before  # the edited file is restored
