"""What octave-mcp reads, translated into our model, so values can be compared one to one.

The mapping is the one `hestai_tmws.octave` documents: an assignment is a key's value, a block
is a dict, a section is a `Section` (annotation and nested sections included), a list is a list,
a list of pairs whose keys are all different is a dict, any other pair in a list is a one-pair
dict, a literal zone is a `Literal` (no info tag → ``""``), further envelopes are
`Document.envelopes`. Comments are dropped. Anything else (holographic patterns, block targets)
is reported as unmappable, which the tests count as "not equal".
"""

from __future__ import annotations

from typing import Any

from hestai_tmws.octave import Document, Literal, Section


class Unmappable(Exception):
    """A construct of the reference with no counterpart in our model."""


def _cst() -> Any:
    from octave_mcp.core.grammar import cst  # lazy: the oracle is optional

    return cst


def value(v: Any) -> Any:
    """One reference value in our model."""
    cst = _cst()
    if isinstance(v, cst.ListValue):
        items = list(v.items)
        if items and all(isinstance(i, cst.InlineMap) and len(i.pairs) == 1 for i in items):
            keys = [next(iter(i.pairs)) for i in items]
            if len(set(keys)) == len(keys):
                return {k: value(i.pairs[k]) for k, i in zip(keys, items, strict=True)}
        return [value(i) for i in items]
    if isinstance(v, cst.InlineMap):
        return {k: value(x) for k, x in v.pairs.items()}
    if isinstance(v, cst.LiteralZoneValue):
        return Literal(v.content, v.info_tag or "")
    if isinstance(v, cst.HolographicValue):
        raise Unmappable("holographic pattern")
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    raise Unmappable(type(v).__name__)


def _children(nodes: list[Any]) -> dict[str, Any]:
    cst = _cst()
    out: dict[str, Any] = {}
    for node in nodes:
        if isinstance(node, cst.Comment):
            continue
        if isinstance(node, cst.Assignment):
            if node.key in out:
                raise Unmappable(f"duplicate key {node.key}")
            out[node.key] = value(node.value)
        elif isinstance(node, cst.Block):
            if node.target is not None:
                raise Unmappable("block target")
            if node.key in out:
                raise Unmappable(f"duplicate key {node.key}")
            out[node.key] = _children(node.children)
        else:
            raise Unmappable(type(node).__name__)
    return out


def _section(node: Any) -> Section:
    sid = str(node.section_id)
    cst = _cst()
    subs = [_section(c) for c in node.children if isinstance(c, cst.Section)]
    body = _children([c for c in node.children if not isinstance(c, cst.Section)])
    return Section(
        int(sid) if sid.isdigit() else sid, node.key, body, node.annotation or None, subs
    )


def document(ref: Any) -> Document:
    """The reference's `Document` in our model (raises `Unmappable`)."""
    cst = _cst()
    doc = Document(ref.name)
    doc.envelopes = [document(more) for more in getattr(ref, "additional_envelopes", None) or []]
    for key, v in ref.meta.items():
        doc.meta[key] = value(v) if not isinstance(v, dict) else {k: value(x) for k, x in v.items()}
    top: list[Any] = []
    for node in ref.sections:
        if isinstance(node, cst.Section):
            doc.sections.append(_section(node))
        else:
            top.append(node)
    doc.body = _children(top)
    return doc


def reference_read(text: str) -> Document | None:
    """The reference strict reading of `text` in our model, or None when it refuses the text."""
    import octave_mcp  # lazy: the oracle is optional

    try:
        ref = octave_mcp.parse(text)
    except Exception:  # the reference raises LexerError / ParserError / others
        return None
    return document(ref)
