"""The report page: self-contained (no network), escaped, with SVG charts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.cli.views.report_html import bar_chart, render_html
from hestai_tmws.workflows.report import Count, MemoryReport

NOW = datetime(2026, 12, 2, tzinfo=UTC)


def _report(**kw: object) -> MemoryReport:
    return MemoryReport(project="demo", generated_at=NOW, **kw)  # type: ignore[arg-type]


def test_the_page_fetches_nothing() -> None:
    page = render_html(_report(sessions_per_role=[Count(label="lead", value=3)]))
    assert "<svg" in page and "<script" not in page
    fetched = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert fetched == []
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


@given(st.text(max_size=40))
def test_user_text_is_escaped(label: str) -> None:
    svg = bar_chart([Count(label=label, value=1)], "x")
    assert "<script" not in svg.lower() or "&lt;script" in svg.lower()
    assert svg.count("<svg") == 1 and svg.endswith("</svg>")


def test_empty_charts_say_so() -> None:
    assert "nothing recorded yet" in bar_chart([], "x")
