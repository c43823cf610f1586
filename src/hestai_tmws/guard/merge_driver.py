"""A 3-way merge for OCTAVE documents, at the level of keys instead of lines.

Two branches that each touch a different key of the same context document, or each append
items to the same list, merge cleanly: a key changed on one side only takes that side's value,
dicts merge key by key, lists take the union of what each side added (and drop what either
removed), literal zones that both sides only extended keep both extensions, sections match by
name. Where both sides changed the same thing differently the output holds git-style conflict
markers around just that entry, so a person can resolve it (then `tmws adopt` takes the result
in). `tmws init` registers the driver as `merge=tmws-octave` for `.hestai/**/*.oct.md`.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project

if TYPE_CHECKING:
    from hestai_tmws.octave import Document, Section

DRIVER_NAME = "tmws-octave"
GITATTRIBUTES_LINE = f"{HESTAI}/**/*.oct.md merge={DRIVER_NAME}"
MARKER_SIZE = 7
_TOKEN = "TMWS_CONFLICT_"


class _Missing:
    """A key that is absent on one side (distinct from an explicit null)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


@dataclass
class MergeOutcome:
    """The merged text (with conflict markers when `conflicts` is not empty)."""

    text: str
    conflicts: list[str] = field(default_factory=list)
    structured: bool = True  # False: the inputs were not OCTAVE; the text is a whole-file conflict

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass
class _Conflict:
    where: str
    ours: list[str]  # the lines ours would have at the conflict point
    theirs: list[str]


@dataclass
class _State:
    token: str = _TOKEN  # placeholder prefix for conflicts, absent from every input
    conflicts: list[_Conflict] = field(default_factory=list)


def merge_octave(
    base: str, ours: str, theirs: str, *, labels: tuple[str, str] = ("ours", "theirs")
) -> MergeOutcome:
    """Merge three versions of an OCTAVE document; never raises."""
    if ours == theirs or base == theirs:
        return MergeOutcome(ours)
    if base == ours:
        return MergeOutcome(theirs)
    from hestai_tmws.octave import OctaveError, emit, parse

    try:
        o_doc = parse(ours)
        t_doc = parse(theirs)
    except OctaveError as exc:
        return _whole_file(ours, theirs, labels, f"not OCTAVE, merged as a whole file: {exc}")
    try:
        b_doc = parse(base) if base.strip() else None
    except OctaveError:
        b_doc = None  # a base we cannot read: treat every key as added on both sides
    try:
        token = _TOKEN
        while any(token in x for x in (base, ours, theirs)):
            token = f"{_TOKEN}{secrets.token_hex(4).upper()}_"
        merged, state = _merge_documents(b_doc, o_doc, t_doc, token)
        text = emit(merged)
    except (OctaveError, ValueError, TypeError) as exc:
        return _whole_file(ours, theirs, labels, f"cannot merge structurally: {exc}")
    if not state.conflicts:
        return MergeOutcome(text)
    placed = _place_conflicts(text, state, labels)
    return MergeOutcome(placed, [c.where for c in state.conflicts])


def _whole_file(ours: str, theirs: str, labels: tuple[str, str], why: str) -> MergeOutcome:
    def block(text: str) -> str:
        return text if text.endswith("\n") or not text else text + "\n"

    text = (
        f"{'<' * MARKER_SIZE} {labels[0]}\n{block(ours)}{'=' * MARKER_SIZE}\n"
        f"{block(theirs)}{'>' * MARKER_SIZE} {labels[1]}\n"
    )
    return MergeOutcome(text, [why], structured=False)


# -- documents ----------------------------------------------------------------------------------


def _merge_documents(
    b: Document | None, o: Document, t: Document, token: str
) -> tuple[Document, _State]:
    from hestai_tmws.octave import Document

    state = _State(token=token)
    name = _merge_scalar_or_conflict(
        state,
        "envelope",
        b.name if b is not None else MISSING,
        o.name,
        t.name,
        lambda v: [f"==={v}==="],
    )
    merged = Document(name=name if isinstance(name, str) else o.name)
    if not isinstance(name, str):  # the envelope itself conflicts: put the token there
        merged.name = name.token
    merged.meta = _merge_map(
        state, "META", b.meta if b is not None else {}, o.meta, t.meta, _render_meta
    )
    merged.body = _merge_map(
        state, "", b.body if b is not None else {}, o.body, t.body, _render_body
    )
    merged.sections = _merge_sections(
        state, b.sections if b is not None else [], o.sections, t.sections
    )
    return merged, state


@dataclass(frozen=True)
class _Token:
    token: str


def _conflict(state: _State, where: str, ours: list[str], theirs: list[str]) -> _Token:
    state.conflicts.append(_Conflict(where, ours, theirs))
    return _Token(f"{state.token}{len(state.conflicts) - 1}")


def _merge_scalar_or_conflict(
    state: _State, where: str, b: Any, o: Any, t: Any, render: Any
) -> Any:
    if _same(o, t):
        return o
    if _same(o, b):
        return t
    if _same(t, b):
        return o
    return _conflict(
        state, where, [] if o is MISSING else render(o), [] if t is MISSING else render(t)
    )


def _merge_map(
    state: _State,
    label: str,
    b: dict[str, Any],
    o: dict[str, Any],
    t: dict[str, Any],
    render: Any,
    path: tuple[str, ...] = (),
) -> Any:
    """Key-by-key 3-way merge (ours' order, then keys only theirs has); MISSING if emptied.

    `render(path, value)` gives the lines one entry would have, for conflict markers.
    """
    out: dict[str, Any] = {}
    for key in list(o) + [k for k in t if k not in o]:
        value = _merge_value(
            state,
            f"{label}.{key}" if label else key,
            b.get(key, MISSING),
            o.get(key, MISSING),
            t.get(key, MISSING),
            render,
            (*path, key),
        )
        if value is not MISSING:
            out[key] = value
    if not out and path and (o or t):
        return MISSING  # both emptied a block from different directions: empty blocks cannot exist
    return out


def _merge_value(
    state: _State, label: str, b: Any, o: Any, t: Any, render: Any, path: tuple[str, ...]
) -> Any:
    from hestai_tmws.octave import Literal

    if _same(o, t):
        return o
    if _same(o, b):
        return t
    if _same(t, b):
        return o
    # both sides changed this entry, differently
    if isinstance(o, dict) and isinstance(t, dict):
        return _merge_map(state, label, b if isinstance(b, dict) else {}, o, t, render, path)
    if isinstance(o, list) and isinstance(t, list):
        return _merge_list(b if isinstance(b, list) else [], o, t)
    if isinstance(o, Literal) and isinstance(t, Literal):
        merged = _merge_literal(b if isinstance(b, Literal) else None, o, t)
        if merged is not None:
            return merged
    token = _conflict(
        state,
        label,
        [] if o is MISSING else render(path, o),
        [] if t is MISSING else render(path, t),
    )
    return token.token


def _merge_list(b: list[Any], o: list[Any], t: list[Any]) -> list[Any]:
    """Ours minus what theirs removed, plus what theirs added (once each, where theirs put it).

    An item theirs added goes before the next item that follows it in theirs and is kept
    (so prepended entries stay at the front of a newest-first list), or at the end.
    """
    b_keys = {_key(x) for x in b}
    t_keys = {_key(x) for x in t}
    o_keys = {_key(x) for x in o}
    removed_by_theirs = b_keys - t_keys
    out = [x for x in o if _key(x) not in removed_by_theirs]
    out_keys = [_key(x) for x in out]
    t_list = [(_key(x), x) for x in t]
    for i, (k, x) in enumerate(t_list):
        if k in out_keys or (k in b_keys and k not in o_keys):
            continue  # already there, or ours removed it
        anchor = next((nk for nk, _ in t_list[i + 1 :] if nk in out_keys), None)
        at = out_keys.index(anchor) if anchor is not None else len(out)
        out.insert(at, x)
        out_keys.insert(at, k)
    return out


def _merge_literal(b: Any, o: Any, t: Any) -> Any:
    """Both sides only appended to the same literal zone: keep base + ours' + theirs' additions."""
    from hestai_tmws.octave import Literal

    if o.lang != t.lang:
        return None
    base = b.text if b is not None else ""
    if not (o.text.startswith(base) and t.text.startswith(base)):
        return None
    o_extra, t_extra = o.text[len(base) :], t.text[len(base) :]
    if base and not base.endswith("\n") and (o_extra[:1] != "\n" or t_extra[:1] != "\n"):
        return None  # an edit of the last line, not an appended line
    return Literal(base + o_extra + t_extra, o.lang)


def _merge_sections(
    state: _State, b: list[Section], o: list[Section], t: list[Section]
) -> list[Section]:
    from hestai_tmws.octave import Section

    def keyed(secs: list[Section]) -> dict[tuple[str, int], Section]:
        seen: dict[str, int] = {}
        out: dict[tuple[str, int], Section] = {}
        for sec in secs:
            n = seen.get(sec.name, 0)
            seen[sec.name] = n + 1
            out[(sec.name, n)] = sec
        return out

    bk, ok, tk = keyed(b), keyed(o), keyed(t)
    order = list(ok) + [k for k in tk if k not in ok]
    used = {str(s.number) for s in o}
    numbers = [s.number for s in [*o, *t] if isinstance(s.number, int)]
    next_number = (max(numbers) + 1) if numbers else 1
    out: list[Section] = []
    for key in order:
        bs, os_, ts = bk.get(key), ok.get(key), tk.get(key)
        if os_ is not None and ts is not None:
            body = _merge_map(
                state,
                f"§{os_.name}",
                bs.body if bs is not None else {},
                os_.body,
                ts.body,
                _section_renderer(os_),
            )
            out.append(Section(os_.number, os_.name, body))
            continue
        present = os_ if os_ is not None else ts
        assert present is not None
        if bs is None:  # added on one side only
            if os_ is None and str(present.number) in used:
                number: int | str = next_number
                next_number += 1
            else:
                number = present.number
            used.add(str(number))
            out.append(Section(number, present.name, dict(present.body)))
            continue
        # deleted on one side: fine if the other left it untouched, a conflict if it changed it
        if _same_section(bs, present):
            continue
        lines = _render_section(present)
        token = _conflict(
            state,
            f"§{present.name}",
            lines if os_ is not None else [],
            lines if ts is not None else [],
        )
        out.append(Section(present.number, token.token, {}))
    return out


def _same_section(a: Section, b: Section) -> bool:
    return a.name == b.name and _same(a.body, b.body)


# -- comparing values ---------------------------------------------------------------------------


def _key(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)


def _plain(value: Any) -> Any:
    from hestai_tmws.octave import Literal

    if value is MISSING:
        return {"<missing>": True}
    if isinstance(value, Literal):
        return {"<literal>": value.text, "lang": value.lang}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return {"<float>": repr(value)}
    return value


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return _key(a) == _key(b)


# -- rendering conflicts --------------------------------------------------------------------------


def _emit_lines(doc: Document) -> list[str]:
    from hestai_tmws.octave import emit

    return emit(doc).rstrip("\n").split("\n")


def _nest(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {path[-1]: value}
    for key in reversed(path[:-1]):
        out = {key: out}
    return out


def _render_body(path: tuple[str, ...], value: Any) -> list[str]:
    from hestai_tmws.octave import Document

    lines = _emit_lines(Document(name="X", body=_nest(path, value)))
    start = lines.index("---") + 1 + (len(path) - 1)
    return lines[start:-1]


def _render_meta(path: tuple[str, ...], value: Any) -> list[str]:
    from hestai_tmws.octave import Document

    lines = _emit_lines(Document(name="X", meta=_nest(path, value)))
    start = 1 + len(path)  # "===X===", "META:", then the parents of the entry
    return lines[start : lines.index("---")]


def _section_renderer(sec: Section) -> Any:
    def render(path: tuple[str, ...], value: Any) -> list[str]:
        from hestai_tmws.octave import Document, Section

        doc = Document(name="X", sections=[Section(sec.number, sec.name, _nest(path, value))])
        lines = _emit_lines(doc)
        start = lines.index("---") + 2 + (len(path) - 1)
        return lines[start:-1]

    return render


def _render_section(sec: Section) -> list[str]:
    from hestai_tmws.octave import Document

    lines = _emit_lines(Document(name="X", sections=[sec]))
    return lines[lines.index("---") + 1 : -1]


def _place_conflicts(text: str, state: _State, labels: tuple[str, str]) -> str:
    """Replace each placeholder line with the two sides' lines between conflict markers."""
    token_line = re.compile(r"^.*" + re.escape(state.token) + r"(\d+)\b.*$", re.M)

    def replace(m: re.Match[str]) -> str:
        c = state.conflicts[int(m.group(1))]
        block = [f"{'<' * MARKER_SIZE} {labels[0]}: {c.where}", *c.ours, "=" * MARKER_SIZE]
        block += [*c.theirs, f"{'>' * MARKER_SIZE} {labels[1]}: {c.where}"]
        return "\n".join(block)

    return token_line.sub(replace, text)


# -- the git driver -------------------------------------------------------------------------------


def run_driver(
    project: Project, base_file: str, ours_file: str, theirs_file: str, path: str
) -> int:
    """`git merge` calls this per file: write the result to `ours_file`, 0 clean, 1 conflict.

    A clean result is recorded in the Steward's ledger under `path`, so the merge commit that
    stages it passes the guard; a conflicted one is not (its resolution needs `tmws adopt`).
    """
    from pathlib import Path

    from hestai_tmws.gitio import blob_id, run_git

    def read(p: str) -> str:
        return Path(p).read_bytes().decode("utf-8", "surrogateescape")

    base, ours, theirs = read(base_file), read(ours_file), read(theirs_file)
    outcome = merge_octave(base, ours, theirs, labels=(f"ours ({path})", f"theirs ({path})"))
    if not outcome.structured:  # not OCTAVE: do what git would have done, line by line
        proc = run_git(
            project.root,
            "merge-file",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
            ours_file,
            base_file,
            theirs_file,
            check=False,
        )
        return 0 if proc.returncode == 0 else 1
    data = outcome.text.encode("utf-8", "surrogateescape")
    Path(ours_file).write_bytes(data)
    if outcome.conflicts:
        return 1
    if path.startswith(HESTAI + "/"):
        from hestai_tmws.steward import Steward

        Steward(project).record_adoption(
            path, blob_id(data), actor="tmws merge-driver", reason="clean 3-way OCTAVE merge"
        )
    return 0


def driver_command(python: str | None = None) -> str:
    """The `merge.tmws-octave.driver` value: this interpreter runs the driver."""
    exe = python or sys.executable
    return f'"{exe}" -I -m hestai_tmws.cli.app merge-driver %O %A %B %P'


def register_merge_driver(project: Project, *, python: str | None = None) -> None:
    """Set `merge.tmws-octave.{name,driver}` in the repository's local config (per clone)."""
    project.git.config_set(f"merge.{DRIVER_NAME}.name", "hestai-tmws 3-way OCTAVE merge")
    project.git.config_set(f"merge.{DRIVER_NAME}.driver", driver_command(python))
