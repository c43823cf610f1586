"""Skill suggestions: BM25 (SQLite FTS5) over the promoted skills, weighted by helpfulness.

The index lives in memory and is built from the committed SKILL.md files alone. Building it
for 2,000 skills takes a while, so the built database is also kept, serialized, in the git
directory's cache (keyed by the skill files' stat signature) and held per process: a
clock-in pays one small file read, not 2,000 parses.

Small corpora: BM25's IDF is zero or negative for a term that most documents contain, so
with one or two skills nothing would ever score. The index therefore always holds
`BACKGROUND_DOCS` neutral documents — the SOP template's own words, as long as a real
skill — that are never returned. They make template words (steps, sessions, evidence…)
cheap and tool words meaningful however few skills exist.

Suggestions are advice: `suggest_for_clock_in` never raises and never holds clock-in
back; a missing, corrupt or slow store gives no suggestions and a note saying why.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from hestai_tmws.errors import TmwsError
from hestai_tmws.layout import SKILLS, SUGGESTIONS_LOG
from hestai_tmws.learning.feedback import helpfulness_weights, iso_now, new_event_id
from hestai_tmws.learning.skills import SKILL_FILE, SkillDoc, parse_skill, skill_rel
from hestai_tmws.project import Project

if TYPE_CHECKING:
    from hestai_tmws.sessions.model import ActiveSession

INDEX_FORMAT = "2"
INDEX_CACHE = "skills-index.sqlite"
BACKGROUND_DOCS = 16
DEFAULT_LIMIT = 3
CANDIDATES = 20
BUILD_BUDGET_S = 0.5
RECHECK_S = 1.0
MAX_BODY_CHARS = 4000
_INDEXED_SECTIONS = ("## When to use", "## Steps", "## Variants", "## Seen while working on")
MAX_TERMS = 40
RECENT_COMMITS = 5
COLUMN_WEIGHTS = (0.0, 4.0, 2.0, 1.0)  # slug (unindexed), name, description, body
_WORD = re.compile(r"[^\W\d_][\w]*|\d+[^\W\d_][\w]*", re.UNICODE)
_STOPWORDS_TEXT = """a an and are as at be but by can do does for from has have how i in into is
    it its me my no not of on or our so that the their then there these this to up use used
    using was we what when where which while who why will with you your fix add make new
    update main master feat feature chore work general issue task run runs running then
    step steps"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_TRUNK = frozenset({"main", "master", "develop", "development", "trunk", "head"})


class Suggestion(BaseModel):
    """One suggested skill, with the event id that feedback refers to."""

    id: str
    skill: str
    description: str
    score: float
    path: str  # relative to the project root
    pattern: str | None = None
    name: str = ""


class SuggestionBatch(BaseModel):
    suggestions: list[Suggestion] = Field(default_factory=list)
    note: str | None = None
    terms: list[str] = Field(default_factory=list)
    recorded: bool = False


# -- query ------------------------------------------------------------------------------------


def query_terms(texts: Iterable[str | None], limit: int = MAX_TERMS) -> list[str]:
    """Distinct search words of the given texts, in order (stop words and numbers dropped)."""
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        if not text:
            continue
        for raw in _WORD.findall(text.lower()):
            for word in [raw, *[p for p in raw.split("_") if p and p != raw]]:
                if len(word) < 2 or word in _STOPWORDS or word in seen:
                    continue
                seen.add(word)
                out.append(word)
                if len(out) >= limit:
                    return out
    return out


def path_words(paths: Iterable[str]) -> list[str]:
    """Folder names and file stems of changed paths (`src/app/cli.py` → src app cli)."""
    words: list[str] = []
    for path in paths:
        parts = [p for p in path.split("/") if p]
        if not parts:
            continue
        stem = parts[-1].split(".", 1)[0]
        words.extend([*parts[:-1], stem])
    return words


# (work tree, HEAD commit, commits) → paths: the answer only changes when HEAD moves, and a
# long-lived MCP server would otherwise start a git process on every clock-in.
_RECENT: dict[tuple[str, str, int], list[str]] = {}


def recent_paths(project: Project, commits: int = RECENT_COMMITS) -> list[str]:
    """Files changed by the last few commits (empty on any git trouble)."""
    try:
        head = project.git.head_commit()
    except Exception:
        head = None
    if head is None:
        return _recent_paths(project, commits)
    key = (str(project.root), head, commits)
    cached = _RECENT.get(key)
    if cached is None:
        cached = _recent_paths(project, commits)
        if len(_RECENT) > 256:
            _RECENT.clear()
        _RECENT[key] = cached
    return list(cached)


def _recent_paths(project: Project, commits: int) -> list[str]:
    from hestai_tmws.gitio import run_git

    try:
        proc = run_git(project.root, "log", f"-n{commits}", "--name-only", "--format=", check=False)
    except Exception:
        return []
    if proc.returncode != 0:
        return []
    seen: list[str] = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith(".hestai") and line not in seen:
            seen.append(line)
    return seen[:20]


def _fts_query(terms: Sequence[str]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)


# -- the index --------------------------------------------------------------------------------


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


_background_text: str | None = None
# The step kinds every skill shares; the zz-words are removed, the template words stay.
_BACKGROUND_TOKENS = (
    "Bash:zzcmd",
    "Read",
    "Edit",
    "Write",
    "Grep",
    "Glob",
    "Task:zzagent",
    "Skill:zzskill",
    "mcp__zzsrv__zztool",
    "Zztool",
)


def background_text() -> str:
    """The SOP template's words without any tool: what every skill says anyway."""
    global _background_text
    if _background_text is None:
        from hestai_tmws.learning.core.model import MinedPattern
        from hestai_tmws.learning.core.sop import draft_sop, render_sop_markdown

        dummy = MinedPattern(
            id="pat-0000000000000000",
            namespace="zzns",
            tokens=_BACKGROUND_TOKENS,
            support=10,
            session_ids=("zzsession",),
            days=(date(2025, 1, 1),),
            first_seen=date(2025, 1, 1),
            last_seen=date(2025, 1, 1),
            occurrences=10,
            successes=9,
            outcomes_known=10,
            success_rate=0.9,
            wilson_lower=0.6,
            mean_duration_ms=1000.0,
            stability=0.5,
            confidence=0.6,
            lift=10.0,
            expected_support=1.0,
            failed_steps=(1,) + (0,) * (len(_BACKGROUND_TOKENS) - 1),
            evidence_namespaces=("zzns",),
        )
        draft = draft_sop(dummy, name="zzname")
        text = f"{draft.description}\n{render_sop_markdown(draft)}"
        _background_text = re.sub(r"\S*zz\S*", " ", text, flags=re.IGNORECASE)
    return _background_text


@dataclass
class SkillIndex:
    """An in-memory FTS5 index of the skills, plus what could not be indexed."""

    conn: sqlite3.Connection
    signature: str
    count: int
    broken: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    checked: float = 0.0  # time.monotonic() of the last signature check

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
                raise _TooSlow(len(docs), len(slugs))
            try:
                text = project.memory_path(skill_rel(slug)).read_text(encoding="utf-8")
                docs.append(parse_skill(text, slug))
            except (OSError, UnicodeDecodeError) as exc:
                broken[slug] = f"cannot read: {exc}"
            except TmwsError as exc:
                broken[slug] = exc.message
        rows = [(d.slug, _words_of(d.name), d.description, indexed_body(d.body)) for d in docs]
        if rows:
            filler = background_text()
            body = indexed_body(filler)
            for i in range(BACKGROUND_DOCS):
                rows.append((f"#background-{i}", "", filler.split("\n", 1)[0], body))
        conn.executemany("INSERT INTO skills VALUES (?, ?, ?, ?)", rows)
        conn.executemany(
            "INSERT INTO info VALUES (?, ?, ?, ?)",
            [(d.slug, d.name, d.description, d.pattern_id) for d in docs],
        )
        conn.executemany("INSERT INTO broken VALUES (?, ?)", list(broken.items()))
        conn.execute("INSERT INTO meta VALUES ('signature', ?)", (signature,))
        conn.commit()
        return cls(conn=conn, signature=signature, count=len(docs), broken=broken)

    @classmethod
    def from_bytes(cls, data: bytes, signature: str) -> SkillIndex | None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            conn.deserialize(data)
            row = conn.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
            if row is None or row[0] != signature:
                conn.close()
                return None
            count = conn.execute("SELECT count(*) FROM info").fetchone()[0]
            broken = dict(conn.execute("SELECT slug, reason FROM broken").fetchall())
        except sqlite3.Error:
            conn.close()
            return None
        return cls(conn=conn, signature=signature, count=int(count), broken=broken)

    def to_bytes(self) -> bytes:
        with self.lock:
            return bytes(self.conn.serialize())

    def search(
        self, terms: Sequence[str], weights: dict[str, float], limit: int, threshold: float
    ) -> list[tuple[SkillRow, float]]:
        if not terms or not self.count:
            return []
        weight_args = ", ".join(str(w) for w in COLUMN_WEIGHTS)
        sql = (
            f"SELECT i.slug, m.rank, i.name, i.description, i.pattern FROM "
            f"(SELECT slug, bm25(skills, {weight_args}) AS rank FROM skills "
            "WHERE skills MATCH ? ORDER BY rank LIMIT ?) AS m "
            "JOIN info AS i ON i.slug = m.slug"
        )
        with self.lock:
            rows = self.conn.execute(sql, (_fts_query(terms), CANDIDATES)).fetchall()
        scored: list[tuple[SkillRow, float]] = []
        for slug, rank, name, description, pattern in rows:
            raw = max(0.0, -float(rank))
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


class _TooSlow(Exception):
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
    in this process call `forget`).
    """
    key = str(project.root)
    now = time.monotonic()
    with _MEMO_LOCK:
        held = _MEMO.get(key)
    if held is not None and now - held.checked < RECHECK_S:
        return held
    signature, slugs = _signature(project)
    if held is not None and held.signature == signature:
        held.checked = now
        return held
    cache_file = project.cache_dir / INDEX_CACHE
    index: SkillIndex | None = None
    try:
        index = SkillIndex.from_bytes(cache_file.read_bytes(), signature)
    except OSError:
        index = None
    if index is None:
        index = SkillIndex.build(project, slugs, signature, deadline)
        try:
            from hestai_tmws.steward.atomic import atomic_write_bytes

            cache_file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(cache_file, index.to_bytes())
        except OSError:
            pass  # a cache that cannot be written only costs time
    index.checked = time.monotonic()
    with _MEMO_LOCK:
        _MEMO[key] = index
    return index


# -- suggesting -------------------------------------------------------------------------------


def _broken_note(broken: dict[str, str]) -> str:
    shown = "; ".join(f"{slug}: {why}" for slug, why in sorted(broken.items())[:3])
    more = f" (+{len(broken) - 3} more)" if len(broken) > 3 else ""
    return f"skipped {len(broken)} unreadable skill file(s): {shown}{more}"


def suggest(
    project: Project,
    terms: Sequence[str],
    *,
    limit: int = DEFAULT_LIMIT,
    threshold: float | None = None,
    deadline: float | None = None,
) -> SuggestionBatch:
    """Rank the skills for these search words (nothing is recorded)."""
    from hestai_tmws.config import load_settings

    if threshold is None:
        threshold = load_settings(project).learning.suggest_threshold
    batch = SuggestionBatch(terms=list(terms))
    index = load_index(project, deadline=deadline)
    notes: list[str] = []
    if index.broken:
        notes.append(_broken_note(index.broken))
    if not index.count:
        if not index.broken:
            notes.append("no promoted skills yet")
        batch.note = "; ".join(notes)
        return batch
    weights = helpfulness_weights(project)
    for row, score in index.search(terms, weights, max(0, limit), threshold):
        batch.suggestions.append(
            Suggestion(
                id=new_event_id("sg"),
                skill=row.slug,
                name=row.name,
                description=row.description,
                score=score,
                path=f".hestai/{skill_rel(row.slug)}",
                pattern=row.pattern,
            )
        )
    batch.note = "; ".join(notes) or None
    return batch


def record_suggestions(
    project: Project,
    batch: SuggestionBatch,
    *,
    session_id: str | None,
    source: str,
    lock_timeout: float = 1.0,
) -> None:
    """Append one `suggested` event per suggestion to `learning/suggestions.jsonl`."""
    from hestai_tmws.config import load_settings
    from hestai_tmws.steward import Steward

    if not batch.suggestions:
        return
    at = iso_now()
    events: list[dict[str, Any]] = [
        {
            "event": "suggested",
            "id": s.id,
            "skill": s.skill,
            "pattern": s.pattern,
            "score": s.score,
            "session": session_id,
            "source": source,
            "at": at,
        }
        for s in batch.suggestions
    ]
    settings = load_settings(project)
    steward = Steward(project, lock_timeout=lock_timeout)
    with steward.transaction("learning: suggestions", stage=settings.stage_writes):
        steward.append_jsonl(SUGGESTIONS_LOG, events)
    batch.recorded = True


def _degraded(exc: BaseException) -> str:
    """Why there are no suggestions (the caller prefixes "skill suggestions: ")."""
    if isinstance(exc, _TooSlow):
        return (
            f"none, the learning store was too slow "
            f"({exc.done} of {exc.total} skills read within {BUILD_BUDGET_S:.1f} s)"
        )
    if isinstance(exc, sqlite3.Error):
        return f"none, the skill index failed ({exc})"
    if isinstance(exc, TmwsError):
        return f"none, {exc.message}"
    return f"none, {type(exc).__name__}: {exc}"


def suggest_for_clock_in(project: Project, session: ActiveSession) -> SuggestionBatch:
    """Suggestions for a new session (focus, branch, recently changed paths). Never raises."""
    try:
        deadline = time.perf_counter() + BUILD_BUDGET_S
        texts: list[str | None] = []
        if session.focus_source != "default":
            texts.append(session.focus)
        if session.branch and session.branch.lower() not in _TRUNK:
            texts.append(session.branch.replace("/", " "))
        texts.extend(path_words(recent_paths(project)))
        terms = query_terms(texts)
        if not terms:
            return SuggestionBatch(note=None)
        batch = suggest(project, terms, deadline=deadline)
    except Exception as exc:
        return SuggestionBatch(note=_degraded(exc))
    try:
        record_suggestions(project, batch, session_id=session.id, source="clock-in")
    except Exception as exc:
        extra = f"suggestions were not recorded ({type(exc).__name__})"
        batch.note = f"{batch.note}; {extra}" if batch.note else extra
    return batch


def suggest_skills(
    project: Project,
    task: str,
    limit: int = DEFAULT_LIMIT,
    *,
    session_id: str | None = None,
    record: bool = True,
    source: str = "mcp",
) -> SuggestionBatch:
    """Suggestions for a task description; recorded as events (and in the open session)."""
    terms = query_terms([task])
    if not terms:
        return SuggestionBatch(note="the task gives no search words")
    try:
        batch = suggest(project, terms, limit=limit)
    except Exception as exc:
        return SuggestionBatch(terms=terms, note=_degraded(exc))
    if record and batch.suggestions:
        record_suggestions(project, batch, session_id=session_id, source=source)
        if session_id:
            _remember_in_session(project, session_id, batch)
    return batch


def _remember_in_session(project: Project, session_id: str, batch: SuggestionBatch) -> None:
    """Add the suggestions to the open session's record (session.json `suggestions`)."""
    from hestai_tmws.config import load_settings
    from hestai_tmws.sessions.store import load_session, save_session
    from hestai_tmws.steward import Steward

    settings = load_settings(project)
    steward = Steward(project, lock_timeout=settings.lock_timeout_seconds)
    with steward.transaction("learning: session suggestions"):
        try:
            session = load_session(project, session_id)
        except TmwsError:
            return
        items = [*session.suggestions, *(s.model_dump(mode="json") for s in batch.suggestions)]
        save_session(project, steward, session.model_copy(update={"suggestions": items}))
