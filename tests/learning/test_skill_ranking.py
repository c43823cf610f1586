"""The skill index ranks by rowid and by stored BM25 parts: the same candidates, scores and
order as FTS5's own query by slug."""

from __future__ import annotations

import random
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning import skill_ranking
from hestai_tmws.learning.core.mining import pattern_id
from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.replay import _write_skill
from hestai_tmws.learning.skill_index import (
    CANDIDATES,
    COLUMN_WEIGHTS,
    INDEX_CACHE,
    SkillIndex,
    load_index,
)
from hestai_tmws.learning.skill_ranking import best_rows, store_parts
from hestai_tmws.project import Project
from tests.learning.core.test_sop import full_pattern
from tests.learning.index_support import (  # noqa: F401 (fixtures)
    fresh_memo_fixture,
    two_skills_fixture,
)

WORDS = ("pytest", "ruff", "mypy", "commit", "push", "docker", "helm", "npm", "cargo", "test")
TOKENS = tuple(f"Bash:{w}" for w in WORDS)


def _pattern(rng: random.Random, n: int) -> MinedPattern:
    tokens = tuple(rng.sample(TOKENS, rng.randint(2, 5)))
    update = {"id": pattern_id("ns", (*tokens, str(n))), "namespace": "ns", "tokens": tokens}
    update |= {"failed_steps": (0,) * len(tokens), "variants": ()}
    return full_pattern().model_copy(update=update)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SkillIndex:
    root = tmp_path_factory.mktemp("ranking")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    project = Project.discover(root)
    rng = random.Random(3)
    for n in range(80):  # few words, many skills: ties at the candidate limit
        _write_skill(project, _pattern(rng, n), {})  # as the replay writes its skills
    index_mod._MEMO.clear()
    return index_mod.load_index(project)


def _by_slug(index: SkillIndex, terms: list[str]) -> list[tuple[str, float]]:
    """The ranking as it was done before: the slug column read for every match."""
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    sql = (
        f"SELECT i.slug, m.rank FROM (SELECT slug, bm25(skills, {weights}) AS rank "
        "FROM skills WHERE skills MATCH ? ORDER BY rank LIMIT ?) AS m "
        "JOIN info AS i ON i.slug = m.slug"
    )
    return index.conn.execute(sql, (index_mod._fts_query(terms), CANDIDATES)).fetchall()


def test_every_skill_row_has_its_text_rows_rowid(index: SkillIndex) -> None:
    joined = index.conn.execute(
        "SELECT count(*) FROM info AS i JOIN skills AS s ON s.rowid = i.rowid WHERE s.slug = i.slug"
    ).fetchone()[0]
    assert index.count == 80 and joined == index.count


def test_the_kept_count_is_the_number_of_skills(index: SkillIndex, tmp_path: Path) -> None:
    data = index.to_bytes()
    path = tmp_path / "index.sqlite"
    path.write_bytes(data)
    opened = SkillIndex.open_file(path, index.signature)
    assert opened is not None and opened.count == 80


@settings(max_examples=150, deadline=None)
@given(
    terms=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6, unique=True),
    limit=st.integers(min_value=1, max_value=CANDIDATES),
    threshold=st.sampled_from([0.0, 0.1, 0.5]),
)
def test_search_matches_the_ranking_by_slug(
    index: SkillIndex, terms: list[str], limit: int, threshold: float
) -> None:
    reference = []
    for slug, rank in _by_slug(index, terms):
        raw = max(0.0, -float(rank))
        score = raw / (raw + 1.0)
        if score >= threshold:
            reference.append((slug, round(score, 4)))
    reference.sort(key=lambda item: (-item[1], item[0]))
    found = [(row.slug, score) for row, score in index.search(terms, {}, limit, threshold)]
    assert found == reference[:limit]


WEIGHTS = ", ".join(str(w) for w in index_mod.COLUMN_WEIGHTS)
PART_WORDS = ["pytest", "ruff", "docker", "compose", "git", "push", "helm", "naïve", "x_y"]
_FTS_OR = (
    f"SELECT rowid, bm25(skills, {WEIGHTS}) AS rank FROM skills WHERE skills MATCH ? ORDER BY rank"
)

texts = st.lists(st.sampled_from(PART_WORDS), min_size=0, max_size=12).map(" ".join)
docs_of = st.lists(st.tuples(texts, texts, texts), min_size=1, max_size=40)
queries = st.lists(st.sampled_from([*PART_WORDS, "absent"]), min_size=1, max_size=6)


def _index(docs: list[tuple[str, str, str]], frequent: int) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE skills USING fts5(slug UNINDEXED, name, description, body, "
        "tokenize=\"unicode61 tokenchars '_'\")"
    )
    conn.executemany(
        "INSERT INTO skills(rowid, slug, name, description, body) VALUES (?, ?, ?, ?, ?)",
        [(n, f"s{n}", *doc) for n, doc in enumerate(docs, 1)],
    )
    store_parts(conn, WEIGHTS, frequent)
    return conn


def _fts_scores(conn: sqlite3.Connection, terms: list[str]) -> dict[int, float]:
    query = " OR ".join(skill_ranking.phrase(t) for t in terms)
    return {rowid: -rank for rowid, rank in conn.execute(_FTS_OR, (query,)).fetchall()}


@settings(max_examples=150, deadline=None)
@given(docs=docs_of, terms=queries, frequent=st.integers(min_value=1, max_value=8))
def test_parts_sum_to_fts5s_own_bm25_score(
    docs: list[tuple[str, str, str]], terms: list[str], frequent: int
) -> None:
    """Stored (frequent) and asked-for (rare) terms alike: every matching row, same score."""
    conn = _index(docs, frequent)
    expected = _fts_scores(conn, terms)
    got = dict(best_rows(conn, terms, WEIGHTS, len(docs) + 1, {}))
    assert got.keys() == expected.keys()
    for rowid, score in expected.items():
        assert got[rowid] == pytest.approx(score, rel=1e-12, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(docs=docs_of, terms=queries)
def test_the_best_rows_come_best_first(docs: list[tuple[str, str, str]], terms: list[str]) -> None:
    conn = _index(docs, 2)
    best = best_rows(conn, terms, WEIGHTS, 5, {})
    scores = [score for _, score in best]
    assert scores == sorted(scores, reverse=True)
    everything = sorted(_fts_scores(conn, terms).values(), reverse=True)
    assert scores == pytest.approx(everything[:5], rel=1e-12, abs=1e-15)


def test_frequent_terms_are_stored_and_rare_ones_are_not() -> None:
    docs = [("docker compose", "", ""), ("docker", "", "helm"), ("docker push", "", "")]
    conn = _index(docs, 2)
    stored = {term for (term,) in conn.execute("SELECT term FROM parts")}
    assert stored == {"docker"}  # compose, helm and push are in one row each
    held: dict[str, skill_ranking.Parts | None] = {}
    best_rows(conn, ["docker", "helm"], WEIGHTS, 3, held)
    assert held["docker"] is not None and held["helm"] is None


def test_an_index_from_before_the_stored_parts_is_rebuilt(two_skills: Project) -> None:
    """A cache file of the previous format (no `format` in meta, no parts) is not adopted."""
    built = load_index(two_skills)
    old = sqlite3.connect(":memory:")
    old.deserialize(built.to_bytes())
    old.execute("DELETE FROM meta WHERE key = 'format'")
    old.execute("DROP TABLE parts")
    old.commit()
    cache = two_skills.cache_dir / INDEX_CACHE
    cache.write_bytes(bytes(old.serialize()))
    assert SkillIndex.open_file(cache, built.signature) is None
    index_mod._MEMO.clear()
    again = load_index(two_skills)
    assert again.conn.execute("SELECT count(*) FROM parts").fetchone() is not None
    assert again.search(["docker"], {}, 3, 0.0)


def test_suggestions_rank_as_the_fts5_query_did(two_skills: Project) -> None:
    """Through the index: the candidates and their order are FTS5's own for the same words."""
    built = load_index(two_skills)
    terms = ["docker", "compose", "pytest", "commit"]
    expected = [
        slug
        for rowid, _ in sorted(_fts_scores(built.conn, terms).items(), key=lambda kv: -kv[1])
        for slug in [built._info([rowid]).get(rowid, ("#",))[0]]
        if slug != "#"
    ]
    got = [row.slug for row, _ in built.search(terms, {}, 10, 0.0)]
    assert got == expected[: len(got)] and got
