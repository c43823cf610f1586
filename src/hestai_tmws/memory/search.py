"""`tmws search` and the `search_memory` tool: ranked full text over project memory.

The query is taken as words, not as FTS5 syntax: each word must appear (in any order, any
inflection the porter stemmer joins); a word in double quotes is kept as one phrase. Hits
are ranked by BM25 with the title weighted above the body, each with a snippet.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from typing import get_args

from pydantic import BaseModel, Field

from hestai_tmws.errors import UsageError
from hestai_tmws.memory.search_index import RefreshStats, connect, refresh, repo_path
from hestai_tmws.memory.show import RecordKind
from hestai_tmws.project import Project

DEFAULT_LIMIT = 10
MAX_LIMIT = 200
SNIPPET_TOKENS = 16
MARK_OPEN, MARK_CLOSE = "[", "]"  # how a snippet marks the words that matched
SEARCHABLE: tuple[str, ...] = tuple(k for k in get_args(RecordKind) if k != "other")
_WORD = re.compile(r'"([^"]+)"|(\S+)')
_TOKEN_CHARS = re.compile(r"[\w]+", re.UNICODE)


class SearchHit(BaseModel):
    """One matching record: what and where it is, why it matched (the snippet), its rank."""

    kind: str
    id: str  # what `tmws show` takes
    path: str  # repository-relative
    title: str
    date: str
    snippet: str
    score: float  # BM25: lower is better (SQLite's sign)


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit] = Field(default_factory=list)
    indexed_files: int = 0
    reindexed: int = 0  # files (re)read by this query's refresh


def fts_query(text: str) -> str:
    """`text` as an FTS5 expression of quoted terms (so `-`, `:` or `OR` are plain words)."""
    terms: list[str] = []
    for match in _WORD.finditer(text):
        phrase, word = match.group(1), match.group(2)
        tokens = _TOKEN_CHARS.findall(phrase or word or "")
        if tokens:
            terms.append('"' + " ".join(tokens) + '"')
    if not terms:
        raise UsageError(
            f"nothing to search for in {text!r}", hint='pass words, e.g. tmws search "merge driver"'
        )
    return " ".join(terms)


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise UsageError(
            f"--since {value!r} is not a date", hint="use YYYY-MM-DD, e.g. --since 2026-11-01"
        ) from exc


def _kind(value: str | None) -> str | None:
    if value is None:
        return None
    kind = value.lower().removesuffix("s")
    if kind not in SEARCHABLE:
        raise UsageError(f"unknown record type {value!r}", hint="one of: " + ", ".join(SEARCHABLE))
    return kind


def _query(
    db: sqlite3.Connection, match: str, kind: str | None, since: str | None, limit: int
) -> list[SearchHit]:
    """Rank first (the FTS5 `rank` column, BM25), then build snippets for the top rows only."""
    where = ["fts MATCH ?"]
    params: list[object] = [match]
    if kind is not None:
        where.append("files.kind = ?")
        params.append(kind)
    if since is not None:
        where.append("files.date >= ?")
        params.append(since)
    top = (
        "SELECT fts.rowid FROM fts JOIN files ON files.id = fts.rowid "
        f"WHERE {' AND '.join(where)} ORDER BY fts.rank LIMIT ?"
    )
    sql = (
        "SELECT files.kind, files.record_id, files.rel, files.title, files.date, "
        f"snippet(fts, 1, ?, ?, '…', {SNIPPET_TOKENS}), fts.rank "
        f"FROM fts JOIN files ON files.id = fts.rowid WHERE fts MATCH ? AND fts.rowid IN ({top}) "
        "ORDER BY fts.rank"
    )
    rows = db.execute(sql, [MARK_OPEN, MARK_CLOSE, match, *params, limit]).fetchall()
    return [
        SearchHit(
            kind=r[0],
            id=r[1],
            path=repo_path(r[2]),
            title=r[3],
            date=r[4],
            snippet=" ".join(str(r[5]).split()),
            score=round(float(r[6]), 4),
        )
        for r in rows
    ]


def search_memory(
    project: Project,
    text: str,
    *,
    kind: str | None = None,
    since: str | None = None,
    limit: int = DEFAULT_LIMIT,
    reindex: bool = False,
) -> SearchResult:
    """The records of `.hestai/` that contain every word of `text`, best first.

    `reindex` looks at every file again (after hand edits, which leave folder times alone).
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit {limit} is out of range", hint=f"use 1 to {MAX_LIMIT}")
    match = fts_query(text)
    wanted, after = _kind(kind), _since(since)
    with connect(project) as db:
        stats: RefreshStats = refresh(db, project, full=reindex)
        hits = _query(db, match, wanted, after, limit)
    return SearchResult(query=text, hits=hits, indexed_files=stats.files, reindexed=stats.indexed)
