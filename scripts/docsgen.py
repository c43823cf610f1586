"""Generate the CLI and MCP references from the live app and server, so they cannot drift.

`docs/cli-reference.md` is rendered from the typer app (every command, sub-command, argument
and option, with its help text), `docs/mcp-reference.md` from a live MCP server, and the
generated blocks of `docs/architecture.md` (module map, lazy imports) by `docs_architecture`.
The output depends only on the code: no terminal width, no clock, no temporary paths.
`tests/scripts/test_docsgen.py` fails when a committed reference differs from a fresh one;
`python scripts/gen_docs.py` rewrites them.
"""

from __future__ import annotations

import enum
import inspect
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from docs_architecture import MODULE_MAP_DOC, architecture_markdown
from docs_markdown import cell as _cell
from docs_markdown import escape_markdown

CLI_REFERENCE = "cli-reference.md"
MCP_REFERENCE = "mcp-reference.md"
PROG = "tmws"
REGENERATE = "python scripts/gen_docs.py"

CLI_HEADER = f"""\
# CLI reference

Generated from the typer app by `scripts/docsgen.py`; do not edit
by hand: run `{REGENERATE}` after changing a command.

Every command takes `--help`. Global options (`--project/-C`, `--debug`) go before the
command: `tmws -C ../other-repo status`. Exit codes: 0 ok, 1 error, 2 usage, 3 blocked by
policy, 4 busy (another writer holds the Steward lock). Every read command takes `--json`.
`NO_COLOR` turns off colours and styles. See [troubleshooting](troubleshooting.md) for the
errors and what to do about them.
"""


@dataclass(frozen=True)
class CommandDoc:
    """One command of the app, with the words that name it (`["context", "update"]`)."""

    path: tuple[str, ...]
    command: Any  # a click/typer Command or Group

    @property
    def name(self) -> str:
        return " ".join((PROG, *self.path))

    @property
    def is_group(self) -> bool:
        return hasattr(self.command, "list_commands")


def _context(command: Any, name: str, parent: Any = None) -> Any:
    """A click context for listing sub-commands (typer may vendor its own click)."""
    for cls in type(command).__mro__:
        context_cls = getattr(sys.modules.get(cls.__module__), "Context", None)
        if isinstance(context_cls, type):
            return context_cls(command, info_name=name, parent=parent)
    raise TypeError(f"no click Context class next to {type(command).__name__}")


def iter_commands(root: Any | None = None) -> Iterator[CommandDoc]:
    """Every command of the app, depth first, in the order `tmws --help` lists them."""
    if root is None:
        root = app_command()

    def walk(command: Any, path: tuple[str, ...], parent_ctx: Any) -> Iterator[CommandDoc]:
        doc = CommandDoc(path=path, command=command)
        yield doc
        if not doc.is_group:
            return
        ctx = _context(command, path[-1] if path else PROG, parent_ctx)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            yield from walk(sub, (*path, name), ctx)

    yield from walk(root, (), None)


def app_command() -> Any:
    """The click command behind `tmws` (typer builds it from the app)."""
    import typer.main

    from hestai_tmws.cli.app import build_app

    return typer.main.get_command(build_app())


# -- describing parameters ---------------------------------------------------------------------


def _is_option(param: Any) -> bool:
    return bool(getattr(param, "opts", None)) and str(param.opts[0]).startswith("-")


def _annotation(param: Any) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    return getattr(descriptor, "annotation", None)


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation


def _name_of_annotation(annotation: Any) -> str:
    annotation = _strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(annotation)
        return _name_of_annotation(args[0]) if args else "text"
    if origin is typing.Literal:
        return "one of: " + ", ".join(str(v) for v in typing.get_args(annotation))
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return "one of: " + ", ".join(str(m.value) for m in annotation)
        if issubclass(annotation, bool):
            return "flag"
        if issubclass(annotation, int):
            return "integer"
        if issubclass(annotation, float):
            return "number"
        if issubclass(annotation, PurePath):
            return "path"
    return "text"


_CLICK_TYPES = {
    "text": "text",
    "string": "text",
    "path": "path",
    "file": "path",
    "integer": "integer",
    "integer range": "integer",
    "float": "number",
    "float range": "number",
    "boolean": "flag",
}


def _name_of_click_type(param: Any) -> str:
    kind = getattr(param, "type", None)
    choices = getattr(kind, "choices", None)
    if choices:
        return "one of: " + ", ".join(str(getattr(c, "value", c)) for c in choices)
    name = str(getattr(kind, "name", "text")).lower()
    return _CLICK_TYPES.get(name, name)


def _range(param: Any) -> tuple[Any, Any]:
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    kind = getattr(param, "type", None)
    if lo is None and hi is None and kind is not None:
        lo, hi = getattr(kind, "min", None), getattr(kind, "max", None)
    return lo, hi


def param_type(param: Any) -> str:
    """A short, version-independent name for what a parameter takes."""
    annotation = _annotation(param)
    name = _name_of_click_type(param) if annotation is None else _name_of_annotation(annotation)
    if getattr(param, "is_flag", False) and not getattr(param, "secondary_opts", None):
        name = "flag"
    lo, hi = _range(param)
    if lo is not None and hi is not None:
        name += f" ({lo}–{hi})"
    elif lo is not None:
        name += f" (≥ {lo})"
    elif hi is not None:
        name += f" (≤ {hi})"
    if getattr(param, "multiple", False) and _is_option(param):
        name += ", repeatable"
    return name


def param_default(param: Any) -> str:
    if getattr(param, "required", False):
        return "required"
    value = getattr(param, "default", None)
    if callable(value):
        return "computed"
    if isinstance(value, enum.Enum):
        return f"`{value.value}`"
    if value is None or value == () or value == []:
        return "—"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"


def option_names(param: Any) -> str:
    names = [*param.opts]
    secondary = list(getattr(param, "secondary_opts", None) or [])
    text = ", ".join(f"`{n}`" for n in sorted(names, key=lambda n: (not n.startswith("--"), n)))
    if secondary:
        text += " / " + ", ".join(f"`{n}`" for n in secondary)
    return text


def argument_metavar(param: Any) -> str:
    """How an argument appears in the usage line: `DOC`, `[DOC]...`, `PATHS...`."""
    if getattr(param, "metavar", None):
        return str(param.metavar)
    text = str(param.name).upper()
    if getattr(param, "nargs", 1) == -1:
        text += "..."
    return text if getattr(param, "required", False) else f"[{text}]"


def help_text(command: Any) -> str:
    """The command's help as written (click conventions: text after \\f is private)."""
    text = command.help or ""
    text = text.split("\f", 1)[0]
    lines = [line for line in inspect.cleandoc(text).splitlines() if line.strip() != "\b"]
    return "\n".join(lines).strip()


def summary(command: Any) -> str:
    short = getattr(command, "short_help", None)
    if short:
        return _cell(short)
    first = help_text(command).split("\n\n", 1)[0]
    return _cell(first)


def _visible(params: list[Any]) -> list[Any]:
    return [p for p in params if not getattr(p, "hidden", False)]


def usage(doc: CommandDoc) -> str:
    params = _visible(list(doc.command.params))
    parts = [doc.name]
    if any(_is_option(p) for p in params):
        parts.append("[OPTIONS]")
    parts += [argument_metavar(p) for p in params if not _is_option(p)]
    if doc.is_group:  # a group that does something by itself takes its command optionally
        optional = getattr(doc.command, "invoke_without_command", False)
        parts.append("[COMMAND [ARGS]...]" if optional else "COMMAND [ARGS]...")
    return " ".join(parts)


def _anchor(name: str) -> str:
    return name.replace(" ", "-")


def _render_command(doc: CommandDoc) -> list[str]:
    level = "#" * min(2 + max(len(doc.path) - 1, 0), 4)
    out = [f"{level} `{doc.name}`", ""]
    text = help_text(doc.command)
    if text:
        out += [escape_markdown(text), ""]
    out += ["```text", usage(doc), "```", ""]
    examples = (doc.command.epilog or "").removeprefix("Examples:").strip("\n")
    if examples:  # the examples `--help` ends with (cli.examples)
        out += ["Examples:", "", "```console", examples, "```", ""]
    params = _visible(list(doc.command.params))
    arguments = [p for p in params if not _is_option(p)]
    options = [p for p in params if _is_option(p)]
    if arguments:
        out += ["| argument | type | default | description |", "|---|---|---|---|"]
        for p in arguments:
            out.append(
                f"| `{argument_metavar(p)}` | {param_type(p)} | {param_default(p)} "
                f"| {_cell(getattr(p, 'help', ''))} |"
            )
        out.append("")
    if options:
        out += ["| option | type | default | description |", "|---|---|---|---|"]
        for p in options:
            out.append(
                f"| {option_names(p)} | {param_type(p)} | {param_default(p)} "
                f"| {_cell(getattr(p, 'help', ''))} |"
            )
        out.append("")
    if doc.is_group:
        ctx = _context(doc.command, doc.path[-1] if doc.path else PROG)
        names = [
            n
            for n in doc.command.list_commands(ctx)
            if not getattr(doc.command.get_command(ctx, n), "hidden", False)
        ]
        if names:
            out += ["| command | what it does |", "|---|---|"]
            for n in names:
                sub = doc.command.get_command(ctx, n)
                full = " ".join((doc.name, n))
                out.append(f"| [`{full}`](#{_anchor(full)}) | {summary(sub)} |")
            out.append("")
    return out


def cli_reference_markdown() -> str:
    """The Markdown reference of every `tmws` command, deterministic for a given code base."""
    out = [CLI_HEADER]
    for doc in iter_commands():
        out += _render_command(doc)
    return "\n".join(out).rstrip("\n") + "\n"


def mcp_reference_markdown() -> str:
    """Every MCP tool, resource and prompt with its schemas, from a live server.

    The MCP face renders it (`hestai_tmws.mcpserver.mcp_reference_markdown`); this name is
    the one the docs generator and its tests use.
    """
    from hestai_tmws.mcpserver import mcp_reference_markdown as render

    return str(render())


# -- writing and checking ------------------------------------------------------------------------


def generated_references(docs_dir: Path) -> dict[str, str]:
    """File name (inside `docs_dir`) → its content as the generators make it today."""
    out = {CLI_REFERENCE: cli_reference_markdown(), MCP_REFERENCE: mcp_reference_markdown()}
    architecture = docs_dir / MODULE_MAP_DOC
    if architecture.is_file():
        out[MODULE_MAP_DOC] = architecture_markdown(architecture.read_text(encoding="utf-8"))
    return out


def write_references(docs_dir: Path) -> dict[str, bool]:
    """Write the references (and the module map of architecture.md); name → changed."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    changed: dict[str, bool] = {}
    for name, text in generated_references(docs_dir).items():
        target = docs_dir / name
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        changed[name] = old != text
        if old != text:
            target.write_text(text, encoding="utf-8", newline="\n")
    return changed


def stale_references(docs_dir: Path) -> list[str]:
    """The generated files in `docs_dir` that differ from what the generators make now."""
    stale = []
    for name, text in generated_references(docs_dir).items():
        target = docs_dir / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(name)
    if not (docs_dir / MODULE_MAP_DOC).is_file():
        stale.append(MODULE_MAP_DOC)
    return stale
