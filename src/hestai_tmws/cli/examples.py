"""Realistic examples for every `tmws` command, shown at the end of its `--help`.

One table for the whole CLI, the way `gh` and `uv` end each help page with a few commands
to copy: a reader learns a command from an example faster than from its option list.
tests/cli/test_examples.py checks that every command and group has 1-3 of them and that
each example names only options its command has. Standard library only (read at start-up).
"""

from __future__ import annotations

WIDTH = 76  # a help page at 80 columns, less typer's padding


class Example:
    """One example of a help page (a plain class: `typing` is not loaded for `tmws --help`)."""

    __slots__ = ("command", "why")

    def __init__(self, command: str, why: str = "") -> None:
        self.command = command  # exactly what to type, starting with `tmws`
        self.why = why  # what it does, in a few words (a group's pointer to a command: none)


E = Example

# Keyed by the command's path after `tmws` ("" is `tmws` itself).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "": (
        E("tmws init && tmws hooks install", "set up a repository (once per clone)"),
        E('tmws clock-in --role implementation-lead --focus "issue-42"', "start a session"),
        E('tmws search "merge driver"', "ask what the project already knows"),
    ),
    "adopt": (
        E(
            'tmws adopt .hestai/context/project-context.oct.md --reason "fixed a typo"',
            "record a hand edit so the commit passes",
        ),
        E(
            'tmws adopt .hestai/context/project-checklist.oct.md --reason "merge fix" --no-stage',
            "record it, stage it yourself",
        ),
    ),
    "anchor": (
        E(
            "tmws anchor --role implementation-lead --governance-version 1.0.0 "
            '--must-always "run the tests before a commit" --must-never "edit .hestai-sys/"',
            "restate your role (every MUST line)",
        ),
    ),
    "clock-in": (
        E('tmws clock-in --role implementation-lead --focus "issue-42"', "open a session"),
        E("tmws clock-in --json", "role from the project, focus from the branch"),
    ),
    "clock-out": (
        E(
            'tmws clock-out --summary "Added retry logic" --learning "backoff caps at 30s"',
            "archive the open session",
        ),
        E(
            'tmws clock-out --decision "Keep retries in the client" --commit',
            "also commit the archived files",
        ),
        E("tmws clock-out --transcript ~/.claude/projects/x/s.jsonl", "name the transcript"),
    ),
    "demo": (
        E("tmws demo", "the whole life cycle in a throwaway repository"),
        E("tmws demo --dir ../tmws-demo", "keep the demo repository to look at"),
    ),
    "doctor": (
        E("tmws doctor", "every check; run the fix printed under each failure"),
        E("tmws doctor --json", "the same for a script (exit 1 when broken)"),
    ),
    "import": (
        E("tmws import --dry-run", "what this repository's agent history would give"),
        E("tmws import ~/.claude/projects/-home-ada-billing --since 2026-11-01", "one folder"),
    ),
    "init": (
        E("tmws init", "create .hestai/ and wire git (idempotent)"),
        E("tmws init --no-stage", "leave the new files unstaged"),
    ),
    "inject": (
        E("tmws inject", "take in a newer governance hub"),
        E("tmws inject --force", "re-inject even when it looks current"),
    ),
    "merge-driver": (
        E("tmws merge-driver %O %A %B %P", "what git runs (.git/config, set by tmws init)"),
    ),
    "report": (
        E("tmws report --html memory.html", "one page to open in a browser, no network"),
        E("tmws report --json", "the same figures for a script"),
    ),
    "search": (
        E('tmws search "merge driver"', "a phrase, ranked, with snippets"),
        E("tmws search backoff --type decision", "only decisions"),
        E("tmws search pytest --since 2026-11-01 --json", "recent hits for a script"),
    ),
    "serve": (
        E("tmws serve", "the MCP server over stdio (an agent starts it)"),
        E("tmws serve --project ~/src/billing", "serve another repository"),
    ),
    "show": (
        E("tmws show fe0c2b12", "a session, by its id's first digits"),
        E("tmws show 7", "decision 007"),
        E("tmws show .hestai/workflow/000-project-north-star.oct.md", "any memory file"),
    ),
    "status": (
        E("tmws status", "governance, memory files and open sessions"),
        E("tmws status --json", "the same for a script"),
    ),
    "verify": (
        E("tmws verify", "CI: exit 1 on any problem"),
        E("tmws verify --since origin/main", "a pull request's commits too"),
        E("tmws verify --fix", "heal governance and rebuild indexes (locally)"),
    ),
    "watch": (
        E("tmws watch", "report changes to .hestai/ until Ctrl-C"),
        E("tmws watch --no-heal --json", "only report, one JSON event a line"),
    ),
    "context": (
        E("tmws context show", "the living context documents"),
        E(
            "tmws context update checklist --op replace --section TASKS --key T3/STATUS "
            "--value DONE"
        ),
    ),
    "context show": (
        E("tmws context show", "every document with its hash"),
        E("tmws context show checklist --content", "one document in full"),
    ),
    "context update": (
        E(
            "tmws context update checklist --op replace --section TASKS --key T3/STATUS "
            "--value DONE",
            "tick off a checklist task",
        ),
        E(
            "tmws context update context --op replace --section IDENTITY --key NAME "
            '--value "billing" --base-hash 1a2b3c4d5e6f',
            "only if unchanged since `context show` printed that hash",
        ),
        E("tmws context update roadmap --changes-file changes.json", "several changes at once"),
    ),
    "doc": (E('tmws doc submit decision --title "Use SQLite FTS5" --file decision.md'),),
    "doc submit": (
        E(
            'tmws doc submit decision --title "Use SQLite FTS5" --file decision.md',
            "record a decision",
        ),
        E('tmws doc submit report --title "Load test" --content "p95 40 ms"', "a short report"),
        E(
            "tmws doc submit north-star --file north-star.md --approved-decision 7",
            "replace the north star (decision 007 approved it)",
        ),
    ),
    "guard": (E("tmws guard pre-commit", "what the git hook runs"),),
    "guard pre-commit": (
        E("tmws guard pre-commit", "check the staged .hestai/ changes (the hook runs it)"),
        E("tmws guard pre-commit --json", "the findings for a script"),
    ),
    "hook": (E("tmws hook claude session-start < event.json", "what Claude Code runs"),),
    "hook claude": (
        E("tmws hook claude session-start < event.json", "Claude Code runs these for you"),
        E("tmws hook claude pre-tool-use < event.json", "a tool call about to run"),
    ),
    "hook gemini": (
        E("tmws hook gemini after-tool < event.json", "Gemini CLI runs these for you"),
        E("tmws hook gemini before-tool < event.json", "refuses a write into .hestai/"),
    ),
    "hook cursor": (
        E("tmws hook cursor after-shell-execution < event.json", "Cursor runs these for you"),
    ),
    "hooks": (E("tmws hooks install", "the guard's pre-commit hook"),),
    "hooks install": (
        E("tmws hooks install", "chains a hook you already have"),
        E("tmws hooks install --python .venv/bin/python", "the interpreter the hook runs"),
    ),
    "hooks uninstall": (E("tmws hooks uninstall", "restore the hook that was there before"),),
    "hooks status": (E("tmws hooks status", "exit 1 when the guard cannot run"),),
    "hub": (E("tmws hub import ../HestAI-MCP/_bundled_hub ./hub", "convert a HestAI-MCP hub"),),
    "hub import": (
        E("tmws hub import ../HestAI-MCP/_bundled_hub ./hub", "convert a HestAI-MCP hub"),
    ),
    "integrate": (E("tmws integrate claude-code", "hooks and MCP server for Claude Code"),),
    "integrate claude-code": (
        E("tmws integrate claude-code --dry-run", "show the settings diff first"),
        E("tmws integrate claude-code --local --allow-tools", "only for you, tools approved"),
        E("tmws integrate claude-code --remove", "take every tmws entry out"),
    ),
    "integrate codex": (
        E("tmws integrate codex --dry-run", "show the change first"),
        E("tmws integrate codex", "connect Codex"),
    ),
    "integrate gemini": (
        E("tmws integrate gemini --dry-run", "show the change first"),
        E("tmws integrate gemini", "connect Gemini CLI"),
    ),
    "integrate cursor": (
        E("tmws integrate cursor --dry-run", "show the change first"),
        E("tmws integrate cursor", "connect Cursor"),
    ),
    "learn": (
        E("tmws learn mine", "find workflow patterns in the archives"),
        E("tmws learn patterns --state VALIDATED", "the ones worth a review"),
    ),
    "learn mine": (
        E("tmws learn mine", "mine every archive"),
        E("tmws learn mine --incremental", "only the new archives"),
        E("tmws learn mine --explain", "why near misses did not become patterns"),
    ),
    "learn status": (E("tmws learn status", "counts and the last mining run"),),
    "learn patterns": (
        E("tmws learn patterns", "every pattern, most supported first"),
        E("tmws learn patterns --state VALIDATED", "the ones waiting for a review"),
    ),
    "learn show": (E("tmws learn show pt-1a2b3c4d", "one pattern with its evidence"),),
    "learn approve": (
        E('tmws learn approve pt-1a2b3c4d --reason "we always do this"', "approve a pattern"),
    ),
    "learn reject": (
        E('tmws learn reject pt-1a2b3c4d --reason "coincidence"', "never suggest it"),
    ),
    "learn deprecate": (
        E('tmws learn deprecate pt-1a2b3c4d --reason "we moved to uv"', "retire its skill"),
    ),
    "learn promote": (
        E("tmws learn promote", "every approved pattern becomes a skill"),
        E("tmws learn promote pt-1a2b3c4d", "just this one"),
    ),
    "learn skills": (E("tmws learn skills", "skills with their use and feedback"),),
    "learn suggest": (
        E('tmws learn suggest "fix a failing test"', "skills that fit the task"),
        E('tmws learn suggest "release" --limit 5 --record', "record them for feedback"),
    ),
    "learn feedback": (
        E('tmws learn feedback sg-1a2b3c4d --helpful --notes "saved a step"', "it helped"),
        E("tmws learn feedback sg-1a2b3c4d --not-helpful", "it did not"),
    ),
    "learn export": (E("tmws learn export --claude", "copy skills to .claude/skills/"),),
    "learn prune": (
        E("tmws learn prune --dry-run", "list old rejected patterns"),
        E("tmws learn prune --older-than-days 90", "remove those rejected 90+ days ago"),
    ),
    "learn sops": (
        E('tmws learn sops "release"', "step-by-step drafts for a kind of work"),
        E("tmws learn sops --min-confidence 0.6 --limit 3", "only confident ones"),
    ),
    "migrate": (E("tmws migrate hestai-mcp --dry-run", "what taking over would change"),),
    "migrate hestai-mcp": (
        E("tmws migrate hestai-mcp --dry-run", "what would move, losing nothing"),
        E("tmws migrate hestai-mcp", "take over a HestAI-MCP .hestai/"),
    ),
    "octave": (E("tmws octave check .hestai/context/*.oct.md", "strict OCTAVE check"),),
    "octave check": (
        E("tmws octave check .hestai/context/*.oct.md", "as octave-mcp strict reads them"),
        E("tmws octave check notes.oct.md --json", "findings for a script"),
    ),
    "sessions": (
        E("tmws sessions", "the open sessions of this worktree"),
        E("tmws sessions list --archived", "past sessions; `tmws show ID` opens one"),
    ),
    "sessions list": (
        E("tmws sessions list", "open sessions"),
        E("tmws sessions list --archived --json", "past sessions for a script"),
    ),
    "sessions reap": (
        E("tmws sessions reap", "archive stale sessions (agent gone) as abandoned"),
        E("tmws sessions reap --older-than 12", "count as stale after 12 hours"),
    ),
}


def epilog(path: str) -> str | None:
    """The `Examples` block for the command at `path`, as its help's epilog (None: none)."""
    examples = EXAMPLES.get(path)
    if not examples:
        return None
    lines = ["Examples:"]
    for example in examples:
        if example.why:
            lines.append(f"# {example.why}")
        lines.extend(shell_lines(f"$ {example.command}"))
    return "\n".join(lines)


def shell_lines(command: str, width: int = WIDTH) -> list[str]:
    """`command` in lines of at most `width`, broken before an option with a ` \\`.

    The break is a shell line continuation, so the lines still paste as one command; a
    quoted value is never split (only ` --` starts a new piece).
    """
    first, *rest = command.split(" --")  # split before each ` --`, keeping the `--`
    pieces = [first, *("--" + piece for piece in rest)]
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + 1 + len(piece) + 2 <= width:
            lines[-1] += " " + piece
        else:
            lines[-1] += " \\"
            lines.append("    " + piece)
    return lines
