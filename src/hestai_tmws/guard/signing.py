"""Optional forgery resistance: commits that add provenance must carry a good SSH signature.

Committed provenance is plain text, so anyone who can push can append a line for their own
blob. With git's SSH signing (`gpg.format ssh`, an allowed-signers file in
`gpg.ssh.allowedSignersFile`) every commit that changes `.hestai/provenance/` can be checked
with `git verify-commit`, which runs `ssh-keygen -Y verify` against that file. This stops
forgery by anyone without an allowed key; it cannot stop a holder of one (see
docs/threat-model.md). tmws only checks: signing is git's job.
"""

from __future__ import annotations

from hestai_tmws.findings import Finding
from hestai_tmws.gitio import run_git
from hestai_tmws.project import Project
from hestai_tmws.steward.provenance import PROVENANCE_PREFIX


def signature_findings(project: Project, since: str | None) -> list[Finding]:
    """One finding per commit of `since..HEAD` (all of history without `since`) that changes
    provenance and does not carry a signature git can verify."""
    rng = f"{since}..HEAD" if since else "HEAD"
    commits = run_git(
        project.root, "rev-list", rng, "--", PROVENANCE_PREFIX, check=False
    ).stdout.split()
    findings: list[Finding] = []
    for raw in commits:
        commit = raw.decode()
        proc = run_git(project.root, "verify-commit", commit, check=False)
        if proc.returncode == 0:
            continue
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        findings.append(
            Finding(
                code="PROVENANCE_UNSIGNED",
                path=PROVENANCE_PREFIX,
                message=f"commit {commit[:12]} changes provenance without a signature git can "
                f"verify ({detail[-1] if detail else 'no signature'}); sign commits with "
                "`git config commit.gpgsign true` and an allowed key",
            )
        )
    return findings
