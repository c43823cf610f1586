"""The pieces of a structural merge conflict: comparing values, and rendering each side.

A conflict is first a placeholder token in the merged document (so the document still emits as
OCTAVE), then replaced by the two sides' lines between git-style markers. Values compare by
their canonical JSON form, so `1.0` and `1`, or a literal and a string, stay different.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hestai_tmws.octave import Document, Literal, Section, emit

MARKER_SIZE = 7
TOKEN_PREFIX = "TMWS_CONFLICT_"


class _Missing:
    """A key that is absent on one side (distinct from an explicit null)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


@dataclass
class Conflict:
    where: str
    ours: list[str]  # the lines ours would have at the conflict point
    theirs: list[str]


@dataclass
class MergeState:
    token: str = TOKEN_PREFIX  # placeholder prefix for conflicts, absent from every input
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(frozen=True)
class Token:
    token: str


def add_conflict(state: MergeState, where: str, ours: list[str], theirs: list[str]) -> Token:
    state.conflicts.append(Conflict(where, ours, theirs))
    return Token(f"{state.token}{len(state.conflicts) - 1}")


# -- comparing values ---------------------------------------------------------------------------


def key_of(value: Any) -> str:
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False)


def plain(value: Any) -> Any:
    if value is MISSING:
        return {"<missing>": True}
    if isinstance(value, Literal):
        return {"<literal>": value.text, "lang": value.lang}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return {"<float>": repr(value)}
    return value


def same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return key_of(a) == key_of(b)


# -- rendering conflicts --------------------------------------------------------------------------


def _emit_lines(doc: Document) -> list[str]:
    return emit(doc).rstrip("\n").split("\n")


def _nest(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {path[-1]: value}
    for key in reversed(path[:-1]):
        out = {key: out}
    return out


def render_body(path: tuple[str, ...], value: Any) -> list[str]:
    lines = _emit_lines(Document(name="X", body=_nest(path, value)))
    start = lines.index("---") + 1 + (len(path) - 1)
    return lines[start:-1]


def render_meta(path: tuple[str, ...], value: Any) -> list[str]:
    lines = _emit_lines(Document(name="X", meta=_nest(path, value)))
    start = 1 + len(path)  # "===X===", "META:", then the parents of the entry
    return lines[start : lines.index("---")]


def section_renderer(sec: Section) -> Any:
    def render(path: tuple[str, ...], value: Any) -> list[str]:
        doc = Document(name="X", sections=[Section(sec.number, sec.name, _nest(path, value))])
        lines = _emit_lines(doc)
        start = lines.index("---") + 2 + (len(path) - 1)
        return lines[start:-1]

    return render


def render_section(sec: Section) -> list[str]:
    lines = _emit_lines(Document(name="X", sections=[sec]))
    return lines[lines.index("---") + 1 : -1]


def place_conflicts(text: str, state: MergeState, labels: tuple[str, str]) -> str:
    """Replace each placeholder line with the two sides' lines between conflict markers."""
    token_line = re.compile(r"^.*" + re.escape(state.token) + r"(\d+)\b.*$", re.M)

    def replace(m: re.Match[str]) -> str:
        c = state.conflicts[int(m.group(1))]
        block = [f"{'<' * MARKER_SIZE} {labels[0]}: {c.where}", *c.ours, "=" * MARKER_SIZE]
        block += [*c.theirs, f"{'>' * MARKER_SIZE} {labels[1]}: {c.where}"]
        return "\n".join(block)

    return token_line.sub(replace, text)
