"""The skill index ranks by rowid: the same candidates, scores and order as by slug."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning.core.mining import pattern_id
from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.replay import _write_skill
from hestai_tmws.learning.skill_index import CANDIDATES, COLUMN_WEIGHTS, SkillIndex
from hestai_tmws.project import Project
from tests.learning.core.test_sop import full_pattern

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
    older = SkillIndex.from_bytes(data, index.signature)  # a file without the kept count
    assert older is not None
    older.conn.execute("DELETE FROM meta WHERE key = 'count'")
    again = SkillIndex._adopt(older.conn, index.signature)
    assert again is not None and again.count == 80


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
