"""BM25 ranking of the skill index from per-term parts (why: one FTS5 `OR` query scores every
matching skill against every query term, most of a suggestion's time at 20,000 skills).

FTS5's BM25 score of a row for an `OR` of one-word phrases is a sum, in the query's phrase
order, of one part per phrase: the phrase's idf times a function of its weighted frequency in
the row and the row's length. Each part depends on the index alone, so it is what a one-term
`bm25()` query returns. The parts of *frequent* terms (in `FREQUENT_DF` rows or more, which
carry almost all of the work) are asked of FTS5 once, when the index is built, and stored as
two packed arrays per term; a rare term is asked of FTS5 at query time, which is cheap because
few rows hold it. Adding the parts in the query's term order gives FTS5's own score bit for
bit (`tests/learning/test_skill_ranking.py` compares the two), so rankings do not move.
"""

from __future__ import annotations

import heapq
import sqlite3
from array import array
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TypeAlias

FREQUENT_DF = 64
_ROWIDS = "i"  # a C int: FTS5 rowids here are 1..skills + background documents
_PARTS = "d"  # a C double: what SQLite's bm25() computes in

Parts: TypeAlias = "tuple[array[int], array[float]]"


def phrase(term: str) -> str:
    """`term` as one FTS5 phrase (a double quote inside is doubled)."""
    return '"' + term.replace('"', '""') + '"'


def _one_term_sql(weight_args: str) -> str:
    return f"SELECT rowid, bm25(skills, {weight_args}) FROM skills WHERE skills MATCH ?"


def store_parts(conn: sqlite3.Connection, weight_args: str, frequent: int = FREQUENT_DF) -> int:
    """Compute and store the parts of every term in `frequent` rows or more; their count."""
    conn.execute("CREATE TABLE parts(term TEXT PRIMARY KEY, rowids BLOB, scores BLOB)")
    conn.execute("CREATE VIRTUAL TABLE temp.skill_terms USING fts5vocab(main, skills, row)")
    try:
        query = "SELECT term FROM temp.skill_terms WHERE doc >= ?"
        terms = [term for (term,) in conn.execute(query, (frequent,)).fetchall()]
    finally:
        conn.execute("DROP TABLE temp.skill_terms")
    sql = _one_term_sql(weight_args)
    rows = []
    for term in terms:
        found = conn.execute(sql, (phrase(term),)).fetchall()
        rowids = array(_ROWIDS, [rowid for rowid, _ in found])
        scores = array(_PARTS, [-rank for _, rank in found])  # bm25() is the negated score
        rows.append((term, rowids.tobytes(), scores.tobytes()))
    conn.executemany("INSERT INTO parts VALUES (?, ?, ?)", rows)
    return len(rows)


def _stored(conn: sqlite3.Connection, term: str) -> Parts | None:
    row = conn.execute("SELECT rowids, scores FROM parts WHERE term = ?", (term,)).fetchone()
    if row is None:
        return None
    rowids: array[int] = array(_ROWIDS)
    scores: array[float] = array(_PARTS)
    rowids.frombytes(row[0])
    scores.frombytes(row[1])
    return rowids, scores


def _parts_of(
    conn: sqlite3.Connection, term: str, weight_args: str, held: dict[str, Parts | None]
) -> Iterable[tuple[int, float]]:
    if term not in held:
        held[term] = _stored(conn, term)
    stored = held[term]
    if stored is not None:
        return zip(*stored, strict=True)
    found = conn.execute(_one_term_sql(weight_args), (phrase(term),)).fetchall()
    return ((rowid, -rank) for rowid, rank in found)


def best_rows(
    conn: sqlite3.Connection,
    terms: Sequence[str],
    weight_args: str,
    limit: int,
    held: dict[str, Parts | None],
) -> list[tuple[int, float]]:
    """(rowid, BM25 score) of the `limit` best rows for an `OR` of `terms`, best first.

    `held` keeps the decoded parts of the terms seen so far (per index, under its lock).
    """
    totals: dict[int, float] = {}
    get = totals.get
    for term in terms:
        for rowid, part in _parts_of(conn, term, weight_args, held):
            totals[rowid] = get(rowid, 0.0) + part
    return heapq.nlargest(limit, totals.items(), key=itemgetter(1))
