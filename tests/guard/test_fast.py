"""The hook's fast path may only say yes when the full check would; and it must be the lean one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws import layout
from hestai_tmws.guard import areas, fast, ledger_reader
from hestai_tmws.guard.precommit import check_staged
from hestai_tmws.project import Project
from hestai_tmws.steward.ledger import Ledger, LedgerEntry, LedgerTamperedError
from tests.guard.support import (
    CONTEXT,
    CONTEXT_ROOT,
    context_doc,
    git,
    steward_delete,
    steward_write,
)


def test_layout_names_mirror_project() -> None:
    assert f"{layout.HESTAI}/{layout.SESSIONS_ACTIVE}/" == areas.ACTIVE_PREFIX
    p = Project(root=Path("/r"), git_dir=Path("/r/.git"), common_dir=Path("/r/.git"))
    assert p.ledger_path == Path("/r/.git", fast.STATE_DIR_NAME, fast.LEDGER_FILE)
    assert p.ledger_key_path == Path("/r/.git", fast.STATE_DIR_NAME, fast.LEDGER_KEY_FILE)


@given(
    st.text(alphabet=st.characters(exclude_characters="\0/"), min_size=1, max_size=12),
    st.text(max_size=20),
)
def test_area_is_decided_by_the_first_segment(first: str, rest: str) -> None:
    guarded = first.casefold() in (".hestai", ".hestai-sys")
    assert (fast.area(f"{first}/{rest}") is not None) == guarded


# -- the ledger reader --------------------------------------------------------------------------

PATHS = st.one_of(
    st.sampled_from([".hestai/a.oct.md", ".hestai/b.jsonl", ".hestai/c/d.md"]),
    st.text(min_size=1, max_size=10).map(lambda t: f".hestai/{t}"),
)
BLOBS = st.text(alphabet="0123456789abcdef", min_size=40, max_size=40)
ENTRIES = st.lists(
    st.tuples(
        PATHS,
        st.one_of(st.none(), BLOBS),
        st.sampled_from(["write", "delete", "adopt"]),
        st.text(max_size=15),
    ),
    min_size=1,
    max_size=12,
)


def _ledger(tmp: Path, entries: list[tuple[str, str | None, str, str]]) -> Ledger:
    ledger = Ledger(tmp / "ledger.jsonl", tmp / "ledger.key")
    ledger.append(LedgerEntry(p, b, op, 1.5, "steward", reason) for p, b, op, reason in entries)
    return ledger


def _full(ledger: Ledger) -> tuple[dict[str, set[str]], dict[str, str]] | None:
    try:
        idx = ledger.index()
    except (LedgerTamperedError, KeyError, TypeError):
        return None
    return idx.blobs, idx.last_op


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=ENTRIES)
def test_reader_matches_the_ledger_index(
    tmp_path_factory: pytest.TempPathFactory, entries: list
) -> None:  # type: ignore[type-arg]
    ledger = _ledger(tmp_path_factory.mktemp("l"), entries)
    assert fast.read_ledger(str(ledger.path), str(ledger.key_path)) == _full(ledger)


FLAT = st.dictionaries(
    st.text(max_size=8),
    st.one_of(
        st.none(),
        st.text(max_size=12),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    max_size=6,
)


@given(FLAT, st.text(max_size=8))
def test_field_reads_what_json_dumps_writes(obj: dict, name: str) -> None:  # type: ignore[type-arg]
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"))
    got = ledger_reader.field(text, name)
    want = obj.get(name, ledger_reader.ABSENT)
    if isinstance(want, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in want):
        assert got in (
            want,
            ledger_reader.ABSENT,
        )  # lone surrogates: may look closer, never misread
    elif want is None or isinstance(want, str):
        assert got == want
    else:
        assert got is ledger_reader.ABSENT  # numbers are not what the ledger reader wants


@pytest.mark.parametrize(
    ("text", "name"),
    [('{"a":1}', "a"), ('{"a":"x}', "a"), ('{"b":"\\"a\\":\\"x\\""}', "a"), ('{"ab":"x"}', "b")],
)
def test_field_refuses_other_shapes(text: str, name: str) -> None:
    assert ledger_reader.field(text, name) is ledger_reader.ABSENT


def _mutations(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    kind = data.draw(st.sampled_from(["flip", "drop", "dup", "swap", "reformat", "forge", "crlf"]))
    i = data.draw(st.integers(0, len(lines) - 1))
    if kind == "flip":
        pos = data.draw(st.integers(0, len(text) - 1))
        ch = data.draw(st.characters(min_codepoint=32, max_codepoint=126))
        return text[:pos] + ch + text[pos + 1 :]
    if kind == "drop":
        return "".join(lines[:i] + lines[i + 1 :])
    if kind == "dup":
        return "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if kind == "swap":
        j = data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines)
    if kind == "reformat":
        lines[i] = json.dumps(json.loads(lines[i]), indent=None) + "\n"
        return "".join(lines)
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    forged = json.loads(lines[i]) | {"blob": "f" * 40}
    return text + json.dumps(forged, separators=(",", ":")) + "\n"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=ENTRIES, data=st.data())
def test_reader_never_accepts_what_the_ledger_refuses(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list,
    data: st.DataObject,  # type: ignore[type-arg]
) -> None:
    ledger = _ledger(tmp_path_factory.mktemp("l"), entries)
    ledger.path.write_text(_mutations(ledger.path.read_text(), data))
    quick = fast.read_ledger(str(ledger.path), str(ledger.key_path))
    if quick is not None:
        assert quick == _full(ledger)


def test_reader_without_key_looks_closer(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, [(".hestai/a.md", "a" * 40, "write", "")])
    ledger.key_path.unlink()
    assert fast.read_ledger(str(ledger.path), str(ledger.key_path)) is None
    assert fast.read_ledger(str(tmp_path / "none.jsonl"), str(ledger.key_path)) == ({}, {})


# -- verdicts in real repositories --------------------------------------------------------------


def _both(project: Project) -> tuple[bool, bool]:
    return fast.quick_verdict(str(project.root)), check_staged(project).ok


@pytest.fixture
def memory(project: Project) -> Project:
    steward_write(project, CONTEXT, context_doc())
    git(project.root, "commit", "-q", "-m", "memory")
    return project


def _edit(project: Project) -> None:
    f = project.root / CONTEXT_ROOT
    f.write_text(f.read_text().replace("build", "ship"))
    git(project.root, "add", CONTEXT_ROOT)


def test_clean_and_unrelated_commits_are_fast(memory: Project) -> None:
    assert _both(memory) == (True, True)
    (memory.root / "x.py").write_text("1\n")
    git(memory.root, "add", "x.py")
    assert _both(memory) == (True, True)
    steward_write(memory, CONTEXT, context_doc(owner="x"))
    assert _both(memory) == (True, True)


def test_steward_delete_is_fast(memory: Project) -> None:
    steward_delete(memory, CONTEXT)
    assert _both(memory) == (True, True)


@pytest.mark.parametrize("case", ["edit", "chmod", "symlink", "delete", "sys", "active", "new"])
def test_refusals_are_never_fast(memory: Project, case: str) -> None:
    root = memory.root
    if case == "edit":
        _edit(memory)
    elif case == "chmod":
        git(root, "update-index", "--chmod=+x", CONTEXT_ROOT)
    elif case == "symlink":
        (root / ".hestai/l.md").symlink_to("context/project-context.oct.md")
        git(root, "add", ".hestai/l.md")
    elif case == "delete":
        git(root, "rm", "-q", CONTEXT_ROOT)
    elif case == "sys":
        (root / ".hestai-sys").mkdir()
        (root / ".hestai-sys/x").write_text("x")
        git(root, "add", "-f", ".hestai-sys/x")
    elif case == "active":
        (root / ".hestai/sessions/active/a").mkdir(parents=True)
        (root / ".hestai/sessions/active/a/s.json").write_text("{}")
        git(root, "add", "-f", ".hestai/sessions/active/a/s.json")
    else:
        (root / ".hestai/new.md").write_text("x\n")
        git(root, "add", ".hestai/new.md")
    assert _both(memory) == (False, False)


def test_merge_in_progress_always_looks_closer(memory: Project) -> None:
    git(memory.root, "checkout", "-q", "-b", "side")
    steward_write(memory, CONTEXT, context_doc(owner="side"))
    git(memory.root, "commit", "-q", "-m", "side")
    git(memory.root, "checkout", "-q", "main")
    git(memory.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    assert _both(memory) == (False, True)  # the full check accepts the merged blob


def test_outside_a_repository(tmp_path: Path) -> None:
    assert fast.quick_verdict(str(tmp_path)) is False
    assert fast.git_output("no-such-command") is None


def test_clean_commit_loads_nothing_heavy(memory: Project) -> None:
    steward_write(memory, CONTEXT, context_doc(owner="x"))
    code = (
        "import json, sys\n"
        "from hestai_tmws.guard.__main__ import main\n"
        "rc = main(['pre-commit'])\n"
        "print(json.dumps([rc, sorted(sys.modules)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code],
        cwd=memory.root,
        capture_output=True,
        text=True,
        check=True,
    )
    rc, modules = json.loads(out.stdout)
    assert rc == 0
    heavy = {"dataclasses", "pathlib", "subprocess", "typing", "hestai_tmws.guard.precommit"}
    assert not heavy & set(modules)


@pytest.mark.parametrize("name", ["\x1f", 'a"b', "x\\y", "\n", "é", "😀"])
def test_field_reads_keys_json_escapes(name: str) -> None:
    text = json.dumps({name: "v", "z": None}, sort_keys=True, separators=(",", ":"))
    assert ledger_reader.field(text, name) == "v"


# -- the remembered index -----------------------------------------------------------------------


def _read(ledger: Ledger, index: Path) -> tuple[dict[str, set[str]], dict[str, str]] | None:
    return fast.read_ledger(str(ledger.path), str(ledger.key_path), str(index))


def test_remembered_index_equals_a_full_read_as_the_ledger_grows(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, [(".hestai/a.md", "a" * 40, "write", "")])
    index = tmp_path / "cache" / "ledger-index.marshal"
    assert _read(ledger, index) == _full(ledger)
    assert index.is_file()
    for i in range(3):
        ledger.append([LedgerEntry(f".hestai/{i}.md", f"{i}" * 40, "write", 2.0)])
        assert _read(ledger, index) == _full(ledger)
    ledger.append([LedgerEntry(".hestai/a.md", None, "delete", 3.0)])
    assert _read(ledger, index) == _full(ledger)


def test_remembered_index_is_not_trusted_after_a_rewrite(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, [(".hestai/a.md", "a" * 40, "write", "")] * 3)
    index = tmp_path / "ledger-index.marshal"
    assert _read(ledger, index) is not None
    ledger.compact(keep=1)  # a new file: the remembered length means nothing now
    ledger.append([LedgerEntry(".hestai/b.md", "b" * 40, "write", 2.0)])
    assert _read(ledger, index) == _full(ledger)


def test_a_forged_or_damaged_index_is_ignored(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, [(".hestai/a.md", "a" * 40, "write", "")])
    index = tmp_path / "ledger-index.marshal"
    assert _read(ledger, index) is not None
    raw = index.read_bytes()
    forged = raw.replace(b"a" * 40, b"f" * 40)
    index.write_bytes(forged)
    assert _read(ledger, index) == _full(ledger)  # the seal does not match: verified anew
    index.write_bytes(raw[:10])
    assert _read(ledger, index) == _full(ledger)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=ENTRIES, data=st.data())
def test_remembered_index_never_accepts_what_the_ledger_refuses(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list,
    data: st.DataObject,  # type: ignore[type-arg]
) -> None:
    tmp = tmp_path_factory.mktemp("l")
    ledger = _ledger(tmp, entries)
    index = tmp / "ledger-index.marshal"
    _read(ledger, index)  # remembered before the hand edit
    text = ledger.path.read_text()
    with ledger.path.open("r+") as fh:  # edited in place: same inode
        fh.write(_mutations(text, data))
        fh.truncate()
    quick = _read(ledger, index)
    if quick is not None:
        assert quick == _full(ledger)
