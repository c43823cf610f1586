"""The documentation stays true: generated references are current, links resolve, the quick
start is the one the e2e test runs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docsgen import (
    CLI_REFERENCE,
    MCP_REFERENCE,
    cli_reference_markdown,
    iter_commands,
    stale_references,
)

from tests.conftest import REPO_ROOT
from tests.e2e.readme import DEMO_SUFFIX, TEST_COMMAND, quick_start_commands

DOCS = REPO_ROOT / "docs"
README = REPO_ROOT / "README.md"
REGENERATE = "run `python scripts/gen_docs.py`"

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def markdown_files() -> list[Path]:
    return sorted([README, *DOCS.rglob("*.md")])


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """Lines outside fenced code blocks, with inline code removed."""
    out: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        match = _FENCE.match(line)
        if match:
            if fence is None:
                fence = match.group(1)
            elif match.group(1) == fence:
                fence = None
            continue
        if fence is None:
            out.append((number, _INLINE_CODE.sub("", line)))
    return out


def links(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        for regex in (_LINK, _IMAGE, _REF_DEF):
            found += [(number, m.group(1)) for m in regex.finditer(line)]
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out: set[str] = set()
    for _, line in _prose_lines(path.read_text(encoding="utf-8").replace("`", "")):
        match = _HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


# -- generated references --------------------------------------------------------------------


def test_generated_references_are_current() -> None:
    stale = stale_references(DOCS)
    assert not stale, f"{', '.join('docs/' + s for s in stale)} out of date: {REGENERATE}"


def test_cli_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = cli_reference_markdown()
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_reference_markdown() == narrow
    assert "\x1b" not in narrow and "/tmp" not in narrow and str(Path.home()) not in narrow


def test_every_command_is_in_the_cli_reference() -> None:
    text = (DOCS / CLI_REFERENCE).read_text(encoding="utf-8")
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}
    names = [doc.name for doc in iter_commands()]
    assert len(names) > 30  # the walk reaches sub-commands, not only the top level
    missing = [name for name in names if f"`{name}`" not in headings]
    assert not missing, f"not in docs/{CLI_REFERENCE}: {missing}; {REGENERATE}"
    for expected in ("tmws context update", "tmws learn approve", "tmws hooks install"):
        assert expected in names


def test_every_mcp_tool_and_prompt_is_in_the_mcp_reference(tmp_path: Path) -> None:
    from hestai_tmws.mcpserver import build_server
    from hestai_tmws.project import Project

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    bundle = build_server(Project.discover(tmp_path), watch=False)
    text = (DOCS / MCP_REFERENCE).read_text(encoding="utf-8")
    assert bundle.tools, "the server registered no tools"
    missing = [t for t in bundle.tools if f"### `{t}`" not in text]
    missing += [p for p in bundle.prompts if f"| `{p}` |" not in text]
    assert not missing, f"not in docs/{MCP_REFERENCE}: {missing}; {REGENERATE}"


# -- links and the map ------------------------------------------------------------------------


def test_relative_links_between_docs_resolve() -> None:
    broken: list[str] = []
    for path in markdown_files():
        for number, target in links(path):
            if _SCHEME.match(target):
                continue  # http:, https:, mailto:
            file_part, _, fragment = target.partition("#")
            dest = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.relative_to(REPO_ROOT)}:{number}: {target}"
            if not dest.exists():
                broken.append(f"{where} (no such file)")
            elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
                broken.append(f"{where} (no heading #{fragment})")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_the_index_maps_every_doc() -> None:
    index = DOCS / "index.md"
    linked = {
        (index.parent / target.partition("#")[0]).resolve()
        for _, target in links(index)
        if not _SCHEME.match(target) and target.partition("#")[0]
    }
    unmapped = [
        str(p.relative_to(REPO_ROOT))
        for p in sorted(DOCS.rglob("*.md"))
        if p != index and "dev" not in p.relative_to(DOCS).parts and p.resolve() not in linked
    ]
    assert not unmapped, f"add these to docs/index.md: {unmapped}"


def test_readme_quick_start_is_exactly_the_e2e_commands() -> None:
    commands = quick_start_commands(README.read_text(encoding="utf-8"))
    assert len(commands) == 2, f"the quick start must hold exactly two commands: {commands}"
    demo, suite = commands
    assert demo.endswith(DEMO_SUFFIX), "command 1 must end by running the demo"
    assert suite == TEST_COMMAND, f"command 2 must be `{TEST_COMMAND}` (what .ci/run runs)"


def test_link_checker_catches_a_broken_link(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Title here\n\n[ok](#title-here) [gone](missing.md) `[code](nowhere.md)`\n"
        "```\n[fenced](nowhere.md)\n```\n[ext](https://example.com)\n",
        encoding="utf-8",
    )
    assert [t for _, t in links(page)] == ["#title-here", "missing.md", "https://example.com"]
    assert anchors(page) == {"title-here"}
    assert slug("`tmws context update`".replace("`", "")) == "tmws-context-update"
    assert slug("4. Worktrees and many machines") == "4-worktrees-and-many-machines"
