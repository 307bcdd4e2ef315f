"""The output directory: `NAME.json` and `NAME.sarif` per repository, `NAME.state` once both are
complete, and `summary.json`.

The state file is written last and atomically (a temporary file renamed over it) and records the
SHA-256 of both reports, so a run stopped at any point leaves each repository either complete
or visibly not: a missing, unreadable or mismatching state means "review it again".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from typing import Any

from scrutiny.fleet.summary import Row

_STATE_VERSION = 1
SUMMARY = "summary.json"


def report_path(output_dir: str, name: str, kind: str) -> str:
    return os.path.join(output_dir, f"{name}.{kind}")  # kind: json | sarif | state


def write_atomic(path: str, text: str) -> None:
    """Readers see the old file or the new one, never half of one."""
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; reports are ordinary files
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save(output_dir: str, row: Row, stamp: str, json_report: str, sarif_report: str) -> None:
    """Both reports, then the state that declares them complete."""
    write_atomic(report_path(output_dir, row.name, "json"), json_report)
    write_atomic(report_path(output_dir, row.name, "sarif"), sarif_report)
    state = {
        "version": _STATE_VERSION,
        "stamp": stamp,
        "reports": {"json": _digest(json_report), "sarif": _digest(sarif_report)},
        "row": row.to_dict(),
    }
    write_atomic(report_path(output_dir, row.name, "state"), json.dumps(state, indent=2) + "\n")


def load_complete(output_dir: str, name: str) -> tuple[str, Row] | None:
    """The stamp and row of complete results from an earlier run, or None."""
    try:
        with open(report_path(output_dir, name, "state"), encoding="utf-8") as handle:
            state: Any = json.load(handle)
        if not isinstance(state, dict) or state.get("version") != _STATE_VERSION:
            return None
        for kind in ("json", "sarif"):
            with open(report_path(output_dir, name, kind), encoding="utf-8") as handle:
                # Not a secret: a checksum of our own file, so timing reveals nothing.
                if _digest(handle.read()) != state["reports"][kind]:  # scrutiny: ignore[SCR306]
                    return None
        stamp, row = state["stamp"], Row.from_dict(state["row"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (stamp, row) if isinstance(stamp, str) and row.name == name else None


def forget(output_dir: str, name: str) -> None:
    """A repository that failed this time: earlier results must not pass for this run's."""
    for kind in ("state", "json", "sarif"):  # state first: the reports are then incomplete
        with contextlib.suppress(FileNotFoundError):
            os.unlink(report_path(output_dir, name, kind))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
