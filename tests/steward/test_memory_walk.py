"""`steward.memory_walk`: committed memory files in order, temp files and open sessions left out."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.layout import TEMP_PREFIX
from hestai_tmws.steward.memory_walk import walk_memory


def test_the_walk_is_sorted_and_skips_temp_files_and_open_sessions(tmp_path: Path) -> None:
    for rel in ("b/x.md", "a.md", f"b/{TEMP_PREFIX}y", "sessions/active/s1/session.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert [rel for rel, _ in walk_memory(tmp_path)] == ["a.md", "b/x.md"]
    everything = [rel for rel, _ in walk_memory(tmp_path, include_active=True)]
    assert everything == ["a.md", "b/x.md", "sessions/active/s1/session.json"]


def test_no_folder_or_a_linked_one_walks_nothing(tmp_path: Path) -> None:
    assert list(walk_memory(tmp_path / "none")) == []
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.md").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert list(walk_memory(tmp_path / "link")) == []


def test_the_order_is_that_of_sorted_paths(tmp_path: Path) -> None:
    """Sorted by parts, as `Path` sorts: `a/b/x` before `a/b-c`, unlike the strings."""
    for rel in ("a/b/x.md", "a/b-c", "a/b.md", "a-b/z", "A/q", "a/b/y/z.md", "ab"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    expected = [p for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert [path for _, path in walk_memory(tmp_path)] == expected
    assert [rel for rel, _ in walk_memory(tmp_path)].index("a/b/x.md") < [
        rel for rel, _ in walk_memory(tmp_path)
    ].index("a/b-c")
