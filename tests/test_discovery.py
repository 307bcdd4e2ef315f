"""Which files a run reviews: suffixes, explicit files, .gitignore, skipped dirs, links, order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scrutiny.discovery import ALWAYS_SKIPPED, discover, is_test_path


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


def found(root: Path, *, exclude: tuple[str, ...] = (), gitignore: bool = True) -> list[str]:
    """The files discovered under `root`, relative to it, with forward slashes."""
    return [os.path.relpath(p, root).replace(os.sep, "/") for p in discover([str(root)], exclude, gitignore)]


def test_only_python_suffixes_inside_directories(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.pyw", "c.pyi", "d.txt", "e.py.bak", "setup.cfg", "pkg/f.py", "noext")
    assert found(tmp_path) == ["a.py", "b.pyw", "pkg/f.py"]


@pytest.mark.parametrize("name", ["script", "tool.txt", "stub.pyi", "a.py"])
def test_explicit_file_of_any_extension_is_kept(tmp_path: Path, name: str) -> None:
    touch(tmp_path, name)
    assert list(discover([str(tmp_path / name)])) == [str(tmp_path / name)]


def test_explicit_missing_file_is_kept_so_the_report_can_say_why(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.py")
    assert list(discover([missing])) == [missing]


def test_explicit_file_is_kept_even_if_gitignored(tmp_path: Path) -> None:
    touch(tmp_path, "gen.py")
    (tmp_path / ".gitignore").write_text("gen.py\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    assert list(discover([str(tmp_path / "gen.py")])) == [str(tmp_path / "gen.py")]


# --- .gitignore -------------------------------------------------------------------------------


def test_gitignore_skips_an_ignored_directory(tmp_path: Path) -> None:
    touch(tmp_path, "app.py", "build/lib/app.py", "build.py")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    assert found(tmp_path) == ["app.py", "build.py"]


def test_gitignore_negation_in_the_same_file(tmp_path: Path) -> None:
    touch(tmp_path, "gen_a.py", "keep.py", "gen_b.py", "main.py")
    (tmp_path / ".gitignore").write_text("*.py\n!keep.py\n!main.py\n", encoding="utf-8")
    assert found(tmp_path) == ["keep.py", "main.py"]


def test_gitignore_comments_and_wildcards(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "gen/x_pb2.py", "deep/er/y_pb2.py", "z.py")
    (tmp_path / ".gitignore").write_text("# generated\n**/*_pb2.py\n/z.py\n", encoding="utf-8")
    assert found(tmp_path) == ["a.py"]


def test_anchored_pattern_only_at_its_own_level(tmp_path: Path) -> None:
    touch(tmp_path, "z.py", "sub/z.py")
    (tmp_path / ".gitignore").write_text("/z.py\n", encoding="utf-8")
    assert found(tmp_path) == ["sub/z.py"]


def test_nested_gitignore_applies_below_its_directory_only(tmp_path: Path) -> None:
    touch(tmp_path, "local.py", "sub/local.py", "sub/deeper/local.py", "sub/other.py", "sibling/local.py")
    (tmp_path / "sub" / ".gitignore").write_text("local.py\n", encoding="utf-8")
    assert found(tmp_path) == ["local.py", "sibling/local.py", "sub/other.py"]


def test_nested_anchored_pattern_is_relative_to_its_gitignore(tmp_path: Path) -> None:
    touch(tmp_path, "x/gen.py", "sub/x/gen.py")
    (tmp_path / "sub" / ".gitignore").write_text("/x/gen.py\n", encoding="utf-8")
    assert found(tmp_path) == ["x/gen.py"]


def test_nested_negation_overrides_a_parent_gitignore(tmp_path: Path) -> None:
    touch(tmp_path, "gen_a.py", "sub/gen_keep.py", "sub/gen_b.py")
    (tmp_path / ".gitignore").write_text("gen_*.py\n", encoding="utf-8")
    (tmp_path / "sub" / ".gitignore").write_text("!gen_keep.py\n", encoding="utf-8")
    # `git check-ignore` agrees: sub/gen_keep.py is not ignored.
    assert found(tmp_path) == ["sub/gen_keep.py"]


def test_repo_root_gitignore_applies_to_a_reviewed_subdirectory(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("gen_*.py\n/pkg/sub/anchored.py\n", encoding="utf-8")
    touch(tmp_path, "pkg/sub/gen_a.py", "pkg/sub/anchored.py", "pkg/sub/ok.py")
    assert found(tmp_path / "pkg" / "sub") == ["ok.py"]


def test_repo_root_gitignore_applies_to_a_relative_subdirectory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("/pkg/gen.py\n", encoding="utf-8")
    touch(tmp_path, "pkg/gen.py", "pkg/ok.py")
    monkeypatch.chdir(tmp_path / "pkg")
    assert list(discover(["."])) == [os.path.join(".", "ok.py")]


def test_gitignore_above_a_directory_without_git_is_not_applied(tmp_path: Path) -> None:
    # No `.git` anywhere up the tree (assumed for pytest's tmp dir): the parent is not a repo root.
    (tmp_path / ".gitignore").write_text("gen_*.py\n", encoding="utf-8")
    touch(tmp_path, "pkg/gen_a.py")
    assert found(tmp_path / "pkg") == ["gen_a.py"]


def test_gitignore_outside_the_repo_is_not_applied(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n", encoding="utf-8")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    touch(tmp_path, "repo/pkg/a.py")
    assert found(tmp_path / "repo" / "pkg") == ["a.py"]


def test_gitignore_of_an_enclosing_repo_does_not_apply_at_a_repo_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.py\n", encoding="utf-8")
    (tmp_path / "src" / "proj" / ".git").mkdir(parents=True)
    touch(tmp_path, "src/proj/app.py")
    # `git -C src/proj check-ignore app.py` says: not ignored (the outer repo's rules stop there).
    assert found(tmp_path / "src" / "proj") == ["app.py"]


def test_no_gitignore_reviews_ignored_files(tmp_path: Path) -> None:
    touch(tmp_path, "app.py", "build/out.py", "gen.py")
    (tmp_path / ".gitignore").write_text("build/\ngen.py\n", encoding="utf-8")
    assert found(tmp_path, gitignore=False) == ["app.py", "build/out.py", "gen.py"]


# --- skipped directories, excludes, links -----------------------------------------------------


@pytest.mark.parametrize("skipped", [".git", "__pycache__", ".tox", "node_modules", ".mypy_cache"])
def test_always_skipped_dirs(tmp_path: Path, skipped: str) -> None:
    assert skipped in ALWAYS_SKIPPED
    touch(tmp_path, "a.py", f"{skipped}/b.py", f"pkg/{skipped}/c.py")
    assert found(tmp_path, gitignore=False) == ["a.py"]


def test_always_skipped_dir_named_explicitly_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "__pycache__/b.py")
    assert found(tmp_path / "__pycache__") == ["b.py"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("skip_*.py", ["keep.py", "pkg/keep.py"]),
        ("pkg", ["keep.py", "skip_me.py"]),
        ("*/pkg/skip_me.py", ["keep.py", "pkg/keep.py", "skip_me.py"]),
        ("nothing", ["keep.py", "pkg/keep.py", "pkg/skip_me.py", "skip_me.py"]),
    ],
)
def test_exclude(tmp_path: Path, pattern: str, expected: list[str]) -> None:
    touch(tmp_path, "keep.py", "skip_me.py", "pkg/keep.py", "pkg/skip_me.py")
    assert found(tmp_path, exclude=(pattern,)) == expected


def test_symlink_loop_to_a_parent_does_not_hang(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "pkg/b.py")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "pkg" / "self").symlink_to(tmp_path / "pkg", target_is_directory=True)
    assert found(tmp_path) == ["a.py", "pkg/b.py"]


def test_explicit_symlinked_directory_is_walked(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.py")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert found(tmp_path / "link") == ["a.py"]


def test_symlink_to_a_python_file_is_reviewed_once(tmp_path: Path) -> None:
    touch(tmp_path, "real.py")
    (tmp_path / "alias.py").symlink_to(tmp_path / "real.py")
    assert found(tmp_path) == ["alias.py"]  # one file, one review: the first path that reaches it


# --- order and duplicates ---------------------------------------------------------------------


def test_order_is_sorted_and_depth_first(tmp_path: Path) -> None:
    touch(tmp_path, "b.py", "a/z.py", "a/b/c.py", "C.py", "a.py", "_x.py")
    expected = ["C.py", "_x.py", "a/b/c.py", "a/z.py", "a.py", "b.py"]
    assert found(tmp_path) == expected
    assert found(tmp_path) == expected  # and the same on every run


def test_paths_keep_the_given_order(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.py")
    given = [str(tmp_path / "b.py"), str(tmp_path / "a.py")]
    assert list(discover(given)) == given


def test_same_file_twice_is_reviewed_once(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py")
    a = str(tmp_path / "pkg" / "a.py")
    same = str(tmp_path / "pkg" / "." / "a.py")
    assert list(discover([a, a, same])) == [a]


def test_file_inside_a_given_directory_is_not_repeated(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py", "pkg/b.py")
    out = list(discover([str(tmp_path / "pkg"), str(tmp_path / "pkg" / "a.py"), str(tmp_path / "pkg")]))
    assert out == [str(tmp_path / "pkg" / "a.py"), str(tmp_path / "pkg" / "b.py")]


def test_same_file_relative_and_absolute_is_reviewed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "a.py")
    monkeypatch.chdir(tmp_path)
    assert len(list(discover(["a.py", str(tmp_path / "a.py")]))) == 1


# --- test code --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/x.py", True),
        ("pkg/tests/deep/x.py", True),
        ("test/x.py", True),
        ("testing/x.py", True),
        ("test_x.py", True),
        ("pkg/test_x.py", True),
        ("x_test.py", True),
        ("conftest.py", True),
        ("pkg/conftest.py", True),
        ("attest.py", False),
        ("contest/x.py", False),
        ("latest.py", False),
        ("testsuite.py", False),
        ("pkg/tests.py", False),  # a module named tests, not a tests directory
        ("x_tests.py", False),
        ("app.py", False),
        ("", False),
    ],
)
def test_is_test_path(path: str, expected: bool) -> None:
    assert is_test_path(path) is expected


def test_each_file_once_however_it_is_named(tmp_path: Path) -> None:
    """A directory given twice (with a trailing slash, or as a file inside it) and a linked
    file yield each real file once."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "b.py").symlink_to(tmp_path / "pkg" / "a.py")
    root = str(tmp_path / "pkg")
    found = list(discover([root + "/", root, os.path.join(root, "a.py")]))
    assert [os.path.basename(p) for p in found] == ["a.py"]
