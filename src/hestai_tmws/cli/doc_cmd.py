"""`tmws doc submit`: hand a typed document to the Steward, which routes and names it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import records as view
from hestai_tmws.errors import UsageError
from hestai_tmws.memory.documents import DocumentResult, submit_document


def _read_content(content: str | None, file: Path | None) -> str:
    """`--content TEXT`, `--file PATH`, `--file -` (stdin), or stdin when neither is given."""
    if content is not None and file is not None:
        raise UsageError("give the content either with --content or with --file, not both")
    if content is not None:
        return content
    if file is None or str(file) == "-":
        if file is None and sys.stdin.isatty():
            raise UsageError("no content", hint="pass --content TEXT, --file PATH, or pipe it in")
        return sys.stdin.read()
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UsageError(f"{file} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {file}: {exc}") from exc


def register(app: typer.Typer) -> None:
    sub = typer.Typer(
        help="Submit project documents (decisions, reports, …).", no_args_is_help=True
    )
    app.add_typer(sub, name="doc")

    @sub.command("submit")
    def submit_command(
        doc_type: Annotated[
            str,
            typer.Argument(
                metavar="TYPE",
                help="decision, report, context, north-star, checklist, negative or roadmap.",
            ),
        ],
        title: Annotated[
            str | None,
            typer.Option("--title", "-t", help="Title; names the file of decisions and reports."),
        ] = None,
        content: Annotated[
            str | None, typer.Option("--content", help="The document text (OCTAVE or plain).")
        ] = None,
        file: Annotated[
            Path | None,
            typer.Option("--file", "-f", help="Read the content from a file ('-' for stdin)."),
        ] = None,
        session: Annotated[
            str | None, typer.Option("--session", help="Session id (default: the open one).")
        ] = None,
        base_hash: Annotated[
            str | None,
            typer.Option(
                "--base-hash", help="Replace a fixed document only if it still has this hash."
            ),
        ] = None,
        approved_decision: Annotated[
            str | None,
            typer.Option(
                "--approved-decision", help="Number of the decision approving a north-star change."
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Validate a document and write it where the governance rules route its type."""

        def action() -> DocumentResult:
            text = _read_content(content, file)
            return submit_document(
                current_project(),
                doc_type=doc_type,
                title=title,
                content=text,
                session_id=session,
                base_hash=base_hash,
                approved_decision=approved_decision,
            )

        result = output.run(action)
        if as_json:
            output.emit_json(result)
            return
        view.document_result(result)
