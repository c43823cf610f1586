"""`tmws adopt`: validation like a Steward write, all-or-nothing, logged, and the commit passes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hestai_tmws.errors import PathRejectedError, UsageError, ValidationError
from hestai_tmws.gitio import blob_id
from hestai_tmws.guard.adopt import adopt
from hestai_tmws.steward import Steward
from hestai_tmws.steward.provenance import provenance_rel
from tests.guard.support import CONTEXT_ROOT, Guarded, assert_passed, context_doc, git

LOG = ".hestai/adoptions.jsonl"


def _edit(g: Guarded, rel: str = CONTEXT_ROOT, text: str | None = None) -> bytes:
    f = g.path(rel)
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(text if text is not None else context_doc(owner="by hand"))
    return f.read_bytes()


def _ledger_knows(g: Guarded, rel: str, blob: str) -> bool:
    return Steward(g.project).ledger.index().knows(rel, blob)


def test_adopt_records_ledger_and_log(guarded: Guarded) -> None:
    data = _edit(guarded)
    result = adopt(guarded.project, [CONTEXT_ROOT], reason="owner changed", cwd=guarded.root)
    blob = blob_id(data)
    assert [(a.path, a.op, a.blob, a.doc_type) for a in result.adopted] == [
        (CONTEXT_ROOT, "adopt", blob, "context")
    ]
    assert _ledger_knows(guarded, CONTEXT_ROOT, blob)
    (record,) = [json.loads(x) for x in guarded.path(LOG).read_text().splitlines()]
    assert record["path"] == CONTEXT_ROOT and record["blob"] == blob
    assert record["reason"] == "owner changed" and record["op"] == "adopt"
    assert record["actor"] == "Test Author" and record["email"] == "author@example.invalid"
    assert record["ts"].endswith("Z")
    staged = git(guarded.root, "diff", "--cached", "--name-only").split()
    assert sorted(staged) == [LOG, CONTEXT_ROOT, f".hestai/{provenance_rel()}"]
    assert_passed(guarded.commit())


def test_adopt_paths_relative_to_the_current_folder(guarded: Guarded) -> None:
    _edit(guarded)
    sub = guarded.path(".hestai/context")
    adopt(guarded.project, ["project-context.oct.md"], reason="r", cwd=sub)
    assert_passed(guarded.commit())


def test_reason_is_required(guarded: Guarded) -> None:
    _edit(guarded)
    with pytest.raises(UsageError, match="reason"):
        adopt(guarded.project, [CONTEXT_ROOT], reason="  ", cwd=guarded.root)


def test_invalid_octave_is_refused_and_nothing_recorded(guarded: Guarded) -> None:
    data = _edit(guarded, text="===PROJECT_CONTEXT===\nKEY: single colon\n===END===\n")
    with pytest.raises(ValidationError, match="line"):
        adopt(guarded.project, [CONTEXT_ROOT], reason="r", cwd=guarded.root)
    assert not _ledger_knows(guarded, CONTEXT_ROOT, blob_id(data))
    assert not guarded.path(LOG).exists()


def test_wrong_envelope_is_refused(guarded: Guarded) -> None:
    _edit(guarded, text=context_doc().replace("PROJECT_CONTEXT", "SOMETHING_ELSE"))
    with pytest.raises(ValidationError, match="envelope"):
        adopt(guarded.project, [CONTEXT_ROOT], reason="r", cwd=guarded.root)


@pytest.mark.parametrize(
    "rel",
    [
        ".hestai/random/x.oct.md",  # no routing rule
        ".hestai/context/notes.oct.md",  # context folder, name not routed
        ".hestai/workflow/decisions/no-number.oct.md",  # breaks the decision pattern
        ".hestai/Context/project-context.oct.md",  # naming standard
        ".hestai/context/x.txt",  # suffix
    ],
)
def test_misplaced_files_are_refused(guarded: Guarded, rel: str) -> None:
    _edit(guarded, rel)
    with pytest.raises(PathRejectedError):
        adopt(guarded.project, [rel], reason="r", cwd=guarded.root)


def test_active_sessions_and_governance_cannot_be_adopted(guarded: Guarded) -> None:
    for rel in (".hestai/sessions/active/abcabcabcabc/session.json", ".hestai-sys/agents/x.oct.md"):
        _edit(guarded, rel, "{}\n")
        with pytest.raises(PathRejectedError):
            adopt(guarded.project, [rel], reason="r", cwd=guarded.root)


def test_outside_the_project_is_refused(guarded: Guarded, tmp_path: Path) -> None:
    outside = tmp_path / "x.oct.md"
    outside.write_text(context_doc())
    with pytest.raises(PathRejectedError, match="outside"):
        adopt(guarded.project, [outside], reason="r", cwd=guarded.root)


def test_symlink_is_refused(guarded: Guarded) -> None:
    f = guarded.path(CONTEXT_ROOT)
    target = guarded.path(".hestai/context/project-roadmap.oct.md")
    target.write_text(context_doc().replace("PROJECT_CONTEXT", "PROJECT_ROADMAP"))
    f.unlink()
    os.symlink("project-roadmap.oct.md", f)
    with pytest.raises(PathRejectedError, match="symbolic link"):
        adopt(guarded.project, [CONTEXT_ROOT], reason="r", cwd=guarded.root)


def test_secrets_are_refused(guarded: Guarded) -> None:
    from tests.fixtures.secrets import make_secrets

    secret = next(s for s in make_secrets(3) if s.kind.startswith("aws"))
    _edit(guarded, text=context_doc(note=secret.context))
    with pytest.raises(Exception, match="secret") as info:
        adopt(guarded.project, [CONTEXT_ROOT], reason="r", cwd=guarded.root)
    assert secret.value not in str(info.value)
    assert not guarded.path(LOG).exists()


def test_conflict_markers_are_refused(guarded: Guarded) -> None:
    _edit(guarded, ".hestai/sessions/archive/learnings-index.jsonl", '{"a": 1}\n<<<<<<< ours\n')
    with pytest.raises(ValidationError):
        adopt(
            guarded.project,
            [".hestai/sessions/archive/learnings-index.jsonl"],
            reason="r",
            cwd=guarded.root,
        )


def test_all_or_nothing(guarded: Guarded) -> None:
    good = _edit(guarded)
    _edit(guarded, ".hestai/sessions/archive/learnings-index.jsonl", "not json\n")
    with pytest.raises(ValidationError):
        adopt(
            guarded.project,
            [CONTEXT_ROOT, ".hestai/sessions/archive/learnings-index.jsonl"],
            reason="r",
            cwd=guarded.root,
        )
    assert not _ledger_knows(guarded, CONTEXT_ROOT, blob_id(good))


def test_adopting_a_deletion(guarded: Guarded) -> None:
    guarded.path(CONTEXT_ROOT).unlink()
    result = adopt(guarded.project, [CONTEXT_ROOT], reason="gone", cwd=guarded.root)
    assert result.adopted[0].op == "delete" and result.adopted[0].blob is None
    assert Steward(guarded.project).ledger.index().was_deleted(CONTEXT_ROOT)
    assert_passed(guarded.commit())


def test_missing_file_never_tracked(guarded: Guarded) -> None:
    from hestai_tmws.errors import NotFoundError

    with pytest.raises(NotFoundError):
        adopt(
            guarded.project,
            [".hestai/context/project-roadmap.oct.md"],
            reason="r",
            cwd=guarded.root,
        )


def test_no_stage_leaves_the_index_alone(guarded: Guarded) -> None:
    _edit(guarded)
    result = adopt(guarded.project, [CONTEXT_ROOT], reason="r", cwd=guarded.root, stage=False)
    assert not result.staged
    assert git(guarded.root, "diff", "--cached", "--name-only").strip() == ""


def test_cli_adopt(guarded: Guarded, monkeypatch: pytest.MonkeyPatch) -> None:
    from hestai_tmws.cli.app import build_app

    _edit(guarded)
    monkeypatch.chdir(guarded.root)
    runner = CliRunner()
    app = build_app()
    missing = runner.invoke(app, ["adopt", CONTEXT_ROOT])
    assert missing.exit_code == 2  # --reason is required
    result = runner.invoke(app, ["adopt", CONTEXT_ROOT, "--reason", "cli", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["adopted"][0]["path"] == CONTEXT_ROOT and data["reason"] == "cli"
    assert_passed(guarded.commit())


def test_cli_adopt_invalid_exits_non_zero(
    guarded: Guarded, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hestai_tmws.cli.app import build_app

    _edit(guarded, text="nonsense\n")
    monkeypatch.chdir(guarded.root)
    result = CliRunner().invoke(build_app(), ["adopt", CONTEXT_ROOT, "--reason", "x"])
    assert result.exit_code == 1
    assert "error" in result.output
