"""Which module serves each top-level `tmws` command, and its line in `tmws --help`.

The table lets the app load only the command that runs: `tmws status` never imports the
learning loop, and `tmws --help` imports no command module at all. tests/cli/test_commands.py
checks that every `*_cmd` module's commands are listed here, with their own help line.
The app's help line and global options live here too: typer (`cli.typer_app`, `cli.root`)
and the pre-rendered `tmws --help` (`cli.fast_help`) read the same words.
Standard library only: the app reads it before importing typer.
"""

from __future__ import annotations


class CommandEntry:
    """A top-level command: its module and its line in `tmws --help`.

    A plain class, not a NamedTuple: importing `typing` would cost the typer-free paths.
    """

    __slots__ = ("help", "module")

    def __init__(self, module: str, help: str) -> None:
        self.module = module  # a module of this package that exposes `register(app)`
        self.help = help  # the first line of the command's help, as `tmws --help` lists it


class OptionEntry:
    """A global option of `tmws` as its help lists it."""

    __slots__ = ("help", "long", "metavar", "short")

    def __init__(self, long: str, short: str, metavar: str, help: str) -> None:
        self.long = long  # `--project`
        self.short = short  # `-C`, or "" when the option has none
        self.metavar = metavar  # what `--help` shows for its value, "" for a flag
        self.help = help


APP_HELP = "hestai-tmws: git-native governance and project memory for AI coding agents."

# The options of the app callback (`cli.root`), in the order `tmws --help` lists them.
GLOBAL_OPTIONS: dict[str, OptionEntry] = {
    "project": OptionEntry(
        "--project", "-C", "PATH", "Project folder (default: $TMWS_PROJECT or the current folder)."
    ),
    "debug": OptionEntry("--debug", "", "", "Show tracebacks for unexpected errors."),
    "version": OptionEntry("--version", "", "", "Show the version and exit."),
}

# In the order `tmws --help` lists them: single commands first, then command groups.
COMMANDS: dict[str, CommandEntry] = {
    "adopt": CommandEntry(
        "adopt_cmd",
        "Validate hand-edited memory files and record them, so the commit passes the guard.",
    ),
    "anchor": CommandEntry(
        "anchor_cmd",
        "Check your restated identity against the role definition and record it.",
    ),
    "clock-in": CommandEntry(
        "clock_cmd",
        "Open a session: heal governance, record it, and print what to read first.",
    ),
    "clock-out": CommandEntry(
        "clock_cmd",
        "Archive the session (every tool call, redacted), update memory, and close it.",
    ),
    "demo": CommandEntry(
        "demo_cmd",
        "Show hestai-tmws end to end in a throwaway git repository.",
    ),
    "doctor": CommandEntry(
        "doctor_cmd",
        "Check hook, merge driver, agents, governance, ledger and memory; say how to fix.",
    ),
    "import": CommandEntry(
        "import_cmd",
        "Archive existing agent history (redacted, dated by its transcripts), then learn.",
    ),
    "init": CommandEntry(
        "init_cmd",
        "Create the .hestai/ memory layout from the hub's templates (idempotent).",
    ),
    "inject": CommandEntry(
        "inject_cmd",
        "Inject governance (rules, agents, templates) read-only into .hestai-sys/.",
    ),
    "merge-driver": CommandEntry(
        "merge_driver_cmd",
        "Merge an OCTAVE document key by key (git calls this; not for direct use).",
    ),
    "report": CommandEntry(
        "report_cmd",
        "Picture project memory: sessions, tools, patterns, skills, decisions and health.",
    ),
    "search": CommandEntry(
        "search_cmd",
        "Search project memory: sessions, decisions, context, reports, patterns and skills.",
    ),
    "serve": CommandEntry(
        "serve_cmd",
        "Run the MCP server over stdio (stdout is the protocol; logs go to stderr).",
    ),
    "show": CommandEntry(
        "show_cmd",
        "Show one session, decision, report, pattern, skill or context document readably.",
    ),
    "status": CommandEntry(
        "status_cmd",
        "Show governance version and integrity, memory files and active sessions.",
    ),
    "verify": CommandEntry(
        "verify_cmd",
        "Check governance, every .hestai/ file, and that tmws wrote each committed blob.",
    ),
    "watch": CommandEntry(
        "watch_cmd",
        "Watch .hestai/ and .hestai-sys/ until interrupted (Ctrl-C).",
    ),
    "context": CommandEntry(
        "context_cmd",
        "Read and update the living context documents.",
    ),
    "doc": CommandEntry(
        "doc_cmd",
        "Submit project documents (decisions, reports, …).",
    ),
    "guard": CommandEntry(
        "guard_cmd",
        "The single-writer guard of .hestai/.",
    ),
    "hook": CommandEntry(
        "hook_cmd",
        "Hook handlers for agent tools (read the hook's JSON on stdin).",
    ),
    "hooks": CommandEntry(
        "hooks_cmd",
        "Install or remove the guard's git pre-commit hook.",
    ),
    "hub": CommandEntry(
        "hub_cmd",
        "Governance hubs: bring one over from HestAI-MCP.",
    ),
    "integrate": CommandEntry(
        "integrate_cmd",
        "Connect tmws to agent tools.",
    ),
    "learn": CommandEntry(
        "learn_cmd",
        "The learning loop: mined workflow patterns, skills and suggestions.",
    ),
    "migrate": CommandEntry(
        "migrate_cmd",
        "Take over the memory of another tool, losing nothing.",
    ),
    "octave": CommandEntry(
        "octave_cmd",
        "Check OCTAVE files the way octave-mcp strict reads them.",
    ),
    "sessions": CommandEntry(
        "sessions_cmd",
        "Sessions of this worktree: list open or archived ones, reap stale ones.",
    ),
}
