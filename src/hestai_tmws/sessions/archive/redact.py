"""Redacting an archive's inputs and its content; fails closed (the caller archives nothing)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hestai_tmws.secrets import redaction  # looked up at call time: a patched redactor is honoured
from hestai_tmws.sessions.archive.build import ArchiveInputs
from hestai_tmws.sessions.archive.model import ArchiveData, ToolCallEntry


def redact_inputs(inputs: ArchiveInputs) -> ArchiveInputs:
    """The inputs with every free text the archive may use redacted, before any shortening.

    Where a redaction had to be widened (a word or a whole field), the archive's notes say so.
    """
    with redaction.widening_log() as widened:
        clean = _redact_inputs(inputs)
    if not widened:
        return clean
    note = f"redaction widened in {len(widened)} field(s): {widened[0]}"
    return replace(clean, notes=[*clean.notes, note])


def _redact_inputs(inputs: ArchiveInputs) -> ArchiveInputs:
    tr = inputs.transcript
    new_tr = None
    if tr is not None:
        conclusion = next((t for t in reversed(tr.assistant_texts) if t.strip()), "")
        texts = redaction.redact_obj(
            {
                "digests": [c.input_digest for c in tr.tool_calls],
                "prompts": tr.user_prompts,
                "conclusion": [conclusion] if conclusion else [],
                "decisions": tr.markers.decisions,
                "blockers": tr.markers.blockers,
                "learnings": tr.markers.learnings,
                "files_read": tr.files_read,
                "files_changed": tr.files_changed,
                "commands": tr.commands,
                "errors": tr.errors,
                "source": str(tr.source),
            }
        )
        calls = [
            c.model_copy(update={"input_digest": d, "input": {}, "error_text": None})
            for c, d in zip(tr.tool_calls, texts["digests"], strict=True)
        ]
        new_tr = tr.model_copy(
            update={
                "tool_calls": calls,
                "user_prompts": texts["prompts"],
                "assistant_texts": texts["conclusion"],
                "markers": tr.markers.model_copy(
                    update={
                        "decisions": texts["decisions"],
                        "blockers": texts["blockers"],
                        "learnings": texts["learnings"],
                    }
                ),
                "files_read": texts["files_read"],
                "files_changed": texts["files_changed"],
                "commands": texts["commands"],
                "errors": texts["errors"],
                "source": Path(texts["source"]),
                "cwd": None,
            }
        )
    log = inputs.traces
    if log is not None:
        summaries = redaction.redact_obj([r.summary for r in log.records])
        log = log.model_copy(
            update={
                "records": [
                    r.model_copy(update={"summary": text})
                    for r, text in zip(log.records, summaries, strict=True)
                ]
            }
        )
    session = inputs.session.model_copy(
        update={
            "focus": redaction.redact(inputs.session.focus),
            "branch": None
            if inputs.session.branch is None
            else redaction.redact(inputs.session.branch),
        }
    )
    return replace(
        inputs,
        session=session,
        transcript=new_tr,
        traces=log,
        summary=None if inputs.summary is None else redaction.redact(inputs.summary),
        decisions=redaction.redact_obj(list(inputs.decisions)),
        blockers=redaction.redact_obj(list(inputs.blockers)),
        learnings=redaction.redact_obj(list(inputs.learnings)),
        namespace=None if inputs.namespace is None else redaction.redact(inputs.namespace),
        notes=redaction.redact_obj(list(inputs.notes)),
    )


def redact_archive(data: ArchiveData) -> ArchiveData:
    """A copy with every free-text field redacted; ids, hashes, times and counts stay as is."""
    meta = data.meta.model_copy(
        update={
            "focus": redaction.redact(data.meta.focus),
            "branch": None if data.meta.branch is None else redaction.redact(data.meta.branch),
            "transcript": None
            if data.meta.transcript is None
            else redaction.redact(data.meta.transcript),
            "namespace": None
            if data.meta.namespace is None
            else redaction.redact(data.meta.namespace),
            "role": redaction.redact(data.meta.role),
        }
    )
    free = redaction.redact_obj(
        {
            "summary": data.summary.model_dump(mode="json"),
            "tool_calls": [_call_fields(c) for c in data.tool_calls],
            "files_read": data.files_read,
            "files_changed": data.files_changed,
            "commands": data.commands,
            "errors": data.errors,
            "decisions": data.decisions,
            "blockers": data.blockers,
            "learnings": data.learnings,
            "prompts": data.prompts,
            "traces": [t.model_dump(mode="json") for t in data.traces],
            "trace_note": data.trace_note,
        }
    )
    merged = {
        **free,
        "meta": meta,
        "prompts_omitted": data.prompts_omitted,
        "trace_recording_errors": data.trace_recording_errors,
    }
    return ArchiveData.model_validate(merged)


def _call_fields(call: ToolCallEntry) -> dict[str, object]:
    """`call.model_dump(mode="json")` of a tool call entry (plain str, bool and int fields)."""
    return {
        "tool": call.tool,
        "digest": call.digest,
        "ok": call.ok,
        "duration_ms": call.duration_ms,
        "sidechain": call.sidechain,
    }
