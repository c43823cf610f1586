"""A 3-way merge for OCTAVE documents, at the level of keys instead of lines.

Two branches that each touch a different key of the same context document, or each append
items to the same list, merge cleanly: a key changed on one side only takes that side's value,
dicts merge key by key, lists take the union of what each side added (and drop what either
removed), literal zones that both sides only extended keep both extensions, sections match by
name. Where both sides changed the same thing differently the output holds git-style conflict
markers around just that entry (`merge_conflicts`), so a person can resolve it (then
`tmws adopt` takes the result in). Pure: the git driver around it is `merge_driver`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from hestai_tmws.guard.merge_conflicts import (
    MARKER_SIZE,
    MISSING,
    TOKEN_PREFIX,
    MergeState,
    add_conflict,
    key_of,
    place_conflicts,
    render_body,
    render_meta,
    render_section,
    same,
    section_renderer,
)
from hestai_tmws.octave import Document, Literal, OctaveError, Section, emit, parse


@dataclass
class MergeOutcome:
    """The merged text (with conflict markers when `conflicts` is not empty)."""

    text: str
    conflicts: list[str] = field(default_factory=list)
    structured: bool = True  # False: the inputs were not OCTAVE; the text is a whole-file conflict

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_octave(
    base: str, ours: str, theirs: str, *, labels: tuple[str, str] = ("ours", "theirs")
) -> MergeOutcome:
    """Merge three versions of an OCTAVE document; never raises."""
    if ours == theirs or base == theirs:
        return MergeOutcome(ours)
    if base == ours:
        return MergeOutcome(theirs)
    try:
        o_doc = parse(ours)
        t_doc = parse(theirs)
    except OctaveError as exc:
        return _whole_file(ours, theirs, labels, f"not OCTAVE, merged as a whole file: {exc}")
    if _nests(o_doc) or _nests(t_doc):  # the key-wise merge knows flat sections only
        why = "several envelopes or nested/annotated sections, merged as a whole file"
        return _whole_file(ours, theirs, labels, why)
    try:
        b_doc = parse(base) if base.strip() else None
    except OctaveError:
        b_doc = None  # a base we cannot read: treat every key as added on both sides
    try:
        token = TOKEN_PREFIX
        while any(token in x for x in (base, ours, theirs)):
            token = f"{TOKEN_PREFIX}{secrets.token_hex(4).upper()}_"
        merged, state = _merge_documents(b_doc, o_doc, t_doc, token)
        text = emit(merged)
    except (OctaveError, ValueError, TypeError) as exc:
        return _whole_file(ours, theirs, labels, f"cannot merge structurally: {exc}")
    if not state.conflicts:
        return MergeOutcome(text)
    placed = place_conflicts(text, state, labels)
    return MergeOutcome(placed, [c.where for c in state.conflicts])


def _nests(doc: Document) -> bool:
    """Whether `doc` has further envelopes, nested sections or section annotations."""
    return bool(doc.envelopes) or any(s.sections or s.annotation for s in doc.sections)


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
) -> tuple[Document, MergeState]:
    state = MergeState(token=token)
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
        state, "META", b.meta if b is not None else {}, o.meta, t.meta, render_meta
    )
    merged.body = _merge_map(
        state, "", b.body if b is not None else {}, o.body, t.body, render_body
    )
    merged.sections = _merge_sections(
        state, b.sections if b is not None else [], o.sections, t.sections
    )
    return merged, state


def _merge_scalar_or_conflict(
    state: MergeState, where: str, b: Any, o: Any, t: Any, render: Any
) -> Any:
    if same(o, t):
        return o
    if same(o, b):
        return t
    if same(t, b):
        return o
    return add_conflict(
        state, where, [] if o is MISSING else render(o), [] if t is MISSING else render(t)
    )


def _merge_map(
    state: MergeState,
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
    state: MergeState, label: str, b: Any, o: Any, t: Any, render: Any, path: tuple[str, ...]
) -> Any:
    if same(o, t):
        return o
    if same(o, b):
        return t
    if same(t, b):
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
    token = add_conflict(
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
    b_keys = {key_of(x) for x in b}
    t_keys = {key_of(x) for x in t}
    o_keys = {key_of(x) for x in o}
    removed_by_theirs = b_keys - t_keys
    out = [x for x in o if key_of(x) not in removed_by_theirs]
    out_keys = [key_of(x) for x in out]
    t_list = [(key_of(x), x) for x in t]
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
    state: MergeState, b: list[Section], o: list[Section], t: list[Section]
) -> list[Section]:
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
                section_renderer(os_),
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
        lines = render_section(present)
        token = add_conflict(
            state,
            f"§{present.name}",
            lines if os_ is not None else [],
            lines if ts is not None else [],
        )
        out.append(Section(present.number, token.token, {}))
    return out


def _same_section(a: Section, b: Section) -> bool:
    return a.name == b.name and same(a.body, b.body)
