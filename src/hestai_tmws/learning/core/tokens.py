"""Turn one tool call into a stable token: the tool, plus the action of generic tools.

Patterns are only found if the same work gives the same token every time, so the rules
keep what the agent chose (the tool, the command's verb) and drop everything that varies
between runs (paths, messages, ids). The rules are documented in `docs/learning.md`;
everything here is deterministic and does no I/O.

Digest expected per tool (what the sessions service passes as `digest`):

- shell tools (`Bash`, `bash`, `Shell`): the command text (its head is enough);
- `Task`, `Agent`: the sub-agent type; `Skill`: the skill name (kept only if word-like);
- any other tool: ignored — the tool name alone is the token.
"""

from __future__ import annotations

import re
from functools import lru_cache

SHELL_TOOLS = frozenset({"Bash", "bash", "Shell"})
NAMED_ACTION_TOOLS = frozenset({"Task", "Agent", "Skill"})

MAX_COMMAND_CHARS = 4000
_MAX_DEPTH = 3

_WORD_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+@-]{0,63}$")
_PROGRAM = re.compile(r"^[a-z0-9_][a-z0-9_.+-]{0,63}$")
_SUBCOMMAND = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,39}$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_REDIRECT = re.compile(r"^(\d*|&)(>>?|<<?<?|>&|<&|>\|)")
_REDIRECT_ONLY = re.compile(r"^(\d*|&)(>>?|<<?<?|>&|<&|>\|)-?$")
_PYTHON = re.compile(r"^(python|python\d+(\.\d+)?|py|pypy\d*)$")
_SQL_RISK = re.compile(
    r"\b(drop\s+(?:table|database|schema)|truncate(?:\s+table)?|delete\s+from)\b", re.IGNORECASE
)

# Segments that only set the scene for the real command (`cd x && pytest` -> pytest).
_SETUP = frozenset(
    {
        "cd",
        "pushd",
        "popd",
        "export",
        "set",
        "unset",
        "source",
        ".",
        "alias",
        "true",
        "false",
        ":",
        "shopt",
        "ulimit",
        "umask",
        "trap",
        "local",
        "declare",
        "typeset",
        "readonly",
        "sleep",
        "echo",
        "printf",
        "clear",
        "for",
        "while",
        "until",
        "if",
        "elif",
        "case",
        "fi",
        "done",
        "esac",
        "wait",
    }
)
# Words that open a block body: dropped so that the body's command names the step.
_BLOCK_WORDS = frozenset({"do", "then", "else", "{", "}", "!", "time"})

# Wrappers that run another command: name -> options that take a value.
_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D"}),
    "env": frozenset({"-u", "-C", "-S", "--unset", "--chdir"}),
    "nohup": frozenset(),
    "exec": frozenset({"-a"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "-n", "-p"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "xargs": frozenset({"-I", "-i", "-n", "-P", "-L", "-l", "-d", "-s", "-E", "-a"}),
    "watch": frozenset({"-n", "--interval", "-d"}),
    "npx": frozenset({"-p", "--package", "-c", "--call"}),
    "bunx": frozenset({"-p", "--package"}),
    "pnpx": frozenset({"-p", "--package"}),
    "uvx": frozenset({"--from", "--with", "--python", "-p"}),
    "pipx": frozenset(),
}
# Wrappers that need a positional value before the command (`timeout 30 pytest`).
_WRAPPERS_WITH_VALUE = frozenset({"timeout"})

# Runners written as two words: `uv run pytest` -> pytest.
_RUNNERS: dict[tuple[str, str], frozenset[str]] = {
    ("uv", "run"): frozenset(
        {
            "--with",
            "--python",
            "-p",
            "--project",
            "--directory",
            "--package",
            "--extra",
            "--group",
            "--env-file",
            "--index",
            "--with-requirements",
            "--only-group",
        }
    ),
    ("poetry", "run"): frozenset({"-C", "--directory", "-P", "--project"}),
    ("pipenv", "run"): frozenset(),
    ("pdm", "run"): frozenset({"-p", "--project"}),
    ("hatch", "run"): frozenset(),
    ("rye", "run"): frozenset(),
    ("conda", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("mamba", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("pnpm", "exec"): frozenset({"-C", "--dir", "--filter", "-F"}),
    ("pnpm", "dlx"): frozenset(),
    ("yarn", "dlx"): frozenset({"-p", "--package"}),
    ("bundle", "exec"): frozenset(),
    ("pipx", "run"): frozenset({"--spec"}),
    ("dotenv", "run"): frozenset(),
}
_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "fish"})

# Programs whose first positional argument is a sub-command worth keeping; the value is
# the set of global options (before the sub-command) that take a value.
_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "git": frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"}),
    "npm": frozenset({"--prefix", "-w", "--workspace", "-C"}),
    "pnpm": frozenset({"-C", "--dir", "--filter", "-F", "-w"}),
    "yarn": frozenset({"--cwd"}),
    "bun": frozenset({"--cwd"}),
    "uv": frozenset({"--directory", "--project", "--cache-dir", "--python", "-p"}),
    "poetry": frozenset({"-C", "--directory", "-P", "--project"}),
    "pip": frozenset(),
    "pip3": frozenset(),
    "pipx": frozenset(),
    "pdm": frozenset({"-p", "--project"}),
    "hatch": frozenset({"-e", "--env"}),
    "cargo": frozenset({"-C", "--config", "-Z"}),
    "go": frozenset(),
    "mix": frozenset(),
    "docker": frozenset({"-H", "--host", "--context", "-c", "--config", "-l", "--log-level"}),
    "docker-compose": frozenset({"-f", "--file", "-p", "--project-name", "--env-file"}),
    "podman": frozenset({"--connection", "--url"}),
    "kubectl": frozenset({"-n", "--namespace", "--context", "--kubeconfig", "-s", "--server"}),
    "helm": frozenset({"-n", "--namespace", "--kube-context"}),
    "terraform": frozenset({"-chdir"}),
    "gh": frozenset({"-R", "--repo"}),
    "make": frozenset({"-C", "-f", "--file", "--directory", "-j", "-l", "-I", "-o", "-W"}),
    "just": frozenset({"-f", "--justfile", "-d", "--working-directory"}),
    "dotnet": frozenset(),
    "ruff": frozenset({"--config"}),
    "pre-commit": frozenset({"-c", "--config"}),
    "tmws": frozenset({"-C", "--project"}),
    "bd": frozenset({"--db"}),
    "brew": frozenset(),
    "apt": frozenset({"-o", "-c", "-t"}),
    "apt-get": frozenset({"-o", "-c", "-t"}),
    "systemctl": frozenset({"-H", "--host", "-M", "--machine"}),
    "conda": frozenset(),
    "rails": frozenset(),
    "rake": frozenset({"-f", "-C"}),
    "gradle": frozenset({"-p", "--project-dir", "-b"}),
    "gradlew": frozenset({"-p", "--project-dir", "-b"}),
    "mvn": frozenset({"-f", "-pl", "-P"}),
    "mvnw": frozenset({"-f", "-pl", "-P"}),
    "deno": frozenset(),
    "nx": frozenset(),
    "turbo": frozenset(),
    "flutter": frozenset(),
    "rustup": frozenset(),
    "alembic": frozenset({"-c", "--config", "-n", "--name"}),
    "django-admin": frozenset(),
    "aws": frozenset({"--profile", "--region", "--output"}),
    "gcloud": frozenset({"--project", "--account"}),
    "az": frozenset({"--subscription"}),
}
# Sub-commands that have a meaningful second level (`npm run build`, `gh pr create`).
_SECOND_LEVEL: dict[str, frozenset[str] | None] = {
    "npm": frozenset({"run", "run-script"}),
    "pnpm": frozenset({"run"}),
    "yarn": frozenset({"run", "workspace"}),
    "bun": frozenset({"run"}),
    "uv": frozenset({"pip", "tool", "python", "cache", "self"}),
    "poetry": frozenset({"env", "self", "source", "cache"}),
    "docker": frozenset({"compose", "container", "image", "volume", "network", "system"}),
    "podman": frozenset({"compose", "container", "image", "volume", "network", "system"}),
    "git": frozenset({"stash", "remote", "worktree", "submodule", "bisect", "notes"}),
    "go": frozenset({"mod", "tool"}),
    "cargo": frozenset(),
    "gh": None,  # every gh group has verbs: gh pr create, gh issue view
    "aws": None,
    "gcloud": None,
    "az": None,
    "dotnet": frozenset({"ef", "tool"}),
}
_SQL_CLIENTS = frozenset({"psql", "mysql", "mariadb", "sqlite3", "duckdb", "sqlcmd", "mongosh"})


def tokenize(tool: str, digest: str | None = None) -> str:
    """Return the token of one tool call: ``Read``, ``Bash:git commit``, ``mcp__tmws__clock_in``."""
    name = tool.strip()
    action = action_of(name, digest)
    return f"{name}:{action}" if action else name


def action_of(tool: str, digest: str | None) -> str | None:
    """The meaningful action of a generic tool, or None when the tool name says it all."""
    name = tool.strip()
    if not digest:
        return None
    if name in SHELL_TOOLS:
        return shell_action(digest)
    if name in NAMED_ACTION_TOOLS:
        value = digest.strip()
        return value if _WORD_LIKE.match(value) else None
    return None


@lru_cache(maxsize=16384)
def shell_action(command: str) -> str | None:
    """The verb of a shell command line: ``cd x && uv run pytest -q tests/`` -> ``pytest``."""
    return _action_of_text(command[:MAX_COMMAND_CHARS], 0)


def _action_of_text(text: str, depth: int) -> str | None:
    segments = [seg for seg in _split(text) if seg.words]
    chosen: _Segment | None = None
    chosen_words: list[str] = []
    for seg in segments:
        words = _strip_block_words(_drop_redirects(seg.words))
        if not words:
            continue
        if chosen is None:
            chosen, chosen_words = seg, words
        program = words[0]
        if _ASSIGNMENT.match(program) and all(_ASSIGNMENT.match(w) for w in words):
            continue
        if _basename(program) in _SETUP:
            continue
        chosen, chosen_words = seg, words
        break
    if chosen is None:
        return None
    return _action_of_words(chosen_words, chosen.raw, depth)


def _action_of_words(words: list[str], raw: str, depth: int) -> str | None:
    args = _unwrap(words)
    if not args:
        return None
    program = _basename(args[0])
    rest = args[1:]
    if program in _SHELLS and depth < _MAX_DEPTH:
        inner = _shell_c_argument(rest)
        if inner is not None:
            return _action_of_text(inner, depth + 1)
    if _PYTHON.match(program):
        module_args = _python_module(rest)
        if module_args is None:
            return "python"
        if not module_args:
            return "python"
        return _action_of_words(module_args, raw, depth)
    if not _PROGRAM.match(program):
        return None
    parts = [program, *_subcommands(program, rest)]
    parts.extend(_risk_flags(parts, rest, raw))
    return " ".join(parts)


class _Segment:
    """One simple command of a command line: its words (unquoted) and its raw text."""

    __slots__ = ("raw", "words")

    def __init__(self, words: list[str], raw: str) -> None:
        self.words = words
        self.raw = raw


def _split(text: str) -> list[_Segment]:
    """Split a command line into simple commands at `&&`, `||`, `;`, `|`, `&`, newlines, parens.

    A small shell lexer: quotes and escapes are honoured, `$(...)` and backticks stay inside
    their word, redirections such as `2>&1` stay one word. Truncated input is fine.
    """
    segments: list[_Segment] = []
    words: list[str] = []
    cur: list[str] = []
    in_word = False
    seg_start = 0
    i = 0
    n = len(text)

    def end_word() -> None:
        nonlocal in_word
        if in_word:
            words.append("".join(cur))
            cur.clear()
            in_word = False

    def end_segment(end: int) -> None:
        nonlocal words
        end_word()
        segments.append(_Segment(words, text[seg_start:end]))
        words = []

    while i < n:
        c = text[i]
        if c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            cur.append(text[i + 1 : j])
            in_word = True
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    cur.append(text[j + 1])
                    j += 2
                    continue
                cur.append(text[j])
                j += 1
            in_word = True
            i = j + 1
        elif c == "\\":
            if i + 1 < n and text[i + 1] != "\n":
                cur.append(text[i + 1])
                in_word = True
            i += 2
        elif c == "`":
            j = text.find("`", i + 1)
            j = n if j < 0 else j
            cur.append(text[i : j + 1])
            in_word = True
            i = j + 1
        elif c == "$" and i + 1 < n and text[i + 1] == "(":
            j = _matching_paren(text, i + 1)
            cur.append(text[i : j + 1])
            in_word = True
            i = j + 1
        elif c in " \t\r":
            end_word()
            i += 1
        elif c == "#" and not in_word:
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "&" and i + 1 < n and text[i + 1] == ">" and not in_word:
            cur.append("&>")
            in_word = True
            i += 2
        elif c == "&" and cur and cur[-1] and cur[-1][-1] in "<>":
            cur.append("&")
            i += 1
        elif c in "\n;&|()":
            end_segment(i)
            i += 1
            while i < n and text[i] in "&|;":
                i += 1
            seg_start = i
        else:
            cur.append(c)
            in_word = True
            i += 1
    end_segment(n)
    return segments


def _matching_paren(text: str, open_at: int) -> int:
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


def _drop_redirects(words: list[str]) -> list[str]:
    out: list[str] = []
    skip_next = False
    for word in words:
        if skip_next:
            skip_next = False
            continue
        if _REDIRECT_ONLY.match(word):
            skip_next = True
            continue
        if _REDIRECT.match(word):
            continue
        out.append(word)
    return out


def _strip_block_words(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) and words[start] in _BLOCK_WORDS:
        start += 1
    return words[start:]


def _basename(word: str) -> str:
    name = word.rsplit("/", 1)[-1].lower()
    return name[:-4] if name.endswith(".exe") else name


def _unwrap(words: list[str]) -> list[str]:
    """Drop env assignments, sudo/env/nohup/timeout/xargs wrappers and `uv run`-like runners."""
    args = list(words)
    for _ in range(16):
        while args and (_ASSIGNMENT.match(args[0]) or args[0] in _BLOCK_WORDS):
            args.pop(0)
        if not args:
            return args
        head = _basename(args[0])
        if head in _WRAPPERS:
            args = _skip_options(args[1:], _WRAPPERS[head])
            continue
        if head in _WRAPPERS_WITH_VALUE:
            args = _skip_options(args[1:], frozenset({"-s", "--signal", "-k", "--kill-after"}))
            args = args[1:]
            continue
        if len(args) >= 2 and (head, args[1]) in _RUNNERS:
            args = _skip_options(args[2:], _RUNNERS[(head, args[1])])
            continue
        break
    return args


def _skip_options(args: list[str], takes_value: frozenset[str]) -> list[str]:
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            return args[i + 1 :]
        if not word.startswith("-") or word == "-":
            break
        i += 2 if word in takes_value else 1
    return args[i:]


def _shell_c_argument(args: list[str]) -> str | None:
    for i, word in enumerate(args):
        if word == "-c" or (word.startswith("-") and not word.startswith("--") and "c" in word):
            return args[i + 1] if i + 1 < len(args) else None
        if not word.startswith("-"):
            return None
    return None


def _python_module(args: list[str]) -> list[str] | None:
    """For `python [opts] -m mod args`, return `[mod, args...]`; None when no `-m`."""
    i = 0
    while i < len(args):
        word = args[i]
        if word == "-m":
            return args[i + 1 :]
        if word.startswith("-m") and len(word) > 2:
            return [word[2:], *args[i + 1 :]]
        if word in ("-X", "-W", "-Q"):
            i += 2
            continue
        if word.startswith("-") and word not in ("-c", "-"):
            i += 1
            continue
        return None
    return None


def _subcommands(program: str, rest: list[str]) -> list[str]:
    if program not in _SUBCOMMANDS:
        return []
    positional = _positionals(rest, _SUBCOMMANDS[program])
    if not positional or not _SUBCOMMAND.match(positional[0]):
        return []
    first = positional[0]
    second_allowed = _SECOND_LEVEL.get(program, frozenset())
    if (second_allowed is None or first in second_allowed) and len(positional) > 1:
        nxt = positional[1]
        if _SUBCOMMAND.match(nxt):
            return [first, nxt]
    return [first]


def _positionals(args: list[str], takes_value: frozenset[str]) -> list[str]:
    """The first two positional words, skipping options (and the values of known ones)."""
    out: list[str] = []
    i = 0
    while i < len(args) and len(out) < 2:
        word = args[i]
        if word == "--":
            break
        if word.startswith("-") or word.startswith("+"):
            i += 2 if word in takes_value else 1
            continue
        out.append(word)
        i += 1
    return out


def _short_flags(rest: list[str]) -> set[str]:
    flags: set[str] = set()
    for word in rest:
        if word == "--":
            break
        if word.startswith("--"):
            flags.add(word.split("=", 1)[0])
        elif word.startswith("-") and len(word) > 1:
            flags.update(f"-{ch}" for ch in word[1:])
    return flags


def _risk_flags(parts: list[str], rest: list[str], raw: str) -> list[str]:
    """Flags that make a command destructive are part of its action (checked by V5)."""
    program = parts[0]
    sub = parts[1] if len(parts) > 1 else ""
    flags = _short_flags(rest)
    if program == "rm":
        recursive = bool(flags & {"-r", "-R", "--recursive"})
        force = bool(flags & {"-f", "--force"})
        if recursive and force:
            return ["-rf"]
        if recursive:
            return ["-r"]
        return ["-f"] if force else []
    if program == "git":
        if sub == "push" and (
            flags & {"-f", "--force", "--force-with-lease", "--force-if-includes", "--mirror"}
            or any(w.startswith("+") for w in rest)
        ):
            return ["--force"]
        if sub == "reset" and "--hard" in flags:
            return ["--hard"]
        if sub == "clean" and flags & {"-f", "--force"}:
            return ["-f"]
        deleting = bool(flags & {"-d", "--delete"})
        if sub == "branch" and ("-D" in flags or (deleting and flags & {"-f", "--force"})):
            return ["-D"]
        return []
    if program == "find" and ("-delete" in rest or ("-exec" in rest and "rm" in rest)):
        return ["-delete"]
    if program in ("chmod", "chown", "chgrp") and flags & {"-R", "--recursive"}:
        return ["-R"]
    if program in _SQL_CLIENTS:
        found = _SQL_RISK.search(raw)
        if found:
            return [w.lower() for w in found.group(1).split()]
    return []
