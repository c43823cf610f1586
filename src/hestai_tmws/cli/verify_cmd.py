"""`tmws verify`: the structural checks for CI; non-zero exit when anything is wrong."""

from __future__ import annotations

import io
from typing import Annotated

import typer
from rich.console import Console

from hestai_tmws.cli import output
from hestai_tmws.cli.state import current_project
from hestai_tmws.cli.views import project as view
from hestai_tmws.errors import ExitCode, TmwsError
from hestai_tmws.governance.locate import locate_hub
from hestai_tmws.project import Project
from hestai_tmws.workflows import verify_cache
from hestai_tmws.workflows.verify import VerifyReport, verify_project


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_command(
        fix: Annotated[
            bool, typer.Option("--fix", help="Heal governance and rebuild derived indexes.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        since: Annotated[
            str | None,
            typer.Option(
                "--since",
                metavar="REV",
                help="Also check every commit in REV..HEAD and name the one that brought a "
                "hand edit in (for pull requests).",
            ),
        ] = None,
        signed: Annotated[
            bool,
            typer.Option(
                "--signed",
                help="Require a verifiable SSH signature on every commit that changes "
                "provenance (git verify-commit; see docs/threat-model.md).",
            ),
        ] = False,
    ) -> None:
        """Check governance, every .hestai/ file, and that tmws wrote each committed blob."""

        project = output.run(current_project)
        warm = _Warm(project) if not (fix or since or signed) else None
        with output.progress_bar(
            "checking .hestai/", enabled=not as_json, then="checking commits and provenance"
        ) as on_file:
            report = output.run(
                lambda: verify_project(
                    project, fix=fix, since=since, signed=signed, on_file=on_file, jobs=None
                )
            )
        if warm is not None and report.ok:
            warm.remember(report)
        if as_json:
            output.emit_json(report)
        else:
            view.verify_report(report)
        if not report.ok:
            output.exit_with(ExitCode.ERROR)


class _Warm:
    """Fingerprint the inputs before the run; after a clean one, keep its output for the
    next run with the same inputs (`cli.verify_warm` prints it). Changed inputs during the
    run mean nothing is kept: a write after the racy cutoff, taken first, is always seen."""

    def __init__(self, project: Project) -> None:
        self.repo = verify_cache.Repo.find(str(project.root))
        try:
            self.hubs = [str(locate_hub(project).path)]
        except TmwsError:
            self.repo = None  # verify will report it; no cache for a broken setup
            self.hubs = []
        self.racy_from = verify_cache.racy_cutoff(self.repo) if self.repo else 0
        self.before = (
            verify_cache.fingerprint(self.repo, self.hubs, self.racy_from) if self.repo else None
        )

    def remember(self, report: VerifyReport) -> None:
        if self.repo is None or self.before is None:
            return
        if verify_cache.fingerprint(self.repo, self.hubs, self.racy_from) != self.before:
            return
        outputs = {
            "json": report.model_dump_json(indent=2) + "\n",
            "plain": _rendered(report, terminal=False),
            "tty": _rendered(report, terminal=True),
        }
        verify_cache.store(self.repo, self.before, outputs, self.hubs, self.racy_from)


def _rendered(report: VerifyReport, *, terminal: bool) -> str:
    """The report as `view.verify_report` prints it on a terminal (colours) or elsewhere."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=terminal,
        no_color=not terminal,
        color_system="standard" if terminal else None,
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )
    view.verify_report(report, out=console)
    return buffer.getvalue()
