"""Optional signing: commits that change provenance need a signature git can verify (SSH)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hestai_tmws.guard.signing import signature_findings
from hestai_tmws.project import Project
from tests.guard.support import CONTEXT, context_doc, git, run, steward_write

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")


def _signing_repo(repo: Path, tmp_path: Path) -> Project:
    key = tmp_path / "key"
    proc = run(tmp_path, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key))
    assert proc.returncode == 0, proc.stderr
    public = (tmp_path / "key.pub").read_text().strip()
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"author@example.invalid {public}\n")
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "user.signingkey", str(key))
    git(repo, "config", "user.email", "author@example.invalid")
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    return Project.discover(repo)


def test_signed_provenance_commits_pass_and_unsigned_are_named(repo: Path, tmp_path: Path) -> None:
    project = _signing_repo(repo, tmp_path)
    base = git(repo, "rev-parse", "HEAD").strip()
    steward_write(project, CONTEXT, context_doc(owner="signed"))
    git(repo, "commit", "-q", "-S", "-m", "signed")
    assert signature_findings(project, base) == []
    steward_write(project, CONTEXT, context_doc(owner="unsigned"))
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", "unsigned")
    unsigned = git(repo, "rev-parse", "HEAD").strip()
    (finding,) = signature_findings(project, base)
    assert finding.code == "PROVENANCE_UNSIGNED" and unsigned[:12] in finding.message


def test_commits_that_leave_provenance_alone_need_no_signature(repo: Path, tmp_path: Path) -> None:
    project = _signing_repo(repo, tmp_path)
    base = git(repo, "rev-parse", "HEAD").strip()
    (repo / "code.py").write_text("x = 1\n")
    git(repo, "add", "code.py")
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", "code")
    assert signature_findings(project, base) == []
