"""`tmws context update|show`: merge small changes into context documents, or read them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import context as view
from hestai_tmws.errors import ConflictError, ExitCode, UsageError
from hestai_tmws.memory.context import ContextUpdateResult, update_context
from hestai_tmws.memory.views import show_context


def _changes_from_options(
    op: str | None,
    section: str | None,
    key: str | None,
    value: str | None,
    value_json: str | None,
    changes_file: Path | None,
) -> list[dict[str, Any]]:
    """One change from --op/--section/--key/--value, or several from --changes-file."""
    single = op is not None or section is not None or key is not None
    if changes_file is not None:
        if single or value is not None or value_json is not None:
            raise UsageError("use either --changes-file or --op/--section/--key/--value, not both")
        try:
            raw = sys.stdin.read() if str(changes_file) == "-" else changes_file.read_text("utf-8")
            data = json.loads(raw)
        except OSError as exc:
            raise UsageError(f"cannot read {changes_file}: {exc}") from exc
        except ValueError as exc:
            raise UsageError(f"{changes_file} is not valid JSON: {exc}") from exc
        if isinstance(data, dict) and "changes" in data:
            data = data["changes"]
        return data if isinstance(data, list) else [data]
    if op is None or section is None:
        raise UsageError(
            "say what to change",
            hint="--op add|replace|append|remove --section S [--key K] [--value V], "
            "or --changes-file changes.json",
        )
    if value is not None and value_json is not None:
        raise UsageError("give --value or --value-json, not both")
    change: dict[str, Any] = {"op": op, "section": section, "key": key}
    if value_json is not None:
        try:
            change["value"] = json.loads(value_json)
        except ValueError as exc:
            raise UsageError(f"--value-json is not valid JSON: {exc}") from exc
    else:
        change["value"] = value
    return [change]


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Read and update the living context documents.", no_args_is_help=True)
    app.add_typer(sub, name="context")

    @sub.command("update")
    def update_command(
        document: Annotated[
            str,
            typer.Argument(
                metavar="DOC",
                help="project-context, project-checklist, project-roadmap, context-negatives, "
                "project-history (or context, checklist, roadmap, negatives, history).",
            ),
        ],
        op: Annotated[
            str | None, typer.Option("--op", help="add, replace, append or remove.")
        ] = None,
        section: Annotated[
            str | None, typer.Option("--section", "-s", help="Section name.")
        ] = None,
        key: Annotated[
            str | None, typer.Option("--key", "-k", help="Key in the section; A/B for nested.")
        ] = None,
        value: Annotated[str | None, typer.Option("--value", "-v", help="Value as text.")] = None,
        value_json: Annotated[
            str | None, typer.Option("--value-json", help="Value as JSON (lists, maps, numbers).")
        ] = None,
        changes_file: Annotated[
            Path | None,
            typer.Option(
                "--changes-file", help="JSON list of {op, section, key, value} ('-': stdin)."
            ),
        ] = None,
        base_hash: Annotated[
            str | None,
            typer.Option(
                "--base-hash",
                metavar="HASH",
                help="Apply only if the document still has this sha256 (or the 12 digits shown).",
            ),
        ] = None,
        session: Annotated[
            str | None, typer.Option("--session", help="Session id (default: the open one).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Merge changes into a context document (compare-and-swap with --base-hash)."""

        def action() -> ContextUpdateResult | ConflictError:
            changes = _changes_from_options(op, section, key, value, value_json, changes_file)
            try:
                return update_context(
                    current_project(),
                    document=document,
                    changes=changes,
                    base_hash=base_hash,
                    session_id=session,
                )
            except ConflictError as exc:
                return exc

        result = output.run(action)
        if isinstance(result, ConflictError):
            _conflict(result, as_json=as_json)
        if as_json:
            output.emit_json(result)
            return
        view.update_result(result)

    @sub.command("show")
    def show_command(
        documents: Annotated[
            list[str] | None,
            typer.Argument(metavar="DOC", help="Documents to show (default: all)."),
        ] = None,
        content: Annotated[
            bool, typer.Option("--content", "-c", help="Print the documents' text too.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
    ) -> None:
        """Show context documents with their hashes, the north star and open checklist items."""

        view_model = output.run(lambda: show_context(current_project(), documents or None))
        if as_json:
            output.emit_json(view_model)
            return
        view.context_view(view_model, content=content)


def _conflict(exc: ConflictError, *, as_json: bool) -> NoReturn:
    """A refused compare-and-swap: the current hash (and document, as JSON) to merge against."""
    if as_json:
        output.emit_json(
            {
                "error": "conflict",
                "message": exc.message,
                "current_hash": exc.current_hash,
                "current": exc.current,
            }
        )
        output.exit_with(ExitCode.ERROR)
    output.console(stderr=True).print(f"current hash: {exc.current_hash or '(absent)'}")
    output.fail(exc)
