"""The generated blocks of docs/architecture.md: module map and lazy-import list."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_architecture import (
    LAZY_END,
    LAZY_START,
    MAP_END,
    MAP_START,
    architecture_markdown,
    lazy_imports,
    lazy_imports_markdown,
    module_map_markdown,
    splice,
)
from docs_markdown import cell, escape_markdown

from tests.paths import REPO_ROOT


def _package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text('"""The package.\n\nMore text."""\n')
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "mod.py").write_text(
        '"""A | module."""\n\nimport os\n\n\ndef f() -> None:\n'
        "    import json  # lazy: only when f runs\n"
        "    from typing import (  # lazy: two lines\n        Any,\n    )\n\n\n"
        "def g() -> None:\n    import re\n"
    )
    return pkg


def test_module_map_lists_every_module_of_the_package(tmp_path: Path) -> None:
    table = module_map_markdown(_package(tmp_path))
    assert "| `pkg` | The package. |" in table
    assert "| `pkg.sub` | (no docstring) |" in table
    assert "| `pkg.sub.mod` | A \\| module. |" in table


def test_default_module_map_is_of_hestai_tmws_not_scripts() -> None:
    table = module_map_markdown()
    assert "| `hestai_tmws.steward` |" in table
    assert "docsgen" not in table


def test_lazy_imports_are_found_with_their_reasons(tmp_path: Path) -> None:
    found = lazy_imports(_package(tmp_path))
    assert [(i.module, i.line, i.reason) for i in found] == [
        ("pkg.sub.mod", 7, "only when f runs"),
        ("pkg.sub.mod", 8, "two lines"),
        ("pkg.sub.mod", 14, ""),
    ]
    table = lazy_imports_markdown(_package(tmp_path))
    assert "| `pkg.sub.mod` | `import re` | (no reason given) |" in table
    assert "`from typing import Any`" in table


def test_repeated_lazy_imports_are_one_row(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        "def f():\n    import json  # lazy: rare\n\n\ndef g():\n    import json  # lazy: rare\n"
    )
    table = lazy_imports_markdown(pkg)
    assert table.count("import json") == 1
    assert "`import json` (×2) | rare |" in table


def test_splice_replaces_only_the_marked_block() -> None:
    text = f"intro\n{MAP_START}\nold\n{MAP_END}\nend\n"
    assert (
        splice(text, MAP_START, MAP_END, "new\n")
        == f"intro\n{MAP_START}\n\nnew\n\n{MAP_END}\nend\n"
    )
    with pytest.raises(ValueError, match="markers"):
        splice("no markers", MAP_START, MAP_END, "x")


def test_architecture_page_gets_both_blocks(tmp_path: Path) -> None:
    page = f"# A\n{MAP_START}\n{MAP_END}\n## lazy\n{LAZY_START}\n{LAZY_END}\n"
    out = architecture_markdown(page, _package(tmp_path))
    assert "`pkg.sub.mod`" in out.split(MAP_END)[0]
    assert "only when f runs" in out.split(LAZY_START)[1]
    assert architecture_markdown(out, _package(tmp_path)) == out


def test_the_committed_page_has_both_blocks() -> None:
    page = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for marker in (MAP_START, MAP_END, LAZY_START, LAZY_END):
        assert marker in page, marker


def test_markdown_cells_are_safe() -> None:
    assert escape_markdown("a <b> `<c>`") == "a &lt;b&gt; `<c>`"
    assert cell("x |\n y") == "x \\| y"
    assert cell(None) == ""
