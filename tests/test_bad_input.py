"""Bad input never crashes a run and never loses the other files' results."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scrutiny import Settings, review_paths
from scrutiny.engine.context import Context
from scrutiny.findings import Confidence, Severity
from scrutiny.rules.base import Hit, Rule

GOOD = "def f(x):\n    return eval(x)\n"
SETTINGS = Settings(select=("SCR101",), jobs=1)


def _review(
    tmp_path: Path, name: str, content: bytes, settings: Settings = SETTINGS
) -> tuple[dict[str, str], int]:
    (tmp_path / "good.py").write_text(GOOD)
    bad = tmp_path / name
    bad.write_bytes(content)
    review = review_paths([str(tmp_path)], settings)
    # The good file's finding is never lost, whatever the bad file does.
    assert [(Path(f.path).name, f.line) for f in review.findings] == [("good.py", 2)]
    assert review.stats.files == 1
    return {e.kind: e.message for e in review.errors if Path(e.path).name == name}, review.stats.errors


@pytest.mark.parametrize(
    ("content", "kind", "words"),
    [
        (b"x = '\xff\xfe\xfa'\n", "decode", "cannot decode as utf-8"),
        (b"# -*- coding: no-such-codec -*-\nx = 1\n", "decode", "encoding"),
        (b"def f(:\n    pass\n", "syntax", "does not parse as Python 3 at line 1"),
        (b'print "hello"\n', "syntax", "looks like Python 2"),
        (b"except Exception, e:\n", "syntax", "does not parse"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary", "looks binary"),
        (b"x = " + b"1+" * 100_000 + b"1\n", "too-deep", "nests too deeply"),
        (b"x = " + b"(" * 300 + b")" * 300 + b"\n", "syntax", "nested parentheses"),
    ],
    ids=[
        "bad-utf8",
        "unknown-codec",
        "syntax",
        "python2-print",
        "python2-except",
        "binary",
        "deep-binop",
        "deep-parens",
    ],
)
def test_bad_file_is_a_per_file_error(tmp_path: Path, content: bytes, kind: str, words: str) -> None:
    errors, count = _review(tmp_path, "bad.py", content)
    assert kind in errors, errors
    assert words in errors[kind]
    assert count == 1


def test_latin1_with_coding_cookie_is_reviewed(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\neval(name + input())\n")
    review = review_paths([str(path)], SETTINGS)
    assert not review.errors
    assert [f.line for f in review.findings] == [3]
    assert review.findings[0].source_line == "eval(name + input())"


def test_utf8_bom_and_crlf_lines(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfimport os\r\nx = 1\r\neval(os.environ['X'])\r\n")
    review = review_paths([str(path)], SETTINGS)
    assert [f.line for f in review.findings] == [3]


def test_form_feed_does_not_shift_lines(tmp_path: Path) -> None:
    path = tmp_path / "ff.py"
    path.write_bytes(b"x = 1\x0c\ny = 2\n\x0c\neval(input())\n")
    review = review_paths([str(path)], SETTINGS)
    assert [(f.line, f.source_line) for f in review.findings] == [(4, "eval(input())")]


def test_huge_file_is_reported_not_read(tmp_path: Path) -> None:
    settings = Settings(select=("SCR101",), jobs=1, max_file_bytes=1000)
    errors, _ = _review(tmp_path, "huge.py", b"x = 1\n" * 1000, settings)
    assert "over the limit of 1,000" in errors["too-large"]


def test_symlink_loop_and_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    os.symlink(tmp_path / "b.py", tmp_path / "a.py")
    os.symlink(tmp_path / "a.py", tmp_path / "b.py")
    os.symlink(tmp_path / "missing.py", tmp_path / "dangling.py")
    review = review_paths(
        [str(tmp_path / "good.py"), str(tmp_path / "a.py"), str(tmp_path / "dangling.py")], SETTINGS
    )
    kinds = {Path(e.path).name: (e.kind, e.message) for e in review.errors}
    assert kinds["a.py"] == ("unreadable", "symbolic link loop: the path never resolves to a file")
    assert kinds["dangling.py"][0] == "unreadable"
    assert "No such file" in kinds["dangling.py"][1]
    assert len(review.findings) == 1


def test_directory_walk_survives_link_loops(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "good.py").write_text(GOOD)
    os.symlink(tmp_path, tmp_path / "pkg" / "loop")
    review = review_paths([str(tmp_path)], SETTINGS)
    assert len(review.findings) == 1


def test_nothing_reviewable_gives_exit_2(tmp_path: Path) -> None:
    from scrutiny.review import exit_code

    (tmp_path / "bad.py").write_text("def (:\n")
    review = review_paths([str(tmp_path)], SETTINGS)
    assert exit_code(review) == 2


class Exploding(Rule):
    """Checks for nothing; raises on every call, to test isolation."""

    code = "SCR998"
    name = "exploding"
    cwe = 20
    severity = Severity.LOW
    confidence = Confidence.LOW
    nodes = (ast.Call,)
    fix = "Nothing."

    def check(self, node: ast.AST, ctx: Context) -> Iterator[Hit]:
        raise ValueError("boom")


def test_rule_error_is_reported_and_other_rules_continue(tmp_path: Path) -> None:
    from scrutiny.engine.source import Source, load
    from scrutiny.pipeline import review_source
    from scrutiny.rules.injection.eval_used import EvalUsed

    path = tmp_path / "m.py"
    path.write_text("eval(a)\neval(b)\n")
    source = load(str(path))
    assert isinstance(source, Source)
    result = review_source(source, Settings(), rules=[Exploding, EvalUsed])
    assert [f.line for f in result.findings] == [1, 2]
    assert [(e.kind, e.rule, e.line) for e in result.errors] == [("rule-error", "SCR998", 1)]
    assert "ValueError: boom" in result.errors[0].message
    with pytest.raises(ValueError, match="boom"):
        review_source(source, Settings(strict=True), rules=[Exploding])


def test_parallel_run_matches_serial(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"m{i}.py").write_text(GOOD * (i % 3 + 1))
    (tmp_path / "broken.py").write_bytes(b"\x00\x01")
    serial = review_paths([str(tmp_path)], Settings(select=("SCR101",), jobs=1))
    parallel = review_paths([str(tmp_path)], Settings(select=("SCR101",), jobs=2))
    assert serial.findings == parallel.findings
    assert serial.errors == parallel.errors


def test_columns_count_characters_not_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "uni.py"
    path.write_text('x = "héllo wörld"; eval(input())\n', encoding="utf-8")
    (finding,) = review_paths([str(path)], SETTINGS).findings
    assert finding.location.column == 19
    assert finding.snippet == "eval(input())"


def test_quiet_test_code_is_read_not_parsed(tmp_path: Path) -> None:
    """Test code's quiet profile runs text rules only (SCR804), so a test file is not parsed:
    one that does not parse is no error there, its bidi characters are still found, and the
    full profile parses it and reports the syntax error."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    (tests / "test_bidi.py").write_text("x = 'a\u202eb'\n", encoding="utf-8")
    quiet = review_paths([str(tmp_path)], Settings(jobs=1, observations="never"))
    assert quiet.errors == []
    assert quiet.stats.files == quiet.stats.test_files == 2
    assert [(Path(f.path).name, f.code) for f in quiet.findings] == [("test_bidi.py", "SCR804")]
    full = review_paths([str(tmp_path)], Settings(jobs=1, observations="never", tests="full"))
    assert [(Path(e.path).name, e.kind) for e in full.errors] == [("test_broken.py", "syntax")]
