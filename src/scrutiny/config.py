"""Settings for a run: `[tool.scrutiny]` in the nearest pyproject.toml, then CLI flags.

The pyproject is found by walking up from the first reviewed path, as Ruff and Black do, so
running scrutiny from anywhere gives the project's own configuration.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from scrutiny.findings import Confidence, Severity

TEST_PROFILES = ("quiet", "full", "skip")
OBSERVATION_MODES = ("auto", "always", "never")
OBSERVE_AT_MOST = 20  # `auto`: the narrative is computed when a run reviews at most this many files


class ConfigError(ValueError):
    """A setting scrutiny cannot use; the CLI reports it and exits 2."""


@dataclass(frozen=True, slots=True)
class Settings:
    select: tuple[str, ...] = ()  # codes, code prefixes or rule names; empty: the default set
    ignore: tuple[str, ...] = ()
    preview: bool = False  # also run rules still in preview
    min_severity: Severity = Severity.LOW
    min_confidence: Confidence = Confidence.LOW
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    jobs: int = 0  # 0: all cores
    max_file_bytes: int = 4 * 1024 * 1024
    tests: str = "quiet"  # how test code is reviewed: quiet profile, full, or skip
    models: tuple[str, ...] = ()  # extra model files, absolute paths once loaded
    strict: bool = False  # re-raise rule errors (for tests)
    cache: bool = True  # reuse results of unchanged files (cache.py)
    cache_dir: str | None = None  # default: .scrutiny_cache beside pyproject.toml, or here
    observations: str = "auto"  # the review narrative: auto (small runs) | always | never
    config_file: str | None = field(default=None, compare=False)

    def merged(self, **overrides: Any) -> Settings:
        """These settings with every override that is not None applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def find_pyproject(start: str) -> Path | None:
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            tool = data.get("tool")
            if isinstance(tool, dict) and "scrutiny" in tool:
                return candidate
    return None


def load(path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    tool = data.get("tool", {})
    table = tool.get("scrutiny", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.scrutiny] must be a table")
    return from_table(table, path)


def from_table(table: dict[str, Any], path: Path) -> Settings:
    known = {f.name.replace("_", "-") for f in fields(Settings)} - {"config-file", "strict"}
    values: dict[str, Any] = {"config_file": str(path)}
    for key, raw in table.items():
        norm = key.replace("_", "-")
        if norm not in known:
            raise ConfigError(
                f"{path}: unknown option `{key}` in [tool.scrutiny] (known: {', '.join(sorted(known))})"
            )
        values[norm.replace("-", "_")] = _convert(norm, raw, path)
    if "cache_dir" in values:
        values["cache_dir"] = str((path.parent / values["cache_dir"]).resolve())
    if "models" in values:
        base = path.parent
        values["models"] = tuple(str((base / m).resolve()) for m in values["models"])
    return Settings(**values)


def _convert(key: str, raw: Any, path: Path) -> Any:
    where = f"{path}: `{key}`"
    if key in ("select", "ignore", "exclude", "models"):
        if isinstance(raw, str):
            raw = [raw]
        if not (isinstance(raw, list) and all(isinstance(x, str) for x in raw)):
            raise ConfigError(f"{where} must be a list of strings")
        return tuple(raw)
    if key in ("preview", "respect-gitignore", "cache"):
        if not isinstance(raw, bool):
            raise ConfigError(f"{where} must be true or false")
        return raw
    if key in ("jobs", "max-file-bytes"):
        least = 0 if key == "jobs" else 1
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < least:
            raise ConfigError(f"{where} must be an integer of at least {least}")
        return raw
    try:
        if key == "min-severity":
            return Severity.parse(str(raw))
        if key == "min-confidence":
            return Confidence.parse(str(raw))
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    if key == "cache-dir":
        if not isinstance(raw, str):
            raise ConfigError(f"{where} must be a string")
        return raw
    if key in ("tests", "observations"):
        allowed = TEST_PROFILES if key == "tests" else OBSERVATION_MODES
        if raw not in allowed:
            raise ConfigError(f"{where} must be one of {', '.join(allowed)}")
        return raw
    raise ConfigError(f"{where}: unsupported")  # pragma: no cover - keys are checked above


def resolve_observations(settings: Settings, files: int) -> Settings:
    """`auto` decided for a run of `files` files, so the cache keys what was computed."""
    if settings.observations != "auto":
        return settings
    return replace(settings, observations="always" if files <= OBSERVE_AT_MOST else "never")


def resolve_jobs(jobs: int) -> int:
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
