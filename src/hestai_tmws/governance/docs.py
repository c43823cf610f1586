"""Read governance `.oct.md` files through our OCTAVE reader, with one error shape and a cache.

Governance files are read on every Steward write and every anchor check; they only change when
a hub is injected, so parsed documents are cached by (path, size, mtime, inode).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from hestai_tmws.errors import ValidationError
from hestai_tmws.governance.hub_read import decode as decode  # re-exported: tests and callers
from hestai_tmws.octave import Document, OctaveError, parse

_CACHE: dict[str, tuple[tuple[int, int, int], Document]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX = 256
_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)\b", re.IGNORECASE)


def octave_error_line(exc: Exception) -> int | None:
    """The 1-based line an OCTAVE error points at, when the reader says."""
    for attr in ("line", "lineno", "line_number"):
        value = getattr(exc, attr, None)
        if isinstance(value, int) and value > 0:
            return value
    found = _LINE_IN_MESSAGE.search(str(exc))
    return int(found.group(1)) if found else None


def parse_text(text: str, display: str) -> Document:
    """Parse `text`; an OCTAVE error becomes one ValidationError naming `display` and the line."""
    try:
        return parse(text)
    except OctaveError as exc:
        line = octave_error_line(exc)
        where = f"{display}:{line}" if line else display
        detail = getattr(exc, "detail", None) or str(exc)
        raise ValidationError(
            f"{where}: invalid OCTAVE: {detail}",
            hint="fix the file in the hub (or reinstall hestai-tmws for the bundled hub)",
        ) from exc


def read_text(path: Path, display: str) -> str:
    """UTF-8 text of a governance file, or a ValidationError that names it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError(f"{display} is missing") from exc
    except OSError as exc:
        raise ValidationError(f"{display} cannot be read: {exc.strerror or exc}") from exc
    return decode(data, display)


def load_document(path: Path, display: str | None = None) -> Document:
    """Parsed document at `path`, cached until the file changes."""
    shown = display or str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise ValidationError(f"{shown} is missing") from exc
    key = str(path)
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    doc = parse_text(read_text(path, shown), shown)
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = (stamp, doc)
    return doc


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
