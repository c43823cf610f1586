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

from hestai_tmws.learning.core.risk_flags import risk_flags
from hestai_tmws.learning.core.shell_lexer import (
    Segment,
    drop_redirects,
    split_commands,
    strip_block_words,
)
from hestai_tmws.learning.core.shell_words import (
    BLOCK_WORDS,
    INSPECTION,
    NEVER_WRAPPERS,
    RUNNERS,
    SECOND_LEVEL,
    SETUP_WORDS,
    SHELLS,
    SUBCOMMANDS,
    WRAPPERS,
    WRAPPERS_WITH_VALUE,
)

SHELL_TOOLS = frozenset({"Bash", "bash", "Shell"})
NAMED_ACTION_TOOLS = frozenset({"Task", "Agent", "Skill"})

MAX_COMMAND_CHARS = 4000
_MAX_DEPTH = 3

_WORD_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+@-]{0,63}$")
_PROGRAM = re.compile(r"^[a-z0-9_][a-z0-9_.+-]{0,63}$")
_SUBCOMMAND = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,39}$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PYTHON = re.compile(r"^(python|python\d+(\.\d+)?|py|pypy\d*)$")
_ID_LIKE = re.compile(r"^(?=.*\d)[0-9a-fA-F_-]{6,}$|^[A-Z0-9_]{4,}$")
# What a project wrapper may run: the programs the tables know.
KNOWN_PROGRAMS = frozenset(
    {*SUBCOMMANDS, *SHELLS, *WRAPPERS, *WRAPPERS_WITH_VALUE, *(head for head, _ in RUNNERS)}
    | {"pytest", "node", "python", "python3", "tsc", "eslint", "jest", "biome", "prettier"}
)


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
    """The first command of a chain that does something: set-up words (`cd x &&`) are
    skipped, and so are commands that only look (`cat`, `grep`) when a later one acts."""
    segments = [seg for seg in split_commands(text) if seg.words]
    chosen: Segment | None = None
    chosen_words: list[str] = []
    looking: tuple[Segment, list[str]] | None = None
    for seg in segments:
        words = strip_block_words(drop_redirects(seg.words))
        if not words:
            continue
        if chosen is None:
            chosen, chosen_words = seg, words
        program = words[0]
        if _ASSIGNMENT.match(program) and all(_ASSIGNMENT.match(w) for w in words):
            continue
        head = _basename(program)
        if head in SETUP_WORDS:
            continue
        if head in INSPECTION and not any(w.startswith("<<") for w in seg.words):
            looking = looking or (seg, words)  # a here-document's body is no command
            continue
        chosen, chosen_words = seg, words
        looking = None
        break
    if looking is not None:
        chosen, chosen_words = looking
    if chosen is None:
        return None
    return _action_of_words(chosen_words, chosen.raw, depth)


def _action_of_words(words: list[str], raw: str, depth: int) -> str | None:
    args = _unwrap(words)
    if not args:
        return None
    program = _basename(args[0])
    rest = args[1:]
    if program in SHELLS and depth < _MAX_DEPTH:
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
    wrapped = _wrapped_command(program, rest)
    if wrapped is not None and depth < _MAX_DEPTH:
        return _action_of_words(wrapped, raw, depth + 1)
    parts = [program, *_subcommands(program, rest)]
    parts.extend(risk_flags(parts, rest, raw))
    return " ".join(parts)


def _wrapped_command(program: str, rest: list[str]) -> list[str] | None:
    """What a project wrapper runs: `doppler run -- bun test`, `rtk go test`, `wsl -e sh -c`.

    A program the tables do not know, followed (after its options, or after `--`) by one
    they do, is taken to run that one. Tools that only look or move files never wrap.
    """
    if program in SUBCOMMANDS or program in NEVER_WRAPPERS or not rest:
        return None
    if "--" in rest:
        after = rest[rest.index("--") + 1 :]
        if after and _basename(after[0]) in KNOWN_PROGRAMS:
            return after
    i = 0
    while i < len(rest) and rest[i].startswith("-"):
        i += 1
    if i < len(rest) and _basename(rest[i]) in KNOWN_PROGRAMS:
        return rest[i:]
    return None


def _basename(word: str) -> str:
    name = word.rsplit("/", 1)[-1].lower()
    return name[:-4] if name.endswith(".exe") else name


def _unwrap(words: list[str]) -> list[str]:
    """Drop env assignments, sudo/env/nohup/timeout/xargs wrappers and `uv run`-like runners."""
    args = list(words)
    for _ in range(16):
        while args and (_ASSIGNMENT.match(args[0]) or args[0] in BLOCK_WORDS):
            args.pop(0)
        if not args:
            return args
        head = _basename(args[0])
        if head in WRAPPERS:
            args = _skip_options(args[1:], WRAPPERS[head])
            continue
        if head in WRAPPERS_WITH_VALUE:
            args = _skip_options(args[1:], frozenset({"-s", "--signal", "-k", "--kill-after"}))
            args = args[1:]
            continue
        if len(args) >= 2 and (head, args[1]) in RUNNERS:
            args = _skip_options(args[2:], RUNNERS[(head, args[1])])
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
    if program not in SUBCOMMANDS:
        return []
    positional = _positionals(rest, SUBCOMMANDS[program])
    if not positional or not _is_verb(positional[0]):
        return []
    first = positional[0]
    second_allowed = SECOND_LEVEL.get(program, frozenset())
    if (second_allowed is None or first in second_allowed) and len(positional) > 1:
        nxt = positional[1]
        if _is_verb(nxt):
            return [first, nxt]
    return [first]


def _is_verb(word: str) -> bool:
    """A sub-command, not an argument: ids, hashes and redaction markers are dropped."""
    return bool(_SUBCOMMAND.match(word)) and not _ID_LIKE.match(word)


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
