"""`steward.memory_walk`: committed memory files in order, temp files and open sessions left out."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _reference(base: Path, include_active: bool) -> list[tuple[str, Path]]:
    """The walk as it was written first, over `rglob`: the scandir walk must list the same."""
    if not base.is_dir() or base.is_symlink():
        return []
    out = []
    for path in sorted(base.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        rel = path.relative_to(base).as_posix()
        if path.name.startswith(TEMP_PREFIX):
            continue
        if not include_active and rel.startswith("sessions/active/"):
            continue
        out.append((rel, path))
    return out


_NAMES = st.sampled_from(
    ["a", "b", "a-b", "a.md", ".hidden", "B", "sessions", "active", f"{TEMP_PREFIX}t", "é"]
)


@settings(max_examples=80, deadline=None)
@given(
    entries=st.lists(
        st.tuples(
            st.lists(_NAMES, min_size=1, max_size=4),
            st.sampled_from(["file", "link", "dirlink", "broken"]),
        ),
        max_size=14,
    ),
    include_active=st.booleans(),
)
def test_the_walk_lists_what_rglob_lists(
    entries: list[tuple[list[str], str]], include_active: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "m"
        base.mkdir()
        for parts, kind in entries:
            path = base.joinpath(*parts)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if kind == "file":
                    path.write_text("x")
                elif kind == "link":
                    path.symlink_to(base / "a.md")
                elif kind == "dirlink":
                    path.symlink_to(base)
                else:
                    path.symlink_to(base / "nowhere")
            except OSError:
                continue  # a name already taken by another kind: the tree is what it is
        got = list(walk_memory(base, include_active=include_active))
        assert got == _reference(base, include_active)
