"""Generate the parts of docs/architecture.md that must follow the code: module map, lazy imports.

The module map is one row per module of `hestai_tmws` with its docstring's first paragraph;
the lazy-import list is every import inside a function with its `# lazy:` reason. Both are
spliced between marker comments, so the rest of the page stays hand-written.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from docs_markdown import cell

MODULE_MAP_DOC = "architecture.md"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "hestai_tmws"
MAP_START = "<!-- generated: module map (python scripts/gen_docs.py) -->"
MAP_END = "<!-- end of generated module map -->"
LAZY_START = "<!-- generated: lazy imports (python scripts/gen_docs.py) -->"
LAZY_END = "<!-- end of generated lazy imports -->"
LAZY_REASON = re.compile(r"#\s*lazy:\s*(.*\S)")


def _first_paragraph(source: str) -> str:
    doc = ast.get_docstring(ast.parse(source)) or ""
    return " ".join(doc.strip().split("\n\n", 1)[0].split())


def package_modules(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Dotted module name → file, sorted by file path."""
    out: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(package_dir.parent)
        if "__pycache__" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def module_map_markdown(package_dir: Path = PACKAGE_DIR) -> str:
    """One line per module of the package: its dotted name and its docstring's first paragraph."""
    rows = ["| module | what it is for |", "|---|---|"]
    for name, path in package_modules(package_dir).items():
        what = _first_paragraph(path.read_text(encoding="utf-8")) or "(no docstring)"
        rows.append(f"| `{name}` | {cell(what)} |")
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class LazyImport:
    """One import statement inside a function, with the reason its line gives."""

    module: str
    line: int
    statement: str
    reason: str


def _function_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: dict[int, ast.Import | ast.ImportFrom] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom):
                    found[sub.lineno] = sub
    return [found[line] for line in sorted(found)]


def lazy_imports(package_dir: Path = PACKAGE_DIR) -> list[LazyImport]:
    """Every import inside a function of the package, in module and line order."""
    out = []
    for name, path in package_modules(package_dir).items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in _function_imports(ast.parse(source)):
            text = lines[node.lineno - 1 : node.end_lineno or node.lineno]
            reasons = [m.group(1) for m in map(LAZY_REASON.search, text) if m]
            statement = " ".join(ast.unparse(node).split())
            out.append(LazyImport(name, node.lineno, statement, reasons[0] if reasons else ""))
    return out


def lazy_imports_markdown(package_dir: Path = PACKAGE_DIR) -> str:
    """The lazy imports as a table: where, what, and why (no line numbers, so edits elsewhere
    in a module leave the page alone; an import repeated in several functions is one row)."""
    rows = ["| module | import | why it waits |", "|---|---|---|"]
    counts: dict[tuple[str, str, str], int] = {}
    for item in lazy_imports(package_dir):
        key = (item.module, item.statement, item.reason or "(no reason given)")
        counts[key] = counts.get(key, 0) + 1
    for (module, statement, reason), count in counts.items():
        times = f" (×{count})" if count > 1 else ""
        rows.append(f"| `{module}` | `{statement}`{times} | {cell(reason)} |")
    return "\n".join(rows) + "\n"


def splice(text: str, start_marker: str, end_marker: str, block: str) -> str:
    """`text` with the block between the two markers replaced by `block`."""
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        raise ValueError(f"{MODULE_MAP_DOC} lacks the markers {start_marker!r}")
    return text[: start + len(start_marker)] + "\n\n" + block + "\n" + text[end:]


def splice_module_map(text: str, table: str) -> str:
    """`text` with the block between the module-map markers replaced by `table`."""
    return splice(text, MAP_START, MAP_END, table)


def architecture_markdown(current: str, package_dir: Path = PACKAGE_DIR) -> str:
    """docs/architecture.md with its generated blocks made current (lazy list if it has one)."""
    text = splice_module_map(current, module_map_markdown(package_dir))
    if LAZY_START in text:
        text = splice(text, LAZY_START, LAZY_END, lazy_imports_markdown(package_dir))
    return text
