"""The second line: `tmws verify` and the pre-commit guard scan committed or staged memory for
secrets with the redaction engine, naming file, line and kind and never the value."""

from __future__ import annotations

import random
from pathlib import Path

from hestai_tmws.guard.precommit import check_staged
from hestai_tmws.guard.secret_scan import scan_head, scan_since, scan_text, secret_findings
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project
from tests.guard.support import Guarded, git
from tests.secrets.corpus import expand, formats

REL = "workflow/decisions/001-keys.oct.md"


def _token(seed: int) -> str:
    fmt = next(f for f in formats() if f.template.startswith("glsa_"))
    return expand(fmt.template, random.Random(seed))


def _doc(line: str) -> str:
    return f'===DECISION===\nMETA:\n  TYPE::DECISION\nBODY:\n  NOTE::"{line}"\n===END===\n'


def _unredacted_write(project: Project, rel: str, text: str) -> None:
    """What an older tmws or a `--no-verify` hand edit leaves: a secret in a tracked file."""
    steward = Steward(project, validate_secrets=False)
    with steward.transaction("test", stage=True):
        steward.write_text(rel, text)


def test_scan_text_names_line_and_kind_never_the_value() -> None:
    token = _token(1)
    [hit] = scan_text(".hestai/x.oct.md", f"a\nb\nkey {token}\n")
    assert (hit.path, hit.line, hit.kind) == (".hestai/x.oct.md", 3, "grafana_token")
    assert token not in hit.message() and token[:8] not in hit.where()


def test_verify_fails_on_a_committed_secret_and_passes_when_clean(project: Project) -> None:
    init_project(project)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "init")
    assert not [f for f in verify_project(project).findings if f.code == "SECRET"]
    token = _token(2)
    _unredacted_write(project, REL, _doc(f"rotate {token}"))
    git(project.root, "commit", "-q", "--no-verify", "-m", "leak")
    report = verify_project(project)
    [finding] = [f for f in report.findings if f.code == "SECRET"]
    assert not report.ok and finding.path == f".hestai/{REL}:5"
    assert token not in finding.message and "grafana_token" in finding.message


def test_since_scans_every_added_line_even_one_removed_again(project: Project) -> None:
    init_project(project)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "init")
    base = git(project.root, "rev-parse", "HEAD").strip()
    token = _token(3)
    _unredacted_write(project, REL, _doc(f"oops {token}"))
    git(project.root, "commit", "-q", "--no-verify", "-m", "leak")
    Steward(project).write_text(REL, _doc("removed"))
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "cleanup")
    assert scan_head(project.root) == []  # HEAD is clean ...
    [hit] = scan_since(project.root, base)  # ... but history is not
    assert hit.path == f".hestai/{REL}" and hit.line == 5 and hit.commit
    assert [f.code for f in secret_findings(project.root, base)] == ["SECRET"]
    assert scan_since(project.root, "HEAD") == []


def test_the_guard_scans_memory_that_arrives_in_a_merge(guarded: Guarded, tmp_path: Path) -> None:
    """A teammate's commit (another clone, another ledger) brings a secret in: refused."""
    mate = tmp_path / "mate"
    git(tmp_path, "clone", "-q", str(guarded.root), str(mate))
    mate_project = Project.discover(mate)
    _unredacted_write(mate_project, REL, _doc(f"see {_token(4)}"))
    git(mate, "commit", "-q", "--no-verify", "-m", "teammate")
    git(guarded.root, "pull", "-q", "--no-rebase", "--no-ff", "--no-commit", str(mate), "HEAD")
    report = check_staged(guarded.project)
    secrets = [v for v in report.violations if v.code == "SECRET"]
    assert [v.path for v in secrets] == [f".hestai/{REL}:5"]
    assert "git restore --staged" in secrets[0].remedy
    assert _token(4) not in report.render()


def test_the_guard_passes_a_clean_merge(guarded: Guarded, tmp_path: Path) -> None:
    mate = tmp_path / "mate"
    git(tmp_path, "clone", "-q", str(guarded.root), str(mate))
    Steward(Project.discover(mate)).write_text(REL, _doc("nothing secret"))
    git(mate, "add", "-A")
    git(mate, "commit", "-q", "--no-verify", "-m", "teammate")
    git(guarded.root, "pull", "-q", "--no-rebase", "--no-ff", "--no-commit", str(mate), "HEAD")
    assert not [v for v in check_staged(guarded.project).violations if v.code == "SECRET"]
