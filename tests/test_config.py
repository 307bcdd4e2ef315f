"""Settings from `[tool.scrutiny]`: finding the pyproject, converting values, merging CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scrutiny.config import ConfigError, Settings, find_pyproject, from_table, load
from scrutiny.findings import Confidence, Severity

WITH_TABLE = "[tool.scrutiny]\nselect = ['SCR101']\n"
WITHOUT_TABLE = "[project]\nname = 'p'\n\n[tool.ruff]\nline-length = 100\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- find_pyproject ---------------------------------------------------------------------------


def test_find_walks_up_from_a_file(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", WITH_TABLE)
    target = write(tmp_path / "a" / "b" / "c.py", "")
    assert find_pyproject(str(target)) == config.resolve()


def test_find_walks_up_from_a_directory(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", WITH_TABLE)
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_pyproject(str(tmp_path / "a" / "b")) == config.resolve()


def test_find_skips_pyproject_without_scrutiny_table(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", WITH_TABLE)
    write(tmp_path / "inner" / "pyproject.toml", WITHOUT_TABLE)
    target = write(tmp_path / "inner" / "pkg" / "m.py", "")
    assert find_pyproject(str(target)) == outer.resolve()


def test_find_prefers_the_nearest(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", WITH_TABLE)
    inner = write(tmp_path / "inner" / "pyproject.toml", WITH_TABLE)
    assert find_pyproject(str(tmp_path / "inner")) == inner.resolve()


def test_find_skips_unparsable_pyproject(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", WITH_TABLE)
    write(tmp_path / "inner" / "pyproject.toml", "[tool.scrutiny\nbroken")
    assert find_pyproject(str(tmp_path / "inner")) == outer.resolve()


def test_find_from_a_path_that_does_not_exist_uses_its_parent(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", WITH_TABLE)
    assert find_pyproject(str(tmp_path / "missing.py")) == config.resolve()


def test_find_relative_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write(tmp_path / "pyproject.toml", WITH_TABLE)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert find_pyproject(".") == config.resolve()


def test_find_nothing(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", WITHOUT_TABLE)
    # Assumes no directory above pytest's tmp_path holds a pyproject with [tool.scrutiny].
    assert find_pyproject(str(tmp_path)) is None


def test_find_skips_pyproject_whose_tool_is_not_a_table(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", WITH_TABLE)
    write(tmp_path / "inner" / "pyproject.toml", "tool = 1\n")
    assert find_pyproject(str(tmp_path / "inner")) == outer.resolve()


# --- load and from_table ----------------------------------------------------------------------


def test_load_full_table(tmp_path: Path) -> None:
    config = write(
        tmp_path / "pyproject.toml",
        """
[tool.scrutiny]
select = ["SCR101", "SCR2"]
ignore = "SCR102"
preview = true
min-severity = "medium"
min_confidence = "HIGH"
exclude = ["build", "*.pyw"]
respect-gitignore = false
jobs = 3
max-file-bytes = 1000
tests = "skip"
models = ["models/extra.toml", "/abs/other.toml"]
""",
    )
    settings = load(config)
    assert settings == Settings(
        select=("SCR101", "SCR2"),
        ignore=("SCR102",),
        preview=True,
        min_severity=Severity.MEDIUM,
        min_confidence=Confidence.HIGH,
        exclude=("build", "*.pyw"),
        respect_gitignore=False,
        jobs=3,
        max_file_bytes=1000,
        tests="skip",
        models=(str((tmp_path / "models" / "extra.toml").resolve()), str(Path("/abs/other.toml").resolve())),
    )
    assert settings.config_file == str(config)


def test_models_resolved_relative_to_the_pyproject_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "proj" / "pyproject.toml", "[tool.scrutiny]\nmodels = ['../shared/m.toml']\n")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert load(config).models == (str((tmp_path / "shared" / "m.toml").resolve()),)


def test_empty_table_is_defaults(tmp_path: Path) -> None:
    assert load(write(tmp_path / "pyproject.toml", "[tool.scrutiny]\n")) == Settings()


def test_load_without_table_is_defaults(tmp_path: Path) -> None:
    assert load(write(tmp_path / "pyproject.toml", WITHOUT_TABLE)) == Settings()


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[tool.scrutiny\n", "pyproject.toml"),  # not TOML
        ("[tool]\nscrutiny = 1\n", "must be a table"),
    ],
)
def test_load_errors(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load(write(tmp_path / "pyproject.toml", text))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("select", "SCR101", ("SCR101",)),
        ("select", [], ()),
        ("ignore", ["A", "B"], ("A", "B")),
        ("exclude", "build", ("build",)),
        ("preview", False, False),
        ("respect-gitignore", True, True),
        ("respect_gitignore", False, False),
        ("jobs", 0, 0),
        ("max-file-bytes", 1, 1),
        ("min-severity", "critical", Severity.CRITICAL),
        ("min-severity", " Low ", Severity.LOW),
        ("min-confidence", "medium", Confidence.MEDIUM),
        ("tests", "quiet", "quiet"),
        ("tests", "full", "full"),
        ("tests", "skip", "skip"),
    ],
)
def test_from_table_converts(key: str, value: Any, expected: Any) -> None:
    settings = from_table({key: value}, Path("/p/pyproject.toml"))
    assert getattr(settings, key.replace("-", "_")) == expected


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("select", 1, "`select` must be a list of strings"),
        ("ignore", ["SCR101", 2], "`ignore` must be a list of strings"),
        ("models", {"a": "b"}, "`models` must be a list of strings"),
        ("preview", "yes", "`preview` must be true or false"),
        ("respect-gitignore", 1, "`respect-gitignore` must be true or false"),
        ("jobs", -1, "`jobs` must be an integer of at least"),
        ("jobs", True, "`jobs` must be an integer of at least"),
        ("jobs", 1.5, "`jobs` must be an integer of at least"),
        ("max-file-bytes", "1MB", "`max-file-bytes` must be an integer of at least"),
        ("min-severity", "huge", "unknown severity 'huge'"),
        ("min-severity", 3, "unknown severity '3'"),
        ("min-confidence", "certain", "unknown confidence 'certain'"),
        ("tests", "none", "`tests` must be one of quiet, full, skip"),
        ("tests", True, "`tests` must be one of"),
        ("selct", ["SCR101"], "unknown option `selct`"),
        ("strict", True, "unknown option `strict`"),  # a test-only flag, not a setting
        ("config-file", "x", "unknown option `config-file`"),
    ],
)
def test_from_table_errors(key: str, value: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")) as info:
        from_table({key: value}, Path("/p/pyproject.toml"))
    assert str(info.value).startswith("/p/pyproject.toml: ")


def test_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as info:
        from_table({"nope": 1}, Path("pyproject.toml"))
    assert "min-severity" in str(info.value)
    assert "strict" not in str(info.value)


def test_max_file_bytes_zero_is_rejected() -> None:
    with pytest.raises(ConfigError, match="max-file-bytes"):
        from_table({"max-file-bytes": 0}, Path("pyproject.toml"))


# --- Settings.merged --------------------------------------------------------------------------


def test_merged_ignores_none() -> None:
    base = Settings(select=("SCR101",), min_severity=Severity.HIGH, jobs=2)
    merged = base.merged(select=None, ignore=("SCR102",), min_severity=None, jobs=None, preview=None)
    assert merged == Settings(select=("SCR101",), ignore=("SCR102",), min_severity=Severity.HIGH, jobs=2)


def test_merged_applies_falsy_values_that_are_not_none() -> None:
    base = Settings(select=("SCR101",), preview=True, respect_gitignore=True, jobs=4)
    merged = base.merged(select=(), preview=False, respect_gitignore=False, jobs=0)
    assert merged == Settings(select=(), preview=False, respect_gitignore=False, jobs=0)


def test_merged_returns_a_new_object() -> None:
    base = Settings()
    assert base.merged(jobs=3) is not base
    assert base.jobs == 0


def test_merged_unknown_key_raises() -> None:
    with pytest.raises(TypeError):
        Settings().merged(colour="red")


def test_config_file_does_not_affect_equality() -> None:
    assert Settings(config_file="a") == Settings(config_file="b")
