"""Shared by the benchmarks: pinned OpenStack sdists from PyPI, unpacked once under .bench/."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench" / "corpora"
PINNED = {"neutron": "29.0.0", "nova": "34.0.0"}


def corpus(name: str, version: str | None = None) -> Path:
    """The unpacked source tree of a pinned (or the given) sdist, downloaded from PyPI on first use."""
    version = version or PINNED[name]
    target = BENCH / f"{name}-{version}"
    if target.is_dir():
        return target
    BENCH.mkdir(parents=True, exist_ok=True)
    archive = BENCH / f"{name}-{version}.tar.gz"
    if not archive.exists():
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
               "-d", str(BENCH), f"{name}=={version}"]  # fmt: skip
        subprocess.run(cmd, check=True)
    with tarfile.open(archive) as sdist:
        sdist.extractall(BENCH, filter="data")
    return target


def compile_scrutiny() -> None:
    """Write scrutiny's bytecode, as `pip install` does (Bandit and Ruff are timed installed):
    an editable checkout run with PYTHONDONTWRITEBYTECODE would otherwise compile every module
    on every start, a quarter of a second that is no part of a review."""
    import scrutiny  # here: the package the children will import, found as they will find it

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(scrutiny.__file__).parent)], check=True
    )
