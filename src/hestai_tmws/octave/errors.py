"""The one error the OCTAVE layer raises, so callers can point at the offending line."""

from __future__ import annotations

from hestai_tmws.errors import ValidationError


class OctaveError(ValidationError):
    """Text that is not valid in our OCTAVE subset, or a value we refuse to write.

    `line` is the 1-based line number in the text being read (None for emit-side errors);
    the message always starts with ``line N:`` when a line is known.
    """

    def __init__(self, message: str, *, line: int | None = None, hint: str | None = None) -> None:
        self.line = line
        self.detail = message
        full = f"line {line}: {message}" if line is not None else message
        super().__init__(full, hint=hint)
