"""Archives keep repository-relative paths and `~`, and note a transcript from elsewhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.archive.compose import compose_archive
from hestai_tmws.sessions.archive.privacy import outside_repository
from tests.sessions.test_archive import call, inputs, transcript

ROOT = "/home/ada/billing"
HOME = "/home/ada"


def _composed(cwd: str, *digests: str, home: str = HOME) -> str:
    tr = transcript(
        [call(i, "Read", d) for i, d in enumerate(digests)],
        cwd=cwd,
        source=f"{home}/.claude/projects/x/s.jsonl",
    )
    given_inputs = inputs(tr, summary=f"edited {ROOT}/src/a.py in {ROOT}")
    given_inputs.root = ROOT
    return compose_archive(given_inputs).text


@pytest.fixture(autouse=True)
def _home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", HOME)


def test_paths_become_repository_relative_and_home_becomes_tilde() -> None:
    text = _composed(ROOT, f"{ROOT}/src/a.py", f"{HOME}/notes.txt", "/etc/hosts")
    assert HOME not in text
    assert '"src/a.py"' in text or "src/a.py" in text
    assert "~/notes.txt" in text and "/etc/hosts" in text
    assert "edited src/a.py in ." in text
    assert "~/.claude/projects/x/s.jsonl" in text
    assert "is not this repository" not in text


def test_a_transcript_from_another_folder_is_noted() -> None:
    text = _composed("/home/ada/other-project", "x")
    assert "/home/ada/other-project" not in text and "~/other-project" in text
    assert "is not this repository" in text


def test_a_prefix_of_a_sibling_is_not_rewritten() -> None:
    text = _composed(ROOT, f"{ROOT}-old/src/b.py")
    assert f"{ROOT}-old/src/b.py".replace(HOME, "~") in text


@given(st.sampled_from(["", None]), st.text(min_size=1, max_size=20))
def test_an_unknown_cwd_is_never_called_foreign(cwd: str | None, root: str) -> None:
    assert outside_repository(cwd, "/" + root) is False
