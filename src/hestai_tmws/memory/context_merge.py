"""Pure edits of a parsed context document: key and section changes.

Kept free of files and locks so that the merge rules can be tested (and fuzzed) on their own;
`context.py` does the reading, compare-and-swap and writing around them.

Conventions the edits rely on:
- a section is named like `RISKS` (matched without regard to case, or by its number `4`/`§4`);
- a key names an entry of the section; `D1/STATUS` reaches into the block `D1`;
- lists are kept oldest first: `append` adds at the end (the size cap, `context_cap`, moves from
  the start).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from hestai_tmws.errors import NotFoundError, UsageError, ValidationError
from hestai_tmws.octave.model import Document, Section, Value
from hestai_tmws.octave.model import Literal as Lit

Op = Literal["add", "replace", "append", "remove"]

KEY_SEP = "/"
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*(?<!-)$")
_SECTION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SECTION_NUMBER = re.compile(r"^§?([0-9]+)$")


class ContextChange(BaseModel):
    """One edit of a context document.

    - `add`: a new key (or a whole new section when `key` is empty; `value` is then a mapping);
      refused when it exists.
    - `replace`: the value of an existing key (or the body of an existing section).
    - `append`: add `value` as one item at the end of the list at `key` (created when the
      key is missing or null).
    - `remove`: the key (or the section); with a `value`, only that item of the list at `key`.
    """

    model_config = ConfigDict(extra="forbid")

    op: Op
    section: str
    key: str | None = None
    value: Any = None

    @field_validator("section")
    @classmethod
    def _section_shape(cls, value: str) -> str:
        text = value.strip()
        if not (_SECTION.match(text) or _SECTION_NUMBER.match(text)):
            raise ValueError(f"{value!r} is not a section name (letters, digits, '_') or number")
        if text.upper() == "META":
            raise ValueError("META is maintained by the Steward and cannot be changed")
        return text

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        parts = value.strip().split(KEY_SEP)
        for part in parts:
            if not _KEY.match(part):
                raise ValueError(
                    f"{part!r} is not a key "
                    "(letters, digits, '_', '.', '-'; starting with a letter)"
                )
        return KEY_SEP.join(parts)

    def describe(self) -> str:
        where = self.section + (f".{self.key}" if self.key else "")
        return f"{self.op} {where}"


def parse_changes(raw: Any) -> list[ContextChange]:
    """A change or a list of changes from JSON-like data; clear errors for bad shapes."""
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise UsageError("no changes given")
    out: list[ContextChange] = []
    for n, item in enumerate(items, 1):
        if isinstance(item, ContextChange):
            out.append(item)
            continue
        try:
            out.append(ContextChange.model_validate(item))
        except Exception as exc:
            raise UsageError(f"change {n}: {_pydantic_message(exc)}") from exc
    return out


def _pydantic_message(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())) or 'value'}: {e.get('msg')}"
            for e in errors()
        )
    return str(exc)


# -- values ------------------------------------------------------------------------------------


def to_value(raw: Any, where: str = "value") -> Value:
    """JSON-like data → an OCTAVE value; `{"literal": text}` becomes a literal zone."""
    if raw is None or isinstance(raw, bool | int | str | Lit):
        return raw
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValidationError(f"{where}: NaN and infinity cannot be stored")
        return raw
    if isinstance(raw, list | tuple):
        return [to_value(v, where) for v in raw]
    if isinstance(raw, dict):
        if set(raw) == {"literal"} and isinstance(raw["literal"], str):
            return Lit(text=raw["literal"])
        out: dict[str, Value] = {}
        for key, value in raw.items():
            if not isinstance(key, str) or not _KEY.match(key):
                raise ValidationError(f"{where}: {key!r} is not a valid key")
            out[key] = to_value(value, f"{where}.{key}")
        return out
    raise ValidationError(f"{where}: {type(raw).__name__} values cannot be stored")


# -- finding things ----------------------------------------------------------------------------


def find_section(doc: Document, name: str) -> Section | None:
    """A section by name (case-insensitive) or by number (`4`, `§4`)."""
    m = _SECTION_NUMBER.match(name.strip())
    if m:
        number = int(m.group(1))
        return next((s for s in doc.sections if str(s.number) == str(number)), None)
    exact = doc.section(name)
    if exact is not None:
        return exact
    upper = name.upper()
    return next((s for s in doc.sections if s.name.upper() == upper), None)


def _require_section(doc: Document, name: str, *, create: bool) -> Section:
    sec = find_section(doc, name)
    if sec is not None:
        return sec
    if not create:
        raise NotFoundError(
            f"section {name} does not exist",
            hint="sections: " + (", ".join(s.name for s in doc.sections) or "none"),
        )
    if _SECTION_NUMBER.match(name):
        raise NotFoundError(f"section {name} does not exist; new sections need a name")
    return doc.ensure_section(name.upper())


def _parent(
    body: dict[str, Value], path: list[str], *, create: bool, where: str
) -> dict[str, Value]:
    """The block holding the last key of `path`."""
    node = body
    for i, part in enumerate(path[:-1]):
        child = node.get(part)
        if child is None and create:
            child = {}
            node[part] = child
        if not isinstance(child, dict):
            shown = KEY_SEP.join(path[: i + 1])
            if child is None:
                raise NotFoundError(f"{where}: {shown} does not exist")
            raise ValidationError(f"{where}: {shown} is not a block, so it has no keys inside")
        node = child
    return node


# -- applying changes --------------------------------------------------------------------------


def apply_change(doc: Document, change: ContextChange) -> str:
    """Apply one change in place; returns what was done, raises on impossible changes."""
    where = change.section + (f".{change.key}" if change.key else "")
    if change.key is None:
        return _apply_section(doc, change, where)
    create = change.op in ("add", "append")
    sec = _require_section(doc, change.section, create=create)
    path = change.key.split(KEY_SEP)
    parent = _parent(sec.body, path, create=create, where=where)
    last = path[-1]
    exists = last in parent
    if change.op == "add":
        if exists:
            raise ValidationError(f"{where} already exists", hint="use op replace to change it")
        parent[last] = to_value(change.value, where)
        return f"added {where}"
    if change.op == "replace":
        if not exists:
            raise NotFoundError(f"{where} does not exist", hint="use op add to create it")
        parent[last] = to_value(change.value, where)
        return f"replaced {where}"
    if change.op == "append":
        current = parent.get(last)
        if current is None:
            parent[last] = [to_value(change.value, where)]
            return f"appended to new list {where}"
        if not isinstance(current, list):
            raise ValidationError(f"{where} is not a list", hint="use op replace to change it")
        current.append(to_value(change.value, where))
        return f"appended to {where}"
    # remove
    if not exists:
        raise NotFoundError(f"{where} does not exist")
    if change.value is None:
        del parent[last]
        return f"removed {where}"
    current = parent[last]
    if not isinstance(current, list):
        raise ValidationError(f"{where} is not a list; omit the value to remove the key")
    item = to_value(change.value, where)
    if item not in current:
        raise NotFoundError(f"{where} has no item {change.value!r}")
    current.remove(item)
    return f"removed an item from {where}"


def _apply_section(doc: Document, change: ContextChange, where: str) -> str:
    sec = find_section(doc, change.section)
    if change.op == "remove":
        if sec is None:
            raise NotFoundError(f"section {where} does not exist")
        doc.sections.remove(sec)
        return f"removed section {sec.name}"
    if change.op == "append":
        raise UsageError("append needs a key: it adds an item to the list at that key")
    body = change.value if change.value is not None else {}
    if not isinstance(body, dict):
        raise ValidationError(f"the value of a whole section ({where}) must be a mapping of keys")
    converted = to_value(body, where)
    assert isinstance(converted, dict)
    if change.op == "add":
        if sec is not None:
            raise ValidationError(f"section {sec.name} already exists", hint="use op replace")
        _require_section(doc, change.section, create=True).body = converted
        return f"added section {change.section.upper()}"
    if sec is None:
        raise NotFoundError(f"section {where} does not exist", hint="use op add to create it")
    sec.body = converted
    return f"replaced section {sec.name}"
