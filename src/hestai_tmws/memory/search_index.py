"""The full-text index of project memory: SQLite FTS5 in the git directory, kept up to date.

The index is a cache (never committed, rebuildable at any time) beside the ledger in the git
common dir. Each refresh is incremental: a folder whose modification time has not moved is
not even listed (the Steward replaces files by rename, which touches the folder), a listed
file whose inode is unchanged is not even stat'ed (a rename gives a new inode), and a file
that is read but has the same git blob id as before is not indexed again. So a query on 10k
archives costs one stat per folder. `rebuild_index` compares size and time of every file.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from hestai_tmws.errors import TmwsError
from hestai_tmws.gitio import blob_id
from hestai_tmws.layout import (
    CONTEXT,
    DECISIONS,
    HESTAI,
    NORTH_STAR,
    PATTERNS,
    REPORTS,
    SESSIONS_ARCHIVE,
    SKILLS,
)
from hestai_tmws.memory.search_text import extract
from hestai_tmws.memory.show import kind_of
from hestai_tmws.project import Project

INDEX_FILE = "search.sqlite3"
SCHEMA_VERSION = "2"
TITLE_WEIGHT = 4.0
TOKENIZER = "porter unicode61 remove_diacritics 2"  # "decided" finds "decide"; é finds e
BUSY_TIMEOUT_S = 5.0
RACY_NS = 2_000_000_000  # a folder time this close to now is not trusted (as git's racy check)

# (folder inside .hestai/, how deep its records sit, file name suffix)
SOURCES: tuple[tuple[str, int, str], ...] = (
    (SESSIONS_ARCHIVE, 0, ".oct.md"),
    (DECISIONS, 0, ".oct.md"),
    (REPORTS, 0, ".oct.md"),
    (CONTEXT, 0, ".oct.md"),
    (PATTERNS, 0, ".oct.md"),
    (SKILLS, 1, "SKILL.md"),
    ("workflow", 0, NORTH_STAR.rsplit("/", 1)[-1]),
)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (rel TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    rel TEXT UNIQUE NOT NULL,
    stat TEXT NOT NULL,
    blob TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_kind_date ON files (kind, date);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, tokenize='{TOKENIZER}');
"""


class SearchIndexError(TmwsError):
    """The index cannot be opened or written (it is a cache: delete it to rebuild)."""


@dataclass
class RefreshStats:
    """What one refresh did (shown by `--json`, checked by tests and the benchmark)."""

    files: int = 0
    indexed: int = 0  # (re)written into the full-text table
    removed: int = 0
    folders_scanned: int = 0


def index_path(project: Project) -> Path:
    return project.cache_dir / INDEX_FILE


@contextmanager
def connect(project: Project) -> Iterator[sqlite3.Connection]:
    """The index database, created (or recreated when its schema is older) on first use."""
    path = index_path(project)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last commit is fine
            if _version(db) != SCHEMA_VERSION:
                _reset(db)
            yield db
    except sqlite3.Error as exc:
        raise SearchIndexError(
            f"the search index {path} cannot be used: {exc}",
            hint="it is only a cache: delete the file and search again to rebuild it",
        ) from exc


def _version(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError:
        return None
    return str(row[0]) if row else None


def _reset(db: sqlite3.Connection) -> None:
    for table in ("fts", "files", "folders", "meta"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    db.executescript(_SCHEMA)
    # the `rank` column ranks by BM25 with a title match worth more than a body match
    db.execute("INSERT INTO fts (fts, rank) VALUES ('rank', ?)", (f"bm25({TITLE_WEIGHT}, 1.0)",))
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    db.commit()


def _mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _folders(project: Project) -> dict[str, int | None]:
    """Every folder that can hold records → its modification time (None: missing)."""
    out: dict[str, int | None] = {}
    for rel, depth, _suffix in SOURCES:
        folder = project.memory_path(rel)
        out[rel] = _mtime(folder)
        if depth and out[rel] is not None:
            for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
                out[f"{rel}/{sub.name}"] = _mtime(sub)
    return out


def _files_of(project: Project, rel: str) -> dict[str, os.DirEntry[str]]:
    """Record files directly inside folder `rel` (POSIX paths inside .hestai/) → entry."""
    source = next(
        (s for s in SOURCES if rel == s[0] or (s[1] and rel.startswith(s[0] + "/"))), None
    )
    if source is None:
        return {}
    folder = project.memory_path(rel)
    nested = rel != source[0]
    if source[1] and not nested:
        return {}  # skills sit one level down: their own folders are scanned
    out: dict[str, os.DirEntry[str]] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return {}
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith(source[2]):
            continue
        if entry.is_file(follow_symlinks=False):
            out[f"{rel}/{entry.name}"] = entry
    return out


def _stat_key(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


Known = dict[str, tuple[int, str, str]]  # rel -> (row id, stat key, blob id)


def _index_file(
    db: sqlite3.Connection,
    project: Project,
    rel: str,
    entry: os.DirEntry[str],
    known: Known,
    stats: RefreshStats,
    *,
    trust_inodes: bool,
) -> None:
    """Index one file unless it is known: same inode (trusted), same stat, or same blob."""
    row = known.get(rel)
    if trust_inodes and row is not None and row[1].rsplit(":", 1)[-1] == str(entry.inode()):
        return  # the Steward replaces by rename: an unchanged inode is an unchanged file
    st = entry.stat(follow_symlinks=False)
    key = _stat_key(st)
    if row is not None and row[1] == key:
        return
    try:
        data = project.memory_path(rel).read_bytes()
    except OSError:
        return
    blob = blob_id(data)
    if row is not None and row[2] == blob:
        db.execute("UPDATE files SET stat = ? WHERE id = ?", (key, row[0]))
        return
    kind = kind_of(rel)
    text = extract(kind, rel, data.decode("utf-8", errors="replace"), st.st_mtime)
    if row is not None:
        db.execute("DELETE FROM fts WHERE rowid = ?", (row[0],))
        db.execute("DELETE FROM files WHERE id = ?", (row[0],))
    cur = db.execute(
        "INSERT INTO files (rel, stat, blob, kind, record_id, title, date) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (rel, key, blob, kind, text.record_id, text.title, text.date),
    )
    db.execute(
        "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
        (cur.lastrowid, text.title, text.body),
    )
    stats.indexed += 1


def _in_folder(db: sqlite3.Connection, folder: str) -> Known:
    """The index rows of the files directly inside `folder`."""
    rows = db.execute(
        "SELECT rel, id, stat, blob FROM files WHERE rel >= ? AND rel < ?",
        (folder + "/", folder + "0"),  # "0" sorts right after "/": the folder's paths
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows if r[0].rsplit("/", 1)[0] == folder}


def _drop_missing(
    db: sqlite3.Connection, known: Known, present: set[str], stats: RefreshStats
) -> None:
    for rel, (file_id, _stat, _blob) in known.items():
        if rel not in present:
            db.execute("DELETE FROM fts WHERE rowid = ?", (file_id,))
            db.execute("DELETE FROM files WHERE id = ?", (file_id,))
            stats.removed += 1


def refresh(db: sqlite3.Connection, project: Project, *, full: bool = False) -> RefreshStats:
    """Bring the index up to date with `.hestai/` (`full`: look at every file, not folders)."""
    stats = RefreshStats()
    known = dict(db.execute("SELECT rel, mtime_ns FROM folders").fetchall())
    current = _folders(project)
    for rel in set(known) - set(current):
        _drop_missing(db, _in_folder(db, rel), set(), stats)
        db.execute("DELETE FROM folders WHERE rel = ?", (rel,))
    for rel, mtime in current.items():
        if not full and mtime is not None and known.get(rel) == mtime:
            continue
        stats.folders_scanned += 1
        files = _files_of(project, rel) if mtime is not None else {}
        in_folder = _in_folder(db, rel)
        for file_rel, entry in files.items():
            _index_file(db, project, file_rel, entry, in_folder, stats, trust_inodes=not full)
        _drop_missing(db, in_folder, set(files), stats)
        if mtime is None:
            db.execute("DELETE FROM folders WHERE rel = ?", (rel,))
        else:  # a folder changed just now may change again within its clock tick: look again
            settled = time.time_ns() - mtime > RACY_NS
            db.execute(
                "INSERT OR REPLACE INTO folders VALUES (?, ?)", (rel, mtime if settled else -1)
            )
    db.commit()
    stats.files = int(db.execute("SELECT count(*) FROM files").fetchone()[0])
    return stats


def repo_path(rel: str) -> str:
    """The repository-relative path of a file inside .hestai/."""
    return f"{HESTAI}/{rel}"
