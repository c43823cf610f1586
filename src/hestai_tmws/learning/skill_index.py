"""The skill index: SQLite FTS5 (BM25) over the promoted SKILL.md files, held per process.

The index is built from the committed SKILL.md files alone. Building it for 20,000 skills
takes seconds, so the built database is kept in the git directory's cache (keyed by the
skill files' stat signature) and held per process; a new process opens that file read-only
in place (SQLite reads only the pages a query touches) instead of reading it whole.

The full signature stats every skill file (20,000 stat calls: tens of ms), so a *quick key*
stands in for it: the stats of the skills folder (a skill added or removed), of a marker the
Steward replaces on every write or deletion of a skill file (`SKILLS_CHANGED_FILE`), and of
HEAD and its branch ref (a checkout, pull or merge brought other files). The key file in
the cache remembers which full signature a quick key was last seen with; a change none of
that notices (a hand edit, `git restore`) is caught by the full check that runs at least
every `FULL_RECHECK_S`.
`BACKGROUND_DOCS` neutral documents (`core.index_background`) keep BM25 meaningful however
few skills exist.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hestai_tmws.errors import TmwsError
from hestai_tmws.layout import SKILLS, SKILLS_CHANGED_FILE
from hestai_tmws.learning.core.index_background import background_text
from hestai_tmws.learning.skill_ranking import Parts, best_rows, store_parts
from hestai_tmws.learning.skills import SKILL_FILE, SkillDoc, parse_skill, skill_rel
from hestai_tmws.project import Project
from hestai_tmws.steward.atomic import atomic_write_bytes

INDEX_FORMAT = "3"
INDEX_CACHE = "skills-index.sqlite"
KEY_FILE = "skills-index.key"  # quick key, full signature, time of the full check
FULL_RECHECK_S = 300.0
BACKGROUND_DOCS = 16
CANDIDATES = 20
RECHECK_S = 1.0
MAX_BODY_CHARS = 4000
_INDEXED_SECTIONS = ("## When to use", "## Steps", "## Variants", "## Seen while working on")
COLUMN_WEIGHTS = (0.0, 4.0, 2.0, 1.0)  # slug (unindexed), name, description, body
_WEIGHT_ARGS = ", ".join(str(w) for w in COLUMN_WEIGHTS)


def _fts_query(terms: Sequence[str]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)


def _stat_text(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _quick_key(project: Project) -> str:
    """A handful of stats that change whenever the skills are likely to have changed."""
    head = project.git_dir / "HEAD"
    parts = [
        _stat_text(project.memory_path(SKILLS)),
        _stat_text(project.cache_dir / SKILLS_CHANGED_FILE),
        _stat_text(head),
        _stat_text(project.common_dir / "packed-refs"),
    ]
    try:
        ref = head.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        ref = ""
    if ref.startswith("ref: "):
        parts.append(_stat_text(project.common_dir / ref[5:]))
    return "|".join(parts)


def _remembered(project: Project, quick: str) -> tuple[str, float] | None:
    """(full signature, wall time of its check) last seen with this quick key, if recent."""
    try:
        key, signature, at = (project.cache_dir / KEY_FILE).read_text("utf-8").split("\n")[:3]
        checked = float(at)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if key != quick or not 0 <= time.time() - checked < FULL_RECHECK_S:
        return None
    return signature, checked


def _remember(project: Project, quick: str, signature: str, checked: float) -> None:
    _write_quickly(project.cache_dir / KEY_FILE, f"{quick}\n{signature}\n{checked}\n".encode())


def _write_quickly(path: Path, data: bytes) -> None:
    """Atomic replace without fsync: a lost key file only means one full check."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _signature(project: Project) -> tuple[str, list[str]]:
    """A digest of every skill file's (name, size, mtime, inode), and the slugs."""
    root = str(project.memory_path(SKILLS))
    parts: list[str] = [INDEX_FORMAT]
    slugs: list[str] = []
    try:
        names = sorted(
            e.name
            for e in os.scandir(root)
            if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
        )
    except (FileNotFoundError, NotADirectoryError):
        return hashlib.sha1(b"none").hexdigest(), []
    stat = os.stat
    for name in names:
        try:
            st = stat(f"{root}/{name}/{SKILL_FILE}", follow_symlinks=False)
        except OSError:
            continue
        slugs.append(name)
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest(), slugs


@dataclass
class SkillIndex:
    """An in-memory FTS5 index of the skills, plus what could not be indexed."""

    conn: sqlite3.Connection
    signature: str
    count: int
    broken: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    checked: float = 0.0  # time.monotonic() of the last signature check
    quick: str = ""  # the quick key it was last checked with
    full_checked: float = 0.0  # time.time() of the last full signature check
    held: dict[str, Parts | None] = field(default_factory=dict)  # decoded BM25 parts by term

    @classmethod
    def build(
        cls, project: Project, slugs: Sequence[str], signature: str, deadline: float | None
    ) -> SkillIndex:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.executescript(
            """
            CREATE VIRTUAL TABLE skills USING fts5(
                slug UNINDEXED, name, description, body,
                tokenize="unicode61 tokenchars '_'"
            );
            CREATE TABLE info(slug TEXT PRIMARY KEY, name TEXT, description TEXT, pattern TEXT);
            CREATE TABLE broken(slug TEXT PRIMARY KEY, reason TEXT);
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
            """
        )
        docs: list[SkillDoc] = []
        broken: dict[str, str] = {}
        for slug in slugs:
            if deadline is not None and time.perf_counter() > deadline:
                raise IndexTooSlow(len(docs), len(slugs))
            try:
                text = project.memory_path(skill_rel(slug)).read_text(encoding="utf-8")
                docs.append(parse_skill(text, slug))
            except (OSError, UnicodeDecodeError) as exc:
                broken[slug] = f"cannot read: {exc}"
            except TmwsError as exc:
                broken[slug] = exc.message
        rows = [
            (n, d.slug, _words_of(d.name), d.description, indexed_body(d.body))
            for n, d in enumerate(docs, 1)
        ]
        if rows:
            filler = background_text()
            body = indexed_body(filler)
            for i in range(BACKGROUND_DOCS):
                rows.append((len(rows) + 1, f"#background-{i}", "", filler.split("\n", 1)[0], body))
        conn.executemany(
            "INSERT INTO skills(rowid, slug, name, description, body) VALUES (?, ?, ?, ?, ?)", rows
        )
        conn.executemany(  # a skill's info row has its FTS row's rowid (`search` joins on it)
            "INSERT INTO info(rowid, slug, name, description, pattern) VALUES (?, ?, ?, ?, ?)",
            [(n, d.slug, d.name, d.description, d.pattern_id) for n, d in enumerate(docs, 1)],
        )
        conn.executemany("INSERT INTO broken VALUES (?, ?)", list(broken.items()))
        if deadline is not None and time.perf_counter() > deadline:
            raise IndexTooSlow(len(docs), len(slugs))  # the parts cost about what parsing did
        store_parts(conn, _WEIGHT_ARGS)
        conn.execute("INSERT INTO meta VALUES ('format', ?)", (INDEX_FORMAT,))
        conn.execute("INSERT INTO meta VALUES ('signature', ?)", (signature,))
        conn.execute("INSERT INTO meta VALUES ('count', ?)", (str(len(docs)),))
        conn.commit()
        return cls(conn=conn, signature=signature, count=len(docs), broken=broken)

    @classmethod
    def from_bytes(cls, data: bytes, signature: str) -> SkillIndex | None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            conn.deserialize(data)
        except sqlite3.Error:
            conn.close()
            return None
        return cls._adopt(conn, signature)

    @classmethod
    def open_file(cls, path: Path, signature: str) -> SkillIndex | None:
        """The cached index opened read-only in place (it is only ever replaced whole, so
        `immutable` holds for the file this connection opened)."""
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error:
            return None
        return cls._adopt(conn, signature)

    @classmethod
    def _adopt(cls, conn: sqlite3.Connection, signature: str) -> SkillIndex | None:
        """The index held by `conn` when it was built for `signature`; else closed, None."""
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("signature") != signature or meta.get("format") != INDEX_FORMAT:
                conn.close()  # another index, or one from before the stored BM25 parts
                return None
            # the count is kept in meta (counting 20,000 rows is a millisecond of every
            # new process's first suggestion)
            count = meta["count"]
            broken = dict(conn.execute("SELECT slug, reason FROM broken").fetchall())
        except (sqlite3.Error, KeyError):
            conn.close()
            return None
        return cls(conn=conn, signature=signature, count=int(count), broken=broken)

    def to_bytes(self) -> bytes:
        with self.lock:
            return bytes(self.conn.serialize())

    def _info(self, rowids: Iterable[int]) -> dict[int, tuple[str, str, str, str | None]]:
        """The info rows of these rowids (background documents have none)."""
        ids = ", ".join(str(rowid) for rowid in rowids)
        sql = f"SELECT rowid, slug, name, description, pattern FROM info WHERE rowid IN ({ids})"
        return {row[0]: row[1:] for row in self.conn.execute(sql).fetchall()}

    def search(
        self, terms: Sequence[str], weights: dict[str, float], limit: int, threshold: float
    ) -> list[tuple[SkillRow, float]]:
        if not terms or not self.count:
            return []
        with self.lock:
            best = best_rows(self.conn, terms, _WEIGHT_ARGS, CANDIDATES, self.held)
            info = self._info(rowid for rowid, _ in best)
        rows = [(*info[rowid], score) for rowid, score in best if rowid in info]
        scored: list[tuple[SkillRow, float]] = []
        for slug, name, description, pattern, bm25 in rows:
            raw = max(0.0, float(bm25))
            relevance = raw / (raw + 1.0)
            score = relevance * weights.get(slug, 1.0)
            if score >= threshold:
                scored.append((SkillRow(slug, name, description, pattern), round(score, 4)))
        scored.sort(key=lambda item: (-item[1], item[0].slug))
        return scored[:limit]


@dataclass(frozen=True)
class SkillRow:
    slug: str
    name: str
    description: str
    pattern: str | None


class IndexTooSlow(Exception):
    """The index could not be built within its deadline (done of total skills read)."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"{done} of {total}")
        self.done = done
        self.total = total


def indexed_body(body: str) -> str:
    """What of a skill's body is searched: title, when to use, steps and variants of an
    SOP (not its evidence numbers and session ids); any other body up to 4,000 characters."""
    if "## Steps" not in body:
        return body[:MAX_BODY_CHARS]
    keep: list[str] = []
    taking = True
    for line in body.splitlines():
        if line.startswith("## "):
            taking = line.strip() in _INDEXED_SECTIONS
        elif line.startswith("# "):
            taking = True
        if taking:
            keep.append(line)
    return "\n".join(keep)[:MAX_BODY_CHARS]


def _words_of(name: str) -> str:
    return name.replace("-", " ")


_MEMO: dict[str, SkillIndex] = {}
_MEMO_LOCK = threading.Lock()


def forget(project: Project, *, rebuild: bool = False) -> None:
    """Drop this process's index of `project` (its skills were just changed here).

    `rebuild` builds the new index now (best effort), so that the next clock-in finds it in
    the cache instead of spending its time budget on it.
    """
    with _MEMO_LOCK:
        _MEMO.pop(str(project.root), None)
    if rebuild:
        try:
            load_index(project)
        except Exception:
            return


def load_index(project: Project, *, deadline: float | None = None) -> SkillIndex:
    """The current index: from this process, else the on-disk cache, else built anew.

    An index held by this process is trusted for `RECHECK_S` after its last check (a
    long-lived MCP server sees another process's promotion within that time; changes made
    in this process call `forget`); then the quick key decides, and the full signature
    only when the quick key changed or its last full check is `FULL_RECHECK_S` old.
    """
    key = str(project.root)
    now = time.monotonic()
    with _MEMO_LOCK:
        held = _MEMO.get(key)
    if held is not None and now - held.checked < RECHECK_S:
        return held
    quick = _quick_key(project)
    wall = time.time()
    if held is not None and held.quick == quick and 0 <= wall - held.full_checked < FULL_RECHECK_S:
        held.checked = now
        return held
    remembered = _remembered(project, quick)
    index: SkillIndex | None = None
    if remembered is not None:
        signature, checked = remembered
        if held is not None and held.signature == signature:
            index = held
        else:
            index = SkillIndex.open_file(project.cache_dir / INDEX_CACHE, signature)
    if index is None:
        signature, slugs = _signature(project)
        checked = wall
        if held is not None and held.signature == signature:
            index = held
        else:
            index = _cached_or_built(project, slugs, signature, deadline)
        _remember(project, quick, signature, checked)
    index.quick, index.full_checked = quick, checked
    index.checked = time.monotonic()
    with _MEMO_LOCK:
        _MEMO[key] = index
    return index


def _cached_or_built(
    project: Project, slugs: Sequence[str], signature: str, deadline: float | None
) -> SkillIndex:
    cache_file = project.cache_dir / INDEX_CACHE
    index = SkillIndex.open_file(cache_file, signature)
    if index is None:
        index = SkillIndex.build(project, slugs, signature, deadline)
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(cache_file, index.to_bytes())
        except OSError:
            pass  # a cache that cannot be written only costs time
    return index
