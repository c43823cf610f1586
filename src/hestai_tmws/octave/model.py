"""Plain Python structures for the OCTAVE subset hestai-tmws reads and writes.

A `Document` is an envelope name, a META mapping, top-level assignments and numbered
sections. Values are plain Python: str, int, float, bool, None, `Literal` (a fenced literal
zone), lists, and dicts (a dict is a block when it is a value of a key, an inline map when it
is an item of a list).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

Scalar = str | int | float | bool | None
Value = Union[Scalar, "Literal", list["Value"], dict[str, "Value"]]


@dataclass(frozen=True)
class Literal:
    """A literal zone: text kept verbatim between ``` fences (tabs allowed)."""

    text: str
    lang: str = "text"


@dataclass
class Section:
    """`§<number>::<NAME>` (optionally `[annotation]`), its assignments and nested sections.

    `annotation` is the bracket text as octave-mcp keeps it (`"@lib/vocab","1.0"`), or None;
    `sections` are `§` headers indented inside this one (written after its assignments).
    """

    number: int | str
    name: str
    body: dict[str, Value] = field(default_factory=dict)
    annotation: str | None = None
    sections: list[Section] = field(default_factory=list)


@dataclass
class Document:
    """One `.oct.md` file: `===NAME===` … `===END===`.

    `envelopes` holds further `===NAME===` … `===END===` envelopes that follow the first (the
    reference's additional envelopes); each is a `Document` without envelopes of its own.
    """

    name: str
    meta: dict[str, Value] = field(default_factory=dict)
    body: dict[str, Value] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    envelopes: list[Document] = field(default_factory=list)

    def section(self, name: str) -> Section | None:
        """The first section called `name`, if any."""
        for sec in self.sections:
            if sec.name == name:
                return sec
        return None

    def ensure_section(self, name: str) -> Section:
        """The section called `name`, appended with the next number when missing."""
        found = self.section(name)
        if found is not None:
            return found
        numbers = [s.number for s in self.sections if isinstance(s.number, int)]
        sec = Section(number=(max(numbers) + 1) if numbers else 1, name=name)
        self.sections.append(sec)
        return sec
