"""oslo.rootwrap filter files: discovery, bad input, suppressions, exact positions, and the
project-wide SCR122 check."""

from __future__ import annotations

from pathlib import Path

from scrutiny.config import Settings
from scrutiny.discovery import discover
from scrutiny.pipeline import review_file, review_files
from scrutiny.rootwrap.ini import parse

SETTINGS = Settings(strict=True, jobs=1, select=("SCR12",), cache=False)

FILTERS = """\
# Filters of the test project.
[Filters]
# A comment block above an entry belongs to it.
# scrutiny: ignore[SCR120] -- dnsmasq is started by the DHCP agent only
dnsmasq: CommandFilter, dnsmasq, root
tee: CommandFilter, tee, root  # scrutiny: ignore[SCR120]
bash: CommandFilter, bash, root
haproxy: RegExpFilter, haproxy, root, haproxy,
    -f, .*
ip: IpFilter, ip, root
"""

CODE = """\
from oslo_concurrency import processutils


def run(name):
    processutils.execute("ip", "link", "show", run_as_root=True)
    processutils.execute("mkfs", name, run_as_root=True)
"""


def _project(tmp_path: Path, filters: str | None = FILTERS) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "disk.py").write_text(CODE)
    (tmp_path / "etc").mkdir()
    if filters is not None:
        (tmp_path / "etc" / "compute.filters").write_text(filters)
    (tmp_path / "etc" / "other.filters").write_text("[DEFAULT]\nnot = rootwrap\n")
    return tmp_path


def test_discovery_takes_filter_files_with_a_filters_section(tmp_path: Path) -> None:
    root = _project(tmp_path)
    found = {Path(p).relative_to(root).as_posix() for p in discover([str(root)])}
    assert found == {"pkg/disk.py", "etc/compute.filters"}


def test_findings_carry_the_entry_line_and_column(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = review_file(str(root / "etc" / "compute.filters"), SETTINGS)
    spots = {(f.code, f.line, f.location.column, f.suppressed) for f in result.findings}
    assert spots == {
        ("SCR120", 5, 24, "scrutiny"),  # suppressed by the comment line above
        ("SCR120", 6, 20, "scrutiny"),  # suppressed on the entry's own line
        ("SCR120", 7, 21, None),
        ("SCR121", 9, 8, None),  # the pattern on the continuation line
    }
    assert not result.notices


def test_bad_ini_is_a_per_file_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.filters"
    path.write_text("[Filters]\nno delimiter here\n")
    result = review_file(str(path), Settings(jobs=1, cache=False))
    assert not result.reviewed and [e.kind for e in result.errors] == ["syntax"]
    assert result.errors[0].line == 2


def test_privileged_call_needs_a_filter_in_the_project(tmp_path: Path) -> None:
    root = _project(tmp_path)
    results = review_files([str(root / "pkg" / "disk.py"), str(root / "etc" / "compute.filters")], SETTINGS)
    calls = [(f.line, f.message) for f in results[0].findings]
    assert calls == [
        (
            6,
            "`processutils.execute` runs `mkfs` as root, and no rootwrap filter in the reviewed files "
            "allows `mkfs`",
        )
    ]


def test_privileged_calls_are_not_judged_without_filter_files(tmp_path: Path) -> None:
    root = _project(tmp_path, filters=None)
    results = review_files([str(root / "pkg" / "disk.py")], SETTINGS)
    assert not results[0].findings


def test_parse_keeps_the_last_of_duplicate_names() -> None:
    entries = parse("[Filters]\nx: CommandFilter, bash, root\nX: CommandFilter, ping, root\n")
    assert [(e.name, e.arg(0), e.line) for e in entries] == [("x", "ping", 3)]
