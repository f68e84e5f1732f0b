"""The house rules, checked: no import cycle, every module says its job, pages only lay out widgets."""

from __future__ import annotations

import ast
from pathlib import Path

from lisdash.config import REPO

PACKAGE = REPO / "lisdash"


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """lisdash modules a module imports, at its top level or inside a function (a lazy import still runs)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lisdash"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("lisdash")}
    return found


def test_no_import_cycle_inside_lisdash_top_level_or_lazy():
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


LAYERS = [  # lowest first: a module imports its own layer and the layers below it, never one above
    {"lisdash", "config", "vocabulary", "serverlog", "geojson"},
    {"sources"}, {"store"}, {"content"}, {"metrics"}, {"pipeline"}, {"evidence"}, {"figures"}, {"heard"},
    {"consult"}, {"views"}, {"webapp"}, {"serving"}, {"cli", "__main__"},
]


def _layer(module: str) -> int:
    name = module.split(".")[1] if "." in module else module
    return next(rank for rank, layer in enumerate(LAYERS) if name in layer)


def test_each_layer_imports_only_itself_and_the_layers_below():
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    upward = sorted(f"{m} imports {i}" for m, p in modules.items() for i in _imports(p)
                    if i in modules and _layer(i) > _layer(m))
    assert upward == []


def test_opening_the_store_loads_nothing_of_the_build():
    """Pages and commands that only read the store never load the build, its readers or the data fetchers."""
    import subprocess
    import sys

    code = "import sys, lisdash.store; print(' '.join(sorted(m for m in sys.modules if m.startswith('lisdash'))))"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.split()
    assert set(loaded) <= {"lisdash", "lisdash.config", "lisdash.store", "lisdash.sources",
                           "lisdash.sources.manifest"}, loaded


def test_every_module_opens_with_a_docstring():
    for path in [*PACKAGE.rglob("*.py"), *(REPO / "lisdash_dev").rglob("*.py"), *(REPO / "pages").glob("*.py")]:
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path.relative_to(REPO)} has no docstring"


def test_pages_only_lay_out_widgets():
    """No page reads a file, opens the store or computes a metric itself: that is a floor down."""
    for path in (REPO / "pages").glob("*.py"):
        text = path.read_text()
        tree = ast.parse(text)
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        pipeline = {"lisdash.metrics", "lisdash.store", "lisdash.pipeline.build", "lisdash.sources"}
        assert not imported & pipeline, path.name
        for bad in (" open(", "read_text(", "read_parquet(", "read_csv(", "webapp.store()", ".measure_facts(",
                    ".levels_for(", ".years_for("):
            assert bad not in text, f"{path.name} calls {bad}"


def test_every_page_file_is_named_as_its_url():
    """Until app.py has run once, Streamlit looks a deep link up among pages/ by file name: a page whose file
    is named as its URL is found (and reruns through app.py); another opens on "page not found"."""
    pages = [call for call in ast.walk(ast.parse((REPO / "app.py").read_text()))
             if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "Page"]
    assert len(pages) == len(list((REPO / "pages").glob("*.py")))
    for call in pages:
        keywords = {k.arg: k.value.value for k in call.keywords if isinstance(k.value, ast.Constant)}
        if not keywords.get("default"):
            assert Path(call.args[0].value).stem == keywords["url_path"], call.args[0].value


def test_every_page_a_link_or_switch_names_exists():
    """st.page_link and st.switch_page take a file path: each one named anywhere in the code is a page file."""
    named = {(path.relative_to(REPO), node.value) for path in [*PACKAGE.rglob("*.py"), *(REPO / "pages").glob("*.py")]
             for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Constant)
             and isinstance(node.value, str) and node.value.startswith("pages/") and node.value.endswith(".py")}
    assert named, "no page paths found: the test no longer sees the links"
    assert [(str(where), page) for where, page in named if not (REPO / page).is_file()] == []
