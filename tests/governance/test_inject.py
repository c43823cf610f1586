"""Injection into .hestai-sys: from scratch, no-op, healing, hub changes and refusals."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import PathRejectedError, TmwsError, UsageError, ValidationError
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.status import (
    MANIFEST_FILE,
    OLD_PREFIX,
    SYS_VERSION_FILE,
    TMP_PREFIX,
    verify_governance,
)
from hestai_tmws.project import Project
from tests.conftest import REPO_ROOT, make_repo
from tests.governance.conftest import BUNDLED, hub_files, make_writable, tree_bytes


def _installed(project: Project) -> dict[str, bytes]:
    return {
        k: v[0]
        for k, v in tree_bytes(project.hestai_sys).items()
        if not k.endswith("/") and k not in (SYS_VERSION_FILE, MANIFEST_FILE)
    }


def test_inject_from_scratch_copies_the_hub_read_only(project: Project) -> None:
    result = inject(project)
    assert result.action == "created"
    assert result.version == "1.0.0" and result.hub_source == "bundled"
    assert result.previous_version is None and result.healed == []
    sys_dir = project.hestai_sys
    assert _installed(project) == hub_files(BUNDLED)
    assert result.files == len(hub_files(BUNDLED))
    assert (sys_dir / SYS_VERSION_FILE).read_text() == "1.0.0\n"
    manifest = json.loads((sys_dir / MANIFEST_FILE).read_text())
    assert manifest["version"] == "1.0.0" and manifest["algorithm"] == "sha256"
    assert set(manifest["files"]) == set(hub_files(BUNDLED))
    for rel, (_data, mode) in tree_bytes(sys_dir).items():
        assert mode == (0o555 if rel.endswith("/") else 0o444), rel
    assert stat.S_IMODE(sys_dir.stat().st_mode) == 0o555
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".hestai-sys")] == [
        ".hestai-sys"
    ]
    status = verify_governance(project)
    assert status.ok and status.current and status.problems() == []
    assert "created" in result.summary()


def test_second_inject_is_a_no_op(project: Project) -> None:
    inject(project)
    before = tree_bytes(project.hestai_sys)
    inode = project.hestai_sys.stat().st_ino
    result = inject(project)
    assert result.action == "unchanged" and result.healed == []
    assert result.previous_version == "1.0.0"
    assert project.hestai_sys.stat().st_ino == inode  # not rebuilt
    assert tree_bytes(project.hestai_sys) == before
    assert result.summary().startswith("unchanged")


def test_force_rebuilds_an_intact_tree(project: Project) -> None:
    inject(project)
    inode = project.hestai_sys.stat().st_ino
    result = inject(project, force=True)
    assert result.action == "rebuilt"
    assert project.hestai_sys.stat().st_ino != inode
    assert _installed(project) == hub_files(BUNDLED)


def _tamper_modify(p: Path) -> str:
    target = p / "agents" / "critical-engineer.oct.md"
    target.chmod(0o644)
    target.write_text(target.read_text().replace("Soften a critical", "Sharpen a critical"))
    return "agents/critical-engineer.oct.md"


def _tamper_add(p: Path) -> str:
    (p / "agents" / "yes-man.oct.md").write_text("===AGENT_DEFINITION===\n===END===\n")
    return "agents/yes-man.oct.md"


def _tamper_delete(p: Path) -> str:
    (p / "governance" / "rules" / "visibility-rules.oct.md").unlink()
    return "governance/rules/visibility-rules.oct.md"


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [(_tamper_modify, "changed"), (_tamper_add, "added"), (_tamper_delete, "missing")],
)
def test_tampering_is_detected_then_healed(project: Project, tamper, kind: str) -> None:  # type: ignore[no-untyped-def]
    inject(project)
    make_writable(project.hestai_sys)
    rel = tamper(project.hestai_sys)
    status = verify_governance(project)
    assert not status.ok and status.tampered
    assert getattr(status, kind) == [rel]
    assert status.problems() == [f".hestai-sys/{rel} was {kind}"]
    assert [f.code for f in status.findings()] == ["GOV_TAMPERED"]
    assert verify_governance(project) == status  # verify changes nothing
    result = inject(project)
    assert result.action == "healed"
    assert result.healed == [rel] and getattr(result, kind) == [rel]
    assert _installed(project) == hub_files(BUNDLED)
    assert verify_governance(project).ok
    for _rel, (_data, mode) in tree_bytes(project.hestai_sys).items():
        assert mode in (0o444, 0o555)


def test_tampered_meta_files_are_healed(project: Project) -> None:
    inject(project)
    make_writable(project.hestai_sys)
    (project.hestai_sys / SYS_VERSION_FILE).chmod(0o644)
    (project.hestai_sys / SYS_VERSION_FILE).write_text("9.9.9\n")
    (project.hestai_sys / MANIFEST_FILE).unlink()
    status = verify_governance(project)
    assert (status.changed, status.missing, status.added) == (
        [SYS_VERSION_FILE],
        [MANIFEST_FILE],
        [],
    )
    result = inject(project)
    assert result.action == "healed" and MANIFEST_FILE in result.healed
    assert verify_governance(project).ok


def test_forged_manifest_does_not_hide_a_change(project: Project) -> None:
    """Editing a file and its manifest entry together still differs from the hub."""
    inject(project)
    make_writable(project.hestai_sys)
    _tamper_modify(project.hestai_sys)
    manifest_path = project.hestai_sys / MANIFEST_FILE
    manifest_path.chmod(0o644)
    manifest = json.loads(manifest_path.read_text())
    data = (project.hestai_sys / "agents/critical-engineer.oct.md").read_bytes()
    manifest["files"]["agents/critical-engineer.oct.md"] = hashlib.sha256(data).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    (project.hestai_sys / "agents/critical-engineer.oct.md").chmod(0o444)
    status = verify_governance(project)
    assert not status.tampered and not status.current and not status.ok
    assert [f.code for f in status.findings()] == ["GOV_OUTDATED"]
    assert inject(project).action == "updated"
    assert _installed(project) == hub_files(BUNDLED)


def test_a_symlink_planted_inside_is_removed_without_following_it(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    inject(project)
    make_writable(project.hestai_sys)
    (project.hestai_sys / "templates" / "link").symlink_to(outside)
    assert verify_governance(project).added == ["templates/link"]
    assert inject(project).healed == ["templates/link"]
    assert (outside / "keep.txt").read_text() == "keep"
    assert stat.S_IMODE(outside.stat().st_mode) != 0o555


OPS = st.lists(
    st.tuples(
        st.sampled_from(["modify", "delete", "add", "chmod"]),
        st.sampled_from(sorted(hub_files(BUNDLED))),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_any_tampering_is_healed_back_to_the_hub(
    project: Project, ops: list[tuple[str, str]]
) -> None:
    inject(project)
    root = project.hestai_sys
    make_writable(root)
    for op, rel in ops:
        path = root / rel
        if op == "modify" and path.exists():
            path.chmod(0o644)
            path.write_bytes(path.read_bytes() + b"// extra\n")
        elif op == "delete" and path.exists():
            path.unlink()
        elif op == "add":
            (path.parent / ("new-" + path.name)).write_text("x")
        elif op == "chmod" and path.exists():
            path.chmod(0o666)
    inject(project)
    assert _installed(project) == hub_files(BUNDLED)
    assert verify_governance(project).ok


def test_custom_hub_from_settings_file_and_update(project: Project, hub_copy: Path) -> None:
    project.config_file.write_text(f"hub: {os.path.relpath(hub_copy, project.root)}\n")
    assert inject(project).hub_source == "setting"
    (hub_copy / "VERSION").write_text("1.1.0\n")
    extra = hub_copy / "governance" / "rules" / "extra-rule.oct.md"
    extra.write_text("===EXTRA===\nMETA:\n  TYPE::EXTRA\n---\n§1::A\n  X::1\n===END===\n")
    status = verify_governance(project)
    assert not status.ok and not status.tampered and status.hub_version == "1.1.0"
    result = inject(project)
    assert (result.action, result.previous_version, result.version) == ("updated", "1.0.0", "1.1.0")
    assert result.healed == []
    assert _installed(project) == hub_files(hub_copy)
    assert verify_governance(project).ok


def test_custom_hub_from_environment(
    project: Project, hub_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (hub_copy / "VERSION").write_text("2.0.0-team\n")
    monkeypatch.setenv("TMWS_HUB", str(hub_copy))
    result = inject(project)
    assert (result.hub_source, result.version) == ("env", "2.0.0-team")
    assert (project.hestai_sys / SYS_VERSION_FILE).read_text() == "2.0.0-team\n"


def test_explicit_hub_argument(project: Project, hub_copy: Path) -> None:
    result = inject(project, hub=hub_copy)
    assert result.hub_source == "argument" and result.hub == str(hub_copy.resolve())


def test_malformed_hub_leaves_the_installed_tree_untouched(
    project: Project, hub_copy: Path
) -> None:
    inject(project, hub=hub_copy)
    before = tree_bytes(project.hestai_sys)
    bad = hub_copy / "agents" / "technical-architect.oct.md"
    bad.write_text(bad.read_text().replace("===END===\n", ""), encoding="utf-8")
    bad.write_text(bad.read_text() + "  BROKEN: value\n")
    with pytest.raises(ValidationError) as err:
        inject(project, hub=hub_copy)
    assert "agents/technical-architect.oct.md" in err.value.message
    assert tree_bytes(project.hestai_sys) == before
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".hestai-sys")) == [
        ".hestai-sys"
    ]


def test_malformed_hub_on_first_inject_creates_nothing(project: Project, hub_copy: Path) -> None:
    (hub_copy / "templates" / "report.oct.md").write_text("===REPORT===\n\tTAB::1\n===END===\n")
    with pytest.raises(ValidationError, match=r"templates/report\.oct\.md"):
        inject(project, hub=hub_copy)
    assert not any(p.name.startswith(".hestai-sys") for p in project.root.iterdir())


def test_symlinked_hestai_sys_is_refused(project: Project, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project.hestai_sys.symlink_to(elsewhere)
    with pytest.raises(PathRejectedError, match="symbolic link"):
        inject(project)
    assert list(elsewhere.iterdir()) == []
    assert project.hestai_sys.is_symlink()
    status = verify_governance(project)
    assert not status.ok and "symbolic link" in (status.error or "")


def test_hestai_sys_as_a_file_is_refused(project: Project) -> None:
    project.hestai_sys.write_text("not a folder")
    with pytest.raises(PathRejectedError, match="not a folder"):
        inject(project)
    assert project.hestai_sys.read_text() == "not a folder"


def test_hub_inside_hestai_sys_is_refused(project: Project) -> None:
    inject(project)
    with pytest.raises(UsageError, match=r"inside \.hestai-sys"):
        inject(project, hub=project.hestai_sys, force=True)


def test_leftovers_of_a_crashed_inject_are_swept(project: Project) -> None:
    inject(project)
    for prefix in (TMP_PREFIX, OLD_PREFIX):
        leftover = project.root / f"{prefix}crashed"
        (leftover / "agents").mkdir(parents=True)
        (leftover / "agents" / "x").write_text("x")
        os.chmod(leftover / "agents" / "x", 0o444)
        os.chmod(leftover / "agents", 0o555)
    result = inject(project, force=True)
    assert result.swept == sorted([f"{TMP_PREFIX}crashed", f"{OLD_PREFIX}crashed"])
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".hestai-sys")) == [
        ".hestai-sys"
    ]


def test_concurrent_injects_leave_one_intact_tree(tmp_path: Path) -> None:
    project = Project.discover(make_repo(tmp_path / "repo"))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            inject(project, force=True)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert verify_governance(project).ok
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".hestai-sys")) == [
        ".hestai-sys"
    ]


# -- read-only project folder ---------------------------------------------------------------

_READ_ONLY_SCRIPT = """
import json, sys
from hestai_tmws.errors import TmwsError
from hestai_tmws.governance.inject import inject
from hestai_tmws.project import Project
try:
    inject(Project.discover(sys.argv[1]), force=True)
    print(json.dumps({"ok": True}))
except TmwsError as exc:
    out = {"type": type(exc).__name__, "message": exc.message, "hint": exc.hint}
    print(json.dumps({"ok": False, **out}))
"""
_PR_CAPBSET_DROP = 24
_DAC_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _drop_dac_capabilities() -> None:
    """In the child before exec: without these, root obeys file modes like everyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _inject_in_read_only_root(root: Path) -> dict[str, object]:
    """Run inject in a child process while the project folder is read-only (0o555)."""
    as_root = os.geteuid() == 0
    root.chmod(0o555)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _READ_ONLY_SCRIPT, str(root)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
            preexec_fn=_drop_dac_capabilities if as_root else None,
        )
    except subprocess.SubprocessError as exc:  # pragma: no cover - depends on the sandbox
        pytest.skip(f"cannot drop root's file-permission override here: {exc}")
    finally:
        root.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_read_only_project_folder_is_a_clear_error(repo: Path) -> None:
    outcome = _inject_in_read_only_root(repo)
    assert outcome["ok"] is False
    assert outcome["type"] == "TmwsError"
    assert "cannot write .hestai-sys" in str(outcome["message"])
    assert "writable" in str(outcome["hint"])
    assert not any(p.name.startswith(".hestai-sys") for p in repo.iterdir())


def test_read_only_project_folder_keeps_a_tampered_tree_as_it_was(project: Project) -> None:
    inject(project)
    make_writable(project.hestai_sys)
    _tamper_add(project.hestai_sys)
    before = tree_bytes(project.hestai_sys)
    outcome = _inject_in_read_only_root(project.root)
    assert outcome["ok"] is False and "cannot write .hestai-sys" in str(outcome["message"])
    assert tree_bytes(project.hestai_sys) == before
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".hestai-sys")) == [
        ".hestai-sys"
    ]


def test_errors_are_tmws_errors() -> None:
    assert issubclass(PathRejectedError, TmwsError) and issubclass(ValidationError, TmwsError)


# -- the no-op fast path: an intact tree that has not moved is not checked again ----------------


def _count_hub_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    inject_module = sys.modules[inject.__module__]  # the package exports the function
    reads: list[int] = []
    real = inject_module.read_hub
    monkeypatch.setattr(inject_module, "read_hub", lambda loc: reads.append(1) or real(loc))
    return reads


def _later(path: Path) -> None:
    """Move `path`'s mtime on: the clock's tick may be coarser than a fast test."""
    st = path.lstat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000), follow_symlinks=False)


def test_an_unmoved_intact_tree_is_not_checked_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    inject(project)
    assert inject(project).action == "unchanged"  # the full check, remembered
    reads = _count_hub_reads(monkeypatch)
    again = inject(project)
    assert reads == [] and again.action == "unchanged"
    assert again == inject(project, force=False) and again.files == len(hub_files(BUNDLED))


def test_a_file_changed_in_place_after_a_cached_check_is_healed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    inject(project)
    assert inject(project).action == "unchanged"
    reads = _count_hub_reads(monkeypatch)
    target = project.hestai_sys / "agents" / "critical-engineer.oct.md"
    make_writable(project.hestai_sys)
    data = target.read_bytes()
    target.write_bytes(data.replace(b"Soften", b"Sharpe"))  # same size, same inode
    _later(target)
    result = inject(project)
    assert reads == [1] and result.action == "healed"
    assert result.healed == ["agents/critical-engineer.oct.md"]
    assert target.read_bytes() == data


def test_a_file_made_writable_after_a_cached_check_is_resealed(project: Project) -> None:
    inject(project)
    inject(project)
    target = project.hestai_sys / "agents" / "critical-engineer.oct.md"
    target.chmod(0o644)  # moves ctime: no tick needed
    result = inject(project)
    assert result.action == "healed" and stat.S_IMODE(target.stat().st_mode) == 0o444


def test_a_changed_hub_is_seen_after_a_cached_check(
    project: Project, hub_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMWS_HUB", str(hub_copy))
    inject(project)
    assert inject(project).action == "unchanged"
    version = hub_copy / "VERSION"
    version.write_text("1.0.1\n")  # the hub re-released in place, same size
    _later(version)
    result = inject(project)
    assert (result.action, result.version) == ("updated", "1.0.1")
    assert inject(project).action == "unchanged"
    monkeypatch.delenv("TMWS_HUB")  # another hub altogether: another key
    assert inject(project).action == "updated"


def test_a_reinjected_tree_is_checked_again(project: Project) -> None:
    inject(project)
    inject(project)
    inject(project, force=True)  # a new tree (new inodes) under the same name
    target = project.hestai_sys / "agents" / "critical-engineer.oct.md"
    make_writable(project.hestai_sys)
    target.unlink()
    assert inject(project).action == "healed" and target.is_file()
