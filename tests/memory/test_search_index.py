"""The index itself: kept in the git directory, rebuilt when broken or of an older schema."""

from __future__ import annotations

from hestai_tmws.memory.search_index import connect, index_path, refresh
from hestai_tmws.project import Project
from tests.memory.archive_support import write_archive


def test_the_index_lives_in_the_git_dir_not_the_work_tree(ready: Project) -> None:
    write_archive(ready, "abcd1234ef56", summary="one")
    with connect(ready) as db:
        stats = refresh(db, ready)
    assert index_path(ready).is_relative_to(ready.common_dir)
    assert stats.indexed >= 1 and stats.files >= stats.indexed


def test_an_old_schema_is_rebuilt(ready: Project) -> None:
    with connect(ready) as db:
        refresh(db, ready)
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        db.commit()
    with connect(ready) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 0
        assert refresh(db, ready).indexed > 0
