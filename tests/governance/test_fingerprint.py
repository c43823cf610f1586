"""Tree fingerprints: any added, removed, changed, re-moded or linked entry changes them."""

from __future__ import annotations

import os
from pathlib import Path

from hestai_tmws.governance.fingerprint import tree_fingerprint


def _tree(root: Path) -> Path:
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "f.txt").write_text("one")
    (root / "g.txt").write_text("two")
    return root


def test_an_untouched_tree_keeps_its_fingerprint(tmp_path: Path) -> None:
    root = _tree(tmp_path / "t")
    assert tree_fingerprint(root) == tree_fingerprint(root)
    assert [e[0] for e in tree_fingerprint(root)] == ["", "/a", "/a/b", "/a/b/f.txt", "/g.txt"]


def test_every_kind_of_change_moves_it(tmp_path: Path) -> None:
    root = _tree(tmp_path / "t")
    deep = root / "a" / "b" / "f.txt"
    changes = [
        lambda: deep.chmod(0o444),  # ctime moves
        lambda: (root / "a" / "new").write_text(""),
        lambda: (root / "g.txt").unlink(),
        lambda: (root / "a" / "link").symlink_to(tmp_path),
        lambda: os.rename(deep, root / "a" / "b" / "h.txt"),
    ]
    for change in changes:
        before = tree_fingerprint(root)
        change()
        assert tree_fingerprint(root) != before


def test_a_same_size_rewrite_moves_it(tmp_path: Path) -> None:
    root = _tree(tmp_path / "t")
    deep = root / "a" / "b" / "f.txt"
    before = tree_fingerprint(root)
    st = deep.lstat()
    deep.write_text("ONE")  # same size, same inode: only the times tell
    os.utime(deep, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a clock tick passed
    assert tree_fingerprint(root) != before


def test_links_are_not_followed_and_a_missing_root_is_empty(tmp_path: Path) -> None:
    outside = _tree(tmp_path / "outside")
    root = tmp_path / "t"
    root.mkdir()
    (root / "link").symlink_to(outside)
    assert [e[0] for e in tree_fingerprint(root)] == ["", "/link"]
    assert tree_fingerprint(tmp_path / "nothing") == ()
