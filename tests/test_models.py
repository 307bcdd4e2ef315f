"""The model files: schema, no duplicates, and stdlib rows that name real APIs and parameters."""

from __future__ import annotations

import importlib
import inspect
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from scrutiny.engine.model import Entry, ModelError, load_file, load_models

MODELS = load_models()


def _stdlib(entry: Entry) -> bool:
    return entry.name.split(".", 1)[0] in sys.stdlib_module_names or entry.name.startswith("builtins.")


def _resolve(name: str) -> Any:
    """Import the longest importable module prefix, then walk attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            with warnings.catch_warnings():  # crypt, telnetlib...: deprecated, still modelled
                warnings.simplefilter("ignore", DeprecationWarning)
                obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(name)


STDLIB = [e for e in MODELS.entries if _stdlib(e)]


def test_models_load_and_cover_every_section() -> None:
    sections = {e.section for e in MODELS.entries}
    assert {"sink", "api"} <= sections
    assert len(MODELS.entries) > 50


@pytest.mark.parametrize("entry", STDLIB, ids=lambda e: f"{e.origin}:{e.name}:{e.kind}")
def test_stdlib_entries_exist_with_their_parameters(entry: Entry) -> None:
    if entry.get("removed") or (entry.get("platform") and not sys.platform.startswith(entry.get("platform"))):
        pytest.skip(f"{entry.name} is not in this Python on this platform")
    try:
        obj = _resolve(entry.name)
    except (ImportError, AttributeError):
        pytest.fail(f"{entry.origin}: {entry.name} does not exist (mark it `removed` or `platform`)")
    if not (entry.args or entry.kwargs) or not callable(obj):
        return
    try:
        params = inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return  # some C functions have no signature; nothing to check against
    keywordable = {
        n for n, p in params.items() if p.kind not in (p.POSITIONAL_ONLY, p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in params.values())
    for kw in entry.kwargs:
        assert kw in keywordable or takes_kwargs, (
            f"{entry.origin}: {entry.name} has no keyword parameter {kw!r}"
        )
    positional = [p for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = any(p.kind is p.VAR_POSITIONAL for p in params.values())
    for pos in entry.args:
        assert pos < len(positional) or varargs, (
            f"{entry.origin}: {entry.name} has no positional argument {pos}"
        )


def test_unknown_kind_names_file_and_row(tmp_path: Path) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text(
        '[[sink]]\nname = "a.b"\nkind = "command-injection"\n\n[[sink]]\nname = "c.d"\nkind = "nope"\n'
    )
    with pytest.raises(ModelError, match=r"mine.toml: \[\[sink\]\] #2 \(c.d\): unknown kind 'nope'"):
        load_file(bad, MODELS.kinds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[sink]]\nkind = "xss"\n', "missing `name`"),
        ('[[sink]]\nname = "a"\nkind = "xss"\nargs = ["x"]\n', "`args` must be"),
        ('[[sink]]\nname = "a"\nkind = "xss"\nkwargs = [1]\n', "`kwargs` must be"),
        ('[[sinks]]\nname = "a"\nkind = "xss"\n', "unknown section"),
        ("[[sink]\n", "mine.toml"),
    ],
)
def test_schema_errors(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text(text)
    with pytest.raises(ModelError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_file(bad, MODELS.kinds)


def test_user_models_extend_and_duplicates_are_rejected(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[[sink]]\nname = "myapp.shell.run"\nkind = "command-injection"\nargs = [0]\nshell = "always"\n'
    )
    models = load_models([str(mine)])
    entry = models.lookup("sink", "myapp.shell.run", "command-injection")
    assert entry is not None
    assert entry.get("shell") == "always"
    dup = tmp_path / "dup.toml"
    dup.write_text('[[sink]]\nname = "builtins.eval"\nkind = "code-injection"\n')
    with pytest.raises(ModelError, match="duplicates a row of"):
        load_models([str(dup)])
