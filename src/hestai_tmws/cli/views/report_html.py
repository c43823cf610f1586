"""`tmws report --html`: the memory report as one self-contained page with SVG charts.

No script, no font, no image and no style sheet is fetched: the page opens from a file,
offline, in any browser, and can be attached to a pull request or an email as it is.
Every text from memory is escaped (it is user content).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from hestai_tmws.workflows.report import Count, MemoryReport

BAR_HEIGHT, GAP, LABEL_W, CHART_W = 18, 6, 170, 360
COLUMN_W, PLOT_H = 14, 120
COLOURS = ("#3b6ea5", "#5b9a68", "#c28b2c", "#a5493b", "#7a5ea8", "#4b8f97")
STATE_STYLE = {"ok": "ok", "warn": "warn", "fail": "fail", "skip": "skip"}
CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2733;
background:#f5f6f8}
header{background:#1d2733;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#b8c2cc}main{display:grid;grid-template-columns:repeat(auto-fit,
minmax(440px,1fr));gap:18px;padding:18px 28px}section{background:#fff;border-radius:8px;
padding:14px 18px;box-shadow:0 1px 2px rgba(0,0,0,.08)}h2{font-size:15px;margin:0 0 10px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:3px 6px;
border-bottom:1px solid #eceff2;vertical-align:top}th{font-weight:600;color:#56606b}
.num{text-align:right;font-variant-numeric:tabular-nums}.empty{color:#8a949e}
.ok{color:#2e7d32}.warn{color:#b26a00}.fail{color:#c62828;font-weight:600}.skip{color:#8a949e}
svg text{font:12px system-ui,sans-serif;fill:#1d2733}
"""


def bar_chart(counts: Sequence[Count], label: str) -> str:
    """Horizontal bars, one per count, with their value; an empty note when there is none."""
    if not counts:
        return '<p class="empty">nothing recorded yet</p>'
    top = max(c.value for c in counts) or 1
    height = len(counts) * (BAR_HEIGHT + GAP)
    rows = []
    for i, c in enumerate(counts):
        y = i * (BAR_HEIGHT + GAP)
        w = max(2, round(CHART_W * c.value / top))
        colour = COLOURS[i % len(COLOURS)]
        rows.append(
            f'<text x="{LABEL_W - 8}" y="{y + 13}" text-anchor="end">{escape(c.label[:26])}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{colour}"><title>{escape(c.label)}: {c.value}</title></rect>'
            f'<text x="{LABEL_W + w + 6}" y="{y + 13}">{c.value}</text>'
        )
    total_w = LABEL_W + CHART_W + 50
    return (
        f'<svg role="img" aria-label="{escape(label)}" width="{total_w}" height="{height}" '
        f'viewBox="0 0 {total_w} {height}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(rows)
        + "</svg>"
    )


def column_chart(counts: Sequence[Count], label: str) -> str:
    """Vertical columns over time (one per day), first and last day written under them."""
    if not counts:
        return '<p class="empty">nothing recorded yet</p>'
    top = max(c.value for c in counts) or 1
    width = max(200, len(counts) * (COLUMN_W + 2) + 40)
    cols = []
    for i, c in enumerate(counts):
        h = max(2, round(PLOT_H * c.value / top))
        x = 30 + i * (COLUMN_W + 2)
        cols.append(
            f'<rect x="{x}" y="{PLOT_H - h + 10}" width="{COLUMN_W}" height="{h}" rx="2" '
            f'fill="{COLOURS[0]}"><title>{escape(c.label)}: {c.value}</title></rect>'
        )
    axis = (
        f'<text x="0" y="18">{top}</text><text x="0" y="{PLOT_H + 10}">0</text>'
        f'<text x="30" y="{PLOT_H + 28}">{escape(counts[0].label)}</text>'
        f'<text x="{width - 4}" y="{PLOT_H + 28}" text-anchor="end">'
        f"{escape(counts[-1].label)}</text>"
    )
    h_total = PLOT_H + 34
    return (
        f'<svg role="img" aria-label="{escape(label)}" width="{width}" height="{h_total}" '
        f'viewBox="0 0 {width} {h_total}" xmlns="http://www.w3.org/2000/svg">'
        + axis
        + "".join(cols)
        + "</svg>"
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: int = 0) -> str:
    """A table; the last `numeric` columns are right-aligned numbers."""
    if not rows:
        return '<p class="empty">none</p>'
    first = len(headers) - numeric

    def cell(i: int, value: object, tag: str) -> str:
        cls = ' class="num"' if i >= first else ""
        return f"<{tag}{cls}>{escape(str(value))}</{tag}>"

    head = "".join(cell(i, h, "th") for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell(i, v, "td") for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _health(report: MemoryReport) -> str:
    rows = []
    for c in report.health:
        fix = f"<br><small>fix: {escape(c.fix)}</small>" if c.fix and c.state != "ok" else ""
        rows.append(
            f'<tr><td class="{STATE_STYLE[c.state]}">{escape(c.state)}</td>'
            f"<td>{escape(c.name)}</td><td>{escape(c.detail)}{fix}</td></tr>"
        )
    return (
        "<table><tr><th>state</th><th>check</th><th>detail</th></tr>" + "".join(rows) + "</table>"
    )


def _section(title: str, body: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{body}</section>"


def render_html(report: MemoryReport) -> str:
    """The whole page, one string: HTML, inline CSS and inline SVG only."""
    skills = [(s.name, s.suggested, s.used, s.helpful, s.unhelpful) for s in report.skills]
    decisions = [(d.number, d.date, d.title, d.status) for d in report.decisions]
    checklist = [(c.key, c.what, c.owner, c.status) for c in report.open_checklist]
    sections = [
        _section(
            f"Sessions per day ({report.sessions} archived)",
            column_chart(report.sessions_per_day, "sessions per day"),
        ),
        _section("Sessions per role", bar_chart(report.sessions_per_role, "sessions per role")),
        _section("Tool mix", bar_chart(report.tool_mix, "tool calls by tool")),
        _section("Patterns by state", bar_chart(report.patterns_by_state, "patterns by state")),
        _section(
            "Skills: use and feedback",
            _table(("skill", "suggested", "used", "helpful", "unhelpful"), skills, numeric=4),
        ),
        _section("Decisions", _table(("no.", "date", "title", "status"), decisions)),
        _section("Open checklist", _table(("task", "what", "owner", "status"), checklist)),
        _section("Governance and guard health", _health(report)),
    ]
    stamp = f"{report.generated_at:%Y-%m-%d %H:%M} UTC"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(report.project)}: project memory</title><style>{CSS}</style></head>"
        f"<body><header><h1>{escape(report.project)}: project memory</h1>"
        f"<p>hestai-tmws report, {stamp}</p></header><main>"
        + "".join(sections)
        + "</main></body></html>\n"
    )
