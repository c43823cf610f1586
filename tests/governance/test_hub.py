"""Locating and validating hubs: bundled, project setting, TMWS_HUB; clear errors for bad hubs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.governance.hub import read_hub, validate_hub
from hestai_tmws.governance.locate import bundled_hub_path, locate_hub
from hestai_tmws.project import Project
from tests.governance.conftest import BUNDLED


def test_bundled_hub_is_found_in_a_source_checkout() -> None:
    assert bundled_hub_path() == BUNDLED.resolve()


def test_default_is_the_bundled_hub(project: Project) -> None:
    loc = locate_hub(project)
    assert (loc.path, loc.source) == (BUNDLED.resolve(), "bundled")
    assert locate_hub().source == "bundled"


def test_hub_from_the_project_settings_file(project: Project, hub_copy: Path) -> None:
    rel = os.path.relpath(hub_copy, project.root)
    project.config_file.write_text(f"hub: {rel}\n")
    loc = locate_hub(project)
    assert (loc.path, loc.source) == (hub_copy.resolve(), "setting")


def test_tmws_hub_overrides_the_settings_file(
    project: Project, hub_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.config_file.write_text(f"hub: {tmp_path / 'elsewhere'}\n")
    monkeypatch.setenv("TMWS_HUB", str(hub_copy))
    loc = locate_hub(project)
    assert (loc.path, loc.source) == (hub_copy.resolve(), "env")
    assert locate_hub(None).path == hub_copy.resolve()


def test_a_hub_that_is_not_a_folder_is_a_clear_error(project: Project, tmp_path: Path) -> None:
    project.config_file.write_text(f"hub: {tmp_path / 'missing'}\n")
    with pytest.raises(NotFoundError, match=r"missing \(from the `hub` setting\) is not a folder"):
        locate_hub(project)


def test_malformed_file_names_file_and_line(hub_copy: Path) -> None:
    path = hub_copy / "templates" / "report.oct.md"
    lines = path.read_text().splitlines(keepends=True)
    lines[8] = "  TITLE: single colon is an error\n"  # line 9
    path.write_text("".join(lines))
    with pytest.raises(ValidationError) as err:
        validate_hub(hub_copy)
    assert "hub/templates/report.oct.md:9" in err.value.message


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda h: (h / "VERSION").unlink(), "VERSION is missing"),
        (lambda h: (h / "VERSION").write_text("1.0 beta\n"), "one version token"),
        (
            lambda h: (h / "governance/rules/naming-standard.oct.md").unlink(),
            "lacks governance/rules/naming-standard.oct.md",
        ),
        (lambda h: (h / "templates/north-star.oct.md").unlink(), "lacks the template"),
        (
            lambda h: [p.unlink() for p in (h / "agents").iterdir()],
            "no agent definitions",
        ),
        (
            lambda h: (h / "agents/x.oct.md").write_bytes(b"\xff\xfe"),
            "agents/x.oct.md:1: not valid UTF-8",
        ),
        (
            lambda h: _edit(
                h, "governance/rules/visibility-rules.oct.md", "MAX_BYTES::65536", "MAX_BYTES::0"
            ),
            "ROUTING.CONTEXT: MAX_BYTES",
        ),
        (
            lambda h: _edit(
                h,
                "governance/rules/visibility-rules.oct.md",
                "    WRITER::system-steward\n",
                "    WRITTER::x\n",
                1,
            ),
            "ROUTING.CONTEXT: WRITTER",
        ),
        (
            lambda h: _edit(
                h, "governance/rules/naming-standard.oct.md", '"^[0-9a-f]{8}$"', '"^[0-9a-f{8}$"'
            ),
            "PATTERNS.ID8 is not a valid regex",
        ),
        (
            lambda h: (h / "agents/evil.oct.md").symlink_to("/etc/passwd"),
            "agents/evil.oct.md in hub",
        ),
    ],
)
def test_invalid_hubs_are_rejected(hub_copy: Path, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    mutate(hub_copy)
    with pytest.raises(ValidationError, match=None) as err:
        validate_hub(hub_copy)
    assert message in err.value.message


def _edit(hub: Path, rel: str, old: str, new: str, count: int = -1) -> None:
    path = hub / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))


def test_dot_files_and_caches_are_not_part_of_a_hub(hub_copy: Path) -> None:
    (hub_copy / ".git").mkdir()
    (hub_copy / ".git" / "config").write_text("x")
    (hub_copy / "agents" / ".DS_Store").write_bytes(b"\0")
    (hub_copy / "__pycache__").mkdir()
    (hub_copy / "__pycache__" / "x.pyc").write_bytes(b"\0")
    snap = read_hub(hub_copy)
    assert not any(p.startswith((".", "__pycache__")) or "/." in p for p in snap.files)
    assert set(snap.files) == set(read_hub(BUNDLED).files)


def test_every_problem_of_a_custom_hub_is_reported_at_once(hub_copy: Path) -> None:
    (hub_copy / "agents" / "critical-engineer.oct.md").write_text("not octave\n")
    (hub_copy / "templates" / "project-roadmap.oct.md").unlink()
    routing = hub_copy / "governance" / "rules" / "naming-standard.oct.md"
    routing.write_text("===X===\nA::foo(bar)\n===END===\n")
    with pytest.raises(ValidationError) as info:
        validate_hub(hub_copy)
    message = info.value.message
    assert "3 problem(s)" in message
    assert "critical-engineer.oct.md:1: invalid OCTAVE" in message
    assert "lacks the template templates/project-roadmap.oct.md" in message
    assert "naming-standard.oct.md:2: invalid OCTAVE" in message
    hint = info.value.hint or ""
    assert "tmws hub import" in hint and "agents/<role>.oct.md" in hint
