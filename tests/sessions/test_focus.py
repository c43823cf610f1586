"""Focus resolution: explicit, else from the branch, else `general`; slugs for archive names."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.focus import focus_from_branch, focus_key, focus_slug, resolve_focus

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("branch", "focus"),
    [
        ("issue-42", "issue-42"),
        ("fix/#17-crash", "issue-17"),
        ("#5", "issue-5"),
        ("feat/issue-007-login", "issue-7"),
        ("issues/12", "issue-12"),
        ("feat/x", "feat: x"),
        ("feat/add-retry-logic", "feat: add-retry-logic"),
        ("Fix/Login", "fix: Login"),
        ("main", None),
        ("master", None),
        ("develop", None),
        ("plain-branch", None),
        ("", None),
        (None, None),
    ],
)
def test_focus_from_branch(branch: str | None, focus: str | None) -> None:
    assert focus_from_branch(branch) == focus


def test_resolve_focus_order() -> None:
    assert resolve_focus("  ship  it ", "feat/x") == ("ship it", "explicit")
    assert resolve_focus(None, "feat/x") == ("feat: x", "branch")
    assert resolve_focus("", "issue-3") == ("issue-3", "branch")
    assert resolve_focus(None, "main") == ("general", "default")
    assert resolve_focus("   ", None) == ("general", "default")


def test_focus_key_ignores_case_and_spacing() -> None:
    assert focus_key("Feat:  X") == focus_key("feat: x")


@pytest.mark.parametrize(
    ("focus", "slug"),
    [
        ("feat: x", "feat-x"),
        ("issue-42", "issue-42"),
        ("Ünïcode only ✓", "n-code-only"),
        ("!!!", "general"),
    ],
)
def test_focus_slug_examples(focus: str, slug: str) -> None:
    assert focus_slug(focus) == slug


@given(st.text(max_size=200))
def test_focus_slug_always_matches_the_naming_standard(text: str) -> None:
    slug = focus_slug(text)
    assert SLUG.match(slug) and len(slug) <= 48


@given(st.text(max_size=300))
def test_resolved_focus_is_one_bounded_line(text: str) -> None:
    focus, _ = resolve_focus(text, None)
    assert "\n" not in focus and 0 < len(focus) <= 120
