"""The whole pipeline: build, redact, render, check, smaller until it fits the size cap."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from hestai_tmws.errors import ValidationError
from hestai_tmws.secrets import redaction  # looked up at call time: a patched redactor is honoured
from hestai_tmws.sessions.archive.build import ArchiveInputs, build_archive
from hestai_tmws.sessions.archive.limits import LEVELS
from hestai_tmws.sessions.archive.model import MAX_ARCHIVE_BYTES, ArchiveData
from hestai_tmws.sessions.archive.privacy import localize_paths
from hestai_tmws.sessions.archive.read import archive_from_document, read_archive
from hestai_tmws.sessions.archive.redact import redact_archive, redact_inputs
from hestai_tmws.sessions.archive.render import render_archive, to_document


class ComposedArchive(BaseModel):
    data: ArchiveData
    text: str
    level: int  # which set of limits was needed to fit the size cap
    rendered: bool = False  # `text` is exactly `render_archive(data)` (not widened after)


def read_back(text: str, composed: ComposedArchive) -> ArchiveData:
    """`read_archive(text)` for a text just read from disk, without parsing it again when it
    is byte-equal to what `compose_archive` rendered: `parse(emit(doc)) == doc` for every
    document `emit` accepts, so the answer is the rendered document's own reading
    (tests/sessions/archive/test_compose.py compares both on generated and real archives)."""
    if composed.rendered and text == composed.text:
        return archive_from_document(to_document(composed.data))
    return read_archive(text)


def compose_archive(
    inputs: ArchiveInputs,
    *,
    max_bytes: int = MAX_ARCHIVE_BYTES,
    redactor: Callable[[ArchiveData], ArchiveData] | None = None,
) -> ComposedArchive:
    """Redact, build, redact again, render, check; ValidationError (nothing written) on failure.

    The first pass sees the raw text with its original line breaks and quoting (what the
    detectors key on); shortening comes after it, so that no clipped secret fragment and no
    context lost to whitespace folding lets a value through. The second pass and the final
    `assert_clean` catch anything the new layout makes recognisable.
    """
    redact_fn = redactor or redact_archive
    try:
        clean_inputs = redact_inputs(inputs)
    except Exception as exc:  # fail closed: whatever went wrong, nothing gets archived
        raise _redaction_failed(exc) from exc
    for level, limits in enumerate(LEVELS):
        raw = build_archive(clean_inputs, limits)
        try:
            clean = localize_paths(redact_fn(raw), inputs)
        except Exception as exc:  # fail closed: whatever went wrong, nothing gets archived
            raise _redaction_failed(exc) from exc
        text = render_archive(clean)
        rendered = True
        try:
            redaction.assert_clean(text)
        except redaction.RedactionError:
            text, rendered = (
                _widened(text),
                False,
            )  # never stuck: the layout made a value look secret
        except Exception as exc:
            raise _redaction_failed(exc) from exc
        size = len(text.encode("utf-8"))
        if size <= max_bytes:
            return ComposedArchive(data=clean, text=text, level=level, rendered=rendered)
    raise ValidationError(
        f"the archive is {size} bytes even at its most compact (limit {max_bytes})",
        hint="the session is still open; split the work into shorter sessions",
    )


def _widened(text: str) -> str:
    """The rendered archive redacted once more (markers say where); a failure archives nothing."""
    try:
        return redaction.redact(text)
    except Exception as exc:
        raise _redaction_failed(exc) from exc


def _redaction_failed(exc: BaseException) -> ValidationError:
    return ValidationError(
        f"redaction failed ({type(exc).__name__}); nothing was archived and the session stays open",
        hint="fix the redaction problem and run clock-out again",
    )
