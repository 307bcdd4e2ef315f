"""The incremental cache: what a file's analysis produced, keyed by what it depends on.

A file's analysis (pattern findings, suppressions, its symbolic taint summary) depends only on
the file's bytes, its path, and the run: scrutiny's code, the rules and models in force, the
settings, and the project's package names. It never depends on another file: cross-file taint
is resolved afterwards, from every file's summary, by the solver in the parent. So an edit
re-analyses the edited file only, and the solver then recomputes its dependents' dataflow
findings from the summaries (an edited callee changes its caller's findings on the next run).
A second level stores a whole run's finished results under the keys of all its files: a rerun
with nothing changed reads one entry.

Storage is one SQLite file (WAL journal, writes in transactions), safe to share between
concurrent runs. Entries are pickles signed with HMAC-SHA256 under a per-user secret kept
outside the cache directory: an entry that does not verify (a torn write, a corrupted file, or
someone else's bytes in a shared checkout) is deleted and recomputed, and is never unpickled.
A database file that SQLite cannot open is moved aside and rebuilt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import asdict
from pathlib import Path
from typing import Any

import scrutiny
from scrutiny.config import Settings

DIRECTORY = ".scrutiny_cache"
_DB = "cache.sqlite3"
_SCHEMA = 1
_KEEP_RUNS = 8  # whole-run entries kept (one per recent set of inputs)
_KEEP_FILES = 200_000  # file entries kept, least recently used dropped first
_PACKAGE = Path(scrutiny.__file__).parent


def default_directory(settings: Settings) -> Path:
    """`--cache-dir`, else `$SCRUTINY_CACHE_DIR`, else `.scrutiny_cache` beside the
    pyproject.toml in force, else in the working directory (as Ruff and mypy do)."""
    if settings.cache_dir:
        return Path(settings.cache_dir)
    if os.environ.get("SCRUTINY_CACHE_DIR"):
        return Path(os.environ["SCRUTINY_CACHE_DIR"])
    if settings.config_file:
        return Path(settings.config_file).parent / DIRECTORY
    return Path(DIRECTORY)


def code_stamp() -> str:
    """scrutiny's version plus the size and mtime of every module and model file it ships:
    an upgrade or a local edit of a rule invalidates everything, without hashing the package."""
    digest = hashlib.sha256(scrutiny.__version__.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".toml"):
            stat = path.stat()
            digest.update(f"{path.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def run_key(settings: Settings, project: Iterable[str]) -> str:
    """What every file's analysis depends on besides the file itself."""
    facts: dict[str, Any] = asdict(settings)
    for name in ("jobs", "cache", "cache_dir", "config_file"):  # do not change any result
        facts.pop(name, None)
    digest = hashlib.sha256(code_stamp().encode())
    digest.update(repr(sorted(facts.items())).encode())
    for model in settings.models:  # user models: their content, not their name
        try:
            digest.update(Path(model).read_bytes())
        except OSError:
            digest.update(f"missing:{model}".encode())
    digest.update(repr(sorted(project)).encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path, run: str) -> None:
        self.directory = directory
        self.run = run
        self._secret = _user_secret()
        self._db = _connect(directory)

    @classmethod
    def open(cls, settings: Settings, project: Iterable[str]) -> Cache | None:
        """The cache for this run, or None when it is off or cannot be used (read-only disk):
        a review never fails because of its cache."""
        if not settings.cache or os.environ.get("SCRUTINY_NO_CACHE", "") not in ("", "0"):
            return None
        try:
            return cls(default_directory(settings), run_key(settings, project))
        except (OSError, sqlite3.Error):
            return None

    def close(self) -> None:
        self._db.close()

    # -- keys -------------------------------------------------------------------------------
    def file_keys(self, paths: Sequence[str], limit: int) -> dict[str, str]:
        """A key per readable file of at most `limit` bytes (others are never cached: their
        review is an error report, cheaper to redo than to store)."""
        keys: dict[str, str] = {}
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    data = handle.read(limit + 1)
            except OSError:
                continue
            if len(data) <= limit:
                head = f"{self.run}\0{path}\0".encode()
                keys[path] = hashlib.sha256(head + data).hexdigest()
        return keys

    def run_id(self, paths: Sequence[str], keys: dict[str, str]) -> str | None:
        """The key of the whole run, when every file has one."""
        if len(keys) != len(paths):
            return None
        digest = hashlib.sha256(self.run.encode())
        for path in paths:
            digest.update(keys[path].encode())
        return digest.hexdigest()

    # -- entries ----------------------------------------------------------------------------
    def get_files(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = list(keys)
        found: dict[str, Any] = {}
        for chunk in _chunks(wanted, 2000):
            rows = self._read(_SELECT_FILES, [json.dumps(chunk)])
            for key, sig, blob in rows:
                value = self._verify(sig, blob)
                if value is _BAD:
                    self._write("DELETE FROM files WHERE key = ?", [(key,)])
                else:
                    found[key] = value
        if found:
            now = time.time()
            self._write("UPDATE files SET used = ? WHERE key = ?", [(now, k) for k in found])
        return found

    def put_files(self, items: Iterable[tuple[str, Any]]) -> None:
        now = time.time()
        rows = [(key, *self._sign(value), now) for key, value in items]
        self._write("INSERT OR REPLACE INTO files (key, sig, blob, used) VALUES (?, ?, ?, ?)", rows)
        self._trim(_COUNT["files"], _TRIM["files"], _KEEP_FILES)

    def get_run(self, run_id: str) -> Any:
        rows = self._read("SELECT sig, blob FROM runs WHERE key = ?", [run_id])
        for sig, blob in rows:
            value = self._verify(sig, blob)
            if value is not _BAD:
                self._write("UPDATE runs SET used = ? WHERE key = ?", [(time.time(), run_id)])
                return value
            self._write("DELETE FROM runs WHERE key = ?", [(run_id,)])
        return None

    def put_run(self, run_id: str, value: Any) -> None:
        row = (run_id, *self._sign(value), time.time())
        self._write("INSERT OR REPLACE INTO runs (key, sig, blob, used) VALUES (?, ?, ?, ?)", [row])
        self._trim(_COUNT["runs"], _TRIM["runs"], _KEEP_RUNS)

    # -- plumbing ---------------------------------------------------------------------------
    def _sign(self, value: Any) -> tuple[bytes, bytes]:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return hmac.digest(self._secret, blob, "sha256"), blob

    def _verify(self, sig: bytes, blob: bytes) -> Any:
        expected = hmac.digest(self._secret, blob, "sha256")
        if not isinstance(sig, bytes) or not hmac.compare_digest(sig, expected):
            return _BAD
        try:
            # Only bytes this user's secret signed are unpickled (checked just above).
            return pickle.loads(blob)  # noqa: S301  # scrutiny: ignore[SCR401] -- HMAC-verified
        except Exception:  # signed but unreadable (an older Python's pickle): recompute
            return _BAD

    def _read(self, sql: str, params: Sequence[Any]) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error:
            return []

    def _write(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            with self._db:  # one transaction: all rows or none
                self._db.executemany(sql, rows)
        except sqlite3.Error:
            pass  # a busy or read-only cache costs speed, never a result

    def _trim(self, count_sql: str, trim_sql: str, keep: int) -> None:
        count = self._read(count_sql, ())
        if count and count[0][0] > keep:
            self._write(trim_sql, [(keep,)])


_BAD = object()
# Statements are constants (the key list travels as one JSON parameter), so no SQL is built.
_SELECT_FILES = "SELECT key, sig, blob FROM files WHERE key IN (SELECT value FROM json_each(?))"
_COUNT = {"files": "SELECT count(*) FROM files", "runs": "SELECT count(*) FROM runs"}
_TRIM = {
    "files": "DELETE FROM files WHERE key NOT IN (SELECT key FROM files ORDER BY used DESC LIMIT ?)",
    "runs": "DELETE FROM runs WHERE key NOT IN (SELECT key FROM runs ORDER BY used DESC LIMIT ?)",
}
_COLUMNS = "(key TEXT PRIMARY KEY, sig BLOB NOT NULL, blob BLOB NOT NULL, used REAL NOT NULL)"
_CREATE = ("CREATE TABLE IF NOT EXISTS files " + _COLUMNS, "CREATE TABLE IF NOT EXISTS runs " + _COLUMNS)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _connect(directory: Path) -> sqlite3.Connection:
    directory.mkdir(parents=True, exist_ok=True)
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("# Automatically created by scrutiny.\n*\n", encoding="utf-8")
    path = directory / _DB
    try:
        return _schema(sqlite3.connect(path, timeout=30))
    except sqlite3.DatabaseError:
        # Not a database (truncated, overwritten): move it aside and start again.
        for suffix in ("", "-wal", "-shm"):
            stale = Path(f"{path}{suffix}")
            if stale.exists():
                os.replace(stale, f"{stale}.corrupt")
        return _schema(sqlite3.connect(path, timeout=30))


def _schema(db: sqlite3.Connection) -> sqlite3.Connection:
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != _SCHEMA:
            with db:
                db.execute("DROP TABLE IF EXISTS files")
                db.execute("DROP TABLE IF EXISTS runs")
                db.execute("PRAGMA user_version = 1")  # _SCHEMA
        with db:
            for statement in _CREATE:
                db.execute(statement)
        db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _user_secret() -> bytes:
    """A random key, created once per user, outside any project: entries signed with it cannot
    be forged by whoever can write a checkout's cache directory."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scrutiny"
    path = base / "cache.key"
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = base / f"cache.key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with closing(os.fdopen(fd, "wb")) as handle:
        handle.write(secrets.token_bytes(32))
    try:
        os.link(temporary, path)  # atomic and fails if another run created it first
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    data = path.read_bytes()
    if len(data) != 32:
        raise OSError(f"{path}: not a scrutiny cache key")
    return data
