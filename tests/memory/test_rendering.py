"""Rendering memory documents: one byte limit per type, oversize refused, fresh documents."""

from __future__ import annotations

import pytest

from hestai_tmws.config import load_settings
from hestai_tmws.errors import ValidationError
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.memory.rendering import document_limit, line_count, load_or_new, render
from hestai_tmws.octave import Document, Section, emit
from hestai_tmws.project import Project


def test_the_limit_is_the_smaller_of_rule_and_setting(ready: Project) -> None:
    settings = load_settings(ready)
    rule = load_routing(ready)["context"]
    assert document_limit(None, settings) == settings.max_document_bytes
    assert document_limit(rule, settings) == min(
        settings.max_document_bytes, rule.max_bytes or 10**9
    )


def test_render_refuses_text_over_the_limit() -> None:
    doc = Document(name="X", sections=[Section(1, "A", {"K": "v" * 50})])
    text = render(doc, "context/x.oct.md", 10_000)
    assert text == emit(doc) and line_count(doc) == text.count("\n")
    with pytest.raises(ValidationError, match="would be"):
        render(doc, "context/x.oct.md", 20)


def test_a_missing_document_starts_from_the_template_or_bare(ready: Project) -> None:
    from_template = load_or_new(ready, None, "project-context", "PROJECT_CONTEXT")
    assert from_template.name == "PROJECT_CONTEXT" and from_template.sections
    bare = load_or_new(ready, None, "no-such-template", "SOMETHING")
    assert bare.name == "SOMETHING" and bare.meta["TYPE"] == "SOMETHING" and not bare.sections
    assert load_or_new(ready, "===A===\n===END===\n", "x", "B").name == "A"
