"""The shape of the package, enforced: layers, no cycles, lazy imports, size, complexity, models.

docs/architecture.md describes the layers; this test keeps the code honest about them. Every
module of `src/hestai_tmws` is parsed with `ast` (imports inside functions count too), so a
failure names the module and line to fix. Modelled on basic-memory's architecture test.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import docs_architecture  # scripts/, on the path through tests/conftest.py

from tests.paths import REPO_ROOT, SRC

PACKAGE = "hestai_tmws"
PACKAGE_DIR = SRC / PACKAGE

# unit → layer. A unit is a top-level module or sub-package of hestai_tmws. Higher layers may
# import lower ones, never the other way round; units of one layer do not import each other.
# The faces are ordered too: integrations and mcpserver first, demo may use mcpserver,
# cli may use every face. `mcp_server` is the contract's alias name
# for `mcpserver`. Inside layer 3, config reads its file through project.
LAYERS: dict[str, float] = {
    "__init__": 0,
    "errors": 1,
    "findings": 1,
    "forkpool": 1,  # stdlib only: verify (8) and the mine's archive scan (7) fork with it
    "layout": 1,
    "worktree": 1,
    "gitio": 2,
    "octave": 2,
    "secrets": 2,
    "project": 3,
    "config": 3.1,  # settings are found through the project
    "steward": 4,
    "governance": 5,
    "sessions": 6,
    "memory": 7,
    "learning": 7,
    "guard": 7,
    "workflows": 8,
    "integrations": 9,
    "mcpserver": 9,
    "mcp_server": 9.1,
    "demo": 9.2,
    "cli": 9.3,
}
FACES = ("cli", "mcpserver", "integrations", "demo", "mcp_server")
STDLIB_ONLY = ("errors", "findings", "forkpool", "layout", "worktree")
# A base module may use these third-party packages too: findings are the typed result model
# every layer returns, so they are pydantic models like every other result.
BASE_EXTRAS: dict[str, set[str]] = {"findings": {"pydantic"}}

# Imports inside a function must say why on their own line; this many are allowed in all
# (hook fast paths, the CLI's typer start, heavy third-party packages).
MAX_LAZY_IMPORTS = 41  # the documented start-up points listed in docs/architecture.md
LAZY_COMMENT = re.compile(r"#\s*lazy:\s*\S")
MAX_LINES = 400
MAX_FACE_COMPLEXITY = 12

# Pydantic fields that are free-form on purpose (module, class, field) → why.
FREE_FORM_FIELDS: dict[tuple[str, str, str], str] = {
    ("hestai_tmws.sessions.transcripts.model", "ToolCall", "input"): (
        "the arguments an agent passed to a tool: any JSON object the tool defines"
    ),
}
ANY_DICT = re.compile(r"\b(dict|Dict|Mapping|MutableMapping)\[\s*str\s*,\s*(typing\.)?Any\s*\]")


@dataclass(frozen=True)
class Import:
    """One `import` statement's target inside the package, or outside it (`external`)."""

    module: str
    target: str  # dotted name imported from (inside the package: resolved to a module)
    line: int
    end_line: int
    in_function: bool
    type_checking: bool
    external: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the package."""
    return {
        module_name(path): path
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _resolve(name: str) -> str:
    """The package module `name` refers to (a name inside a module resolves to the module)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or PACKAGE


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[tuple[str, bool]]:
    """(dotted target, external?) for each name the statement imports."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        return [(_resolve(n), False) if _inside(n) else (n, True) for n in names]
    if node.level:
        base = module.split(".")
        if path.name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    if not _inside(source):
        return [(source, True)]
    # `from pkg import name`: name may be a sub-module (then that is the target) or an object.
    return [(_resolve(f"{source}.{alias.name}"), False) for alias in node.names]


def _inside(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def imports_of(module: str, path: Path, source: str) -> list[Import]:
    """Every import of one module's source, marked when inside a function or TYPE_CHECKING."""
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                end = child.end_lineno or child.lineno
                for target, external in _targets(module, path, child):
                    found.append(
                        Import(
                            module, target, child.lineno, end, in_function, type_checking, external
                        )
                    )
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, True, type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.body:
                    visit(ast.Module(body=[sub], type_ignores=[]), in_function, True)
                for sub in child.orelse:
                    visit(ast.Module(body=[sub], type_ignores=[]), in_function, type_checking)
            else:
                visit(child, in_function, type_checking)

    visit(ast.parse(source, filename=str(path)), False, False)
    return found


@cache
def imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for module, path in modules().items():
        found += imports_of(module, path, path.read_text(encoding="utf-8"))
    return tuple(found)


def where(module: str, line: int) -> str:
    return f"{modules()[module].relative_to(REPO_ROOT)}:{line} ({module})"


def unit_edges() -> dict[tuple[str, str], list[Import]]:
    """(importing unit, imported unit) → the imports behind that arrow, across units only."""
    edges: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for imp in imports():
        if imp.external or imp.type_checking:
            continue
        source, target = unit_of(imp.module), unit_of(imp.target)
        if source != target:
            edges[(source, target)].append(imp)
    return edges


def test_import_targets_resolve_to_modules() -> None:
    ledger = PACKAGE_DIR / "steward" / "ledger.py"
    steward_init = PACKAGE_DIR / "steward" / "__init__.py"
    cases = [
        ("hestai_tmws.steward.ledger", ledger, "from .lock import X", "hestai_tmws.steward.lock"),
        ("hestai_tmws.steward.ledger", ledger, "from .. import layout", "hestai_tmws.layout"),
        ("hestai_tmws.steward", steward_init, "from . import lock", "hestai_tmws.steward.lock"),
        ("hestai_tmws.cli.app", ledger, "from hestai_tmws import layout", "hestai_tmws.layout"),
        ("hestai_tmws.cli.app", ledger, "from hestai_tmws.errors import E", "hestai_tmws.errors"),
        (
            "hestai_tmws.cli.app",
            ledger,
            "import hestai_tmws.octave.read",
            "hestai_tmws.octave.read",
        ),
        ("hestai_tmws.cli.app", ledger, "from hestai_tmws import __version__", "hestai_tmws"),
    ]
    for module, path, source, expected in cases:
        node = ast.parse(source).body[0]
        assert isinstance(node, ast.Import | ast.ImportFrom)
        assert _targets(module, path, node) == [(expected, False)], source
    node = ast.parse("import os.path").body[0]
    assert isinstance(node, ast.Import)
    assert _targets("hestai_tmws.layout", ledger, node) == [("os.path", True)]


def test_imports_are_marked_by_where_they_are() -> None:
    source = (
        "import os\n"
        "if TYPE_CHECKING:\n    import git\n"
        "def f():\n    import json  # lazy: why\n"
        "    if TYPE_CHECKING:\n        import re\n"
        "class C:\n    async def m(self):\n        from hestai_tmws import layout\n"
        "g = lambda: __import__('x')\n"
    )
    found = imports_of("hestai_tmws.cli.app", PACKAGE_DIR / "cli" / "app.py", source)
    assert [(i.target, i.line, i.in_function, i.type_checking) for i in found] == [
        ("os", 1, False, False),
        ("git", 3, False, True),
        ("json", 5, True, False),
        ("re", 7, True, True),
        ("hestai_tmws.layout", 10, True, False),
    ]


# -- a. the layer order ---------------------------------------------------------------------------


def test_every_unit_has_a_layer() -> None:
    units = {unit_of(m) for m in modules()}
    missing = sorted(units - LAYERS.keys())
    assert not missing, f"units without a layer in tests/test_architecture.py LAYERS: {missing}"


def test_imports_point_only_to_lower_layers() -> None:
    wrong = []
    for (source, target), found in sorted(unit_edges().items()):
        if target == "__init__" or LAYERS.get(target, 99) < LAYERS.get(source, 99):
            continue
        for imp in found:
            wrong.append(
                f"{where(imp.module, imp.line)} imports {imp.target}: "
                f"{source} (layer {LAYERS.get(source)}) may not import {target} "
                f"(layer {LAYERS.get(target)})"
            )
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def test_the_package_root_imports_nothing_of_the_package() -> None:
    inner = [imp for imp in imports() if imp.module == PACKAGE and not imp.external]
    assert not inner, [where(i.module, i.line) for i in inner]


def test_the_base_modules_use_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    wrong = [
        f"{where(imp.module, imp.line)} imports {imp.target}"
        for imp in imports()
        if unit_of(imp.module) in STDLIB_ONLY
        and (
            (
                imp.external
                and imp.target.split(".")[0]
                not in allowed | BASE_EXTRAS.get(unit_of(imp.module), set())
            )
            or (not imp.external and unit_of(imp.target) != unit_of(imp.module))
        )
        and not imp.type_checking
    ]
    assert not wrong, f"{', '.join(STDLIB_ONLY)} import only the standard library:\n" + "\n".join(
        wrong
    )


# -- b. no cycles ---------------------------------------------------------------------------------


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                strong(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strong(node)
    return out


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_units() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    edges = unit_edges()
    for source, target in edges:
        graph[source].add(target)
    problems = []
    for cycle in _cycles(graph):
        arrows = [
            f"  {s} -> {t}: {where(edges[(s, t)][0].module, edges[(s, t)][0].line)}"
            for s in cycle
            for t in cycle
            if (s, t) in edges
        ]
        problems.append(" <-> ".join(cycle) + "\n" + "\n".join(arrows))
    assert not problems, "import cycles between units:\n" + "\n".join(problems)


def test_no_import_cycles_between_modules() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in imports():
        if not (imp.external or imp.type_checking) and imp.target != imp.module:
            graph[imp.module].add(imp.target)
    cycles = _cycles(graph)
    assert not cycles, "import cycles between modules:\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles
    )


# -- c. imports inside functions ------------------------------------------------------------------


@cache
def _source_lines(module: str) -> list[str]:
    return modules()[module].read_text(encoding="utf-8").splitlines()


def lazy_imports() -> list[Import]:
    """Every import statement inside a function, once per statement."""
    seen: set[tuple[str, int]] = set()
    out = []
    for imp in imports():
        if imp.in_function and not imp.type_checking and (imp.module, imp.line) not in seen:
            seen.add((imp.module, imp.line))
            out.append(imp)
    return out


def _has_lazy_comment(imp: Import) -> bool:
    lines = _source_lines(imp.module)[imp.line - 1 : imp.end_line]
    return any(LAZY_COMMENT.search(line) for line in lines)


def test_imports_inside_functions_say_why() -> None:
    unexplained = [
        f"{where(imp.module, imp.line)}: {_source_lines(imp.module)[imp.line - 1].strip()}"
        for imp in lazy_imports()
        if not _has_lazy_comment(imp)
    ]
    assert not unexplained, (
        "imports inside functions without a trailing `# lazy: <reason>` comment (hoist them to "
        "the top of the module, or say which start-up cost they avoid):\n" + "\n".join(unexplained)
    )


def test_few_lazy_imports() -> None:
    found = lazy_imports()
    listing = "\n".join(
        f"{where(imp.module, imp.line)}: {_source_lines(imp.module)[imp.line - 1].strip()}"
        for imp in found
    )
    assert len(found) <= MAX_LAZY_IMPORTS, (
        f"{len(found)} imports inside functions, at most {MAX_LAZY_IMPORTS} allowed:\n{listing}"
    )


def test_the_documented_lazy_list_sees_the_same_imports() -> None:
    documented = {(item.module, item.line) for item in docs_architecture.lazy_imports(PACKAGE_DIR)}
    assert documented == {(imp.module, imp.line) for imp in lazy_imports()}


# -- d. module size -------------------------------------------------------------------------------


def test_no_module_over_400_lines() -> None:
    big = [
        f"{path.relative_to(REPO_ROOT)}: {count} lines"
        for path in modules().values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not big, f"modules over {MAX_LINES} lines (split them by responsibility):\n" + "\n".join(
        big
    )


# -- e. complexity of the faces -------------------------------------------------------------------


def face_files() -> list[Path]:
    return [path for module, path in modules().items() if unit_of(module) in FACES]


def test_face_functions_are_simple() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    command = [str(ruff)] if ruff.exists() else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [
            *command,
            "check",
            "--isolated",
            "--select",
            "C901",
            "--config",
            f"lint.mccabe.max-complexity={MAX_FACE_COMPLEXITY}",
            "--output-format",
            "json",
            *map(str, face_files()),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    found = json.loads(result.stdout or "[]")
    complex_ = [
        f"{Path(item['filename']).relative_to(REPO_ROOT)}:{item['location']['row']}: "
        f"{item['message']}"
        for item in found
    ]
    assert not complex_, (
        f"face functions above McCabe complexity {MAX_FACE_COMPLEXITY} (move the logic into a "
        "service below the face):\n" + "\n".join(complex_)
    )


# -- f. typed result models -----------------------------------------------------------------------


def _base_names(node: ast.ClassDef) -> set[str]:
    return {ast.unparse(base).rpartition(".")[2] for base in node.bases}


@cache
def model_classes() -> dict[tuple[str, str], ast.ClassDef]:
    """(module, class name) → class, for every pydantic model of the package (transitively)."""
    classes: dict[tuple[str, str], ast.ClassDef] = {}
    for module, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes[(module, node.name)] = node
    models = {"BaseModel", "RootModel"}
    changed = True
    while changed:
        changed = False
        for (_module, name), node in classes.items():
            if name not in models and _base_names(node) & models:
                models.add(name)
                changed = True
    return {key: node for key, node in classes.items() if key[1] in models}


def test_model_finder_sees_pydantic_models() -> None:
    assert any(name == "Finding" for _module, name in model_classes()), sorted(model_classes())


def test_any_dict_pattern() -> None:
    for text in ("dict[str, Any]", "list[dict[str, Any]]", "dict[str, Any] | None"):
        assert ANY_DICT.search(text), text
    for text in ("dict[str, int]", "dict[str, list[str]]", "Anything"):
        assert not ANY_DICT.search(text), text


def test_models_have_no_free_form_dict_fields() -> None:
    loose = []
    for (module, name), node in model_classes().items():
        for item in node.body:
            if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
                continue
            annotation = ast.unparse(item.annotation)
            key = (module, name, item.target.id)
            if ANY_DICT.search(annotation) and key not in FREE_FORM_FIELDS:
                loose.append(f"{where(module, item.lineno)}: {name}.{item.target.id}: {annotation}")
    assert not loose, (
        "pydantic fields typed `dict[str, Any]` (give them a model, or add them to "
        "FREE_FORM_FIELDS with the reason the payload is free-form):\n" + "\n".join(loose)
    )


def test_free_form_allow_list_is_current() -> None:
    fields = {
        (module, name, item.target.id)
        for (module, name), node in model_classes().items()
        for item in node.body
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
    }
    stale = sorted(set(FREE_FORM_FIELDS) - fields)
    assert not stale, f"FREE_FORM_FIELDS names fields that no longer exist: {stale}"


# -- g. the generated module map ------------------------------------------------------------------
# docs/architecture.md's module map and list of lazy imports are checked by
# tests/scripts/test_docsgen.py::test_generated_references_are_current; this makes sure the
# page has both blocks to check.


def test_architecture_page_has_its_generated_blocks() -> None:
    page = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for marker in (
        docs_architecture.MAP_START,
        docs_architecture.MAP_END,
        docs_architecture.LAZY_START,
        docs_architecture.LAZY_END,
    ):
        assert marker in page, f"docs/architecture.md lacks {marker}"
