"""No import circle within ops/ or within pages/: every module is parsed (imports at module level and inside
functions alike, since a function-level import is still a dependency) and the graph's cycles are named.

The one import not counted is inside a page's `if __name__ == "__main__":` guard: that code runs only when
Streamlit executes the file as a script of its own (pages/__init__.py), never when a module imports it.

A circle makes modules half-initialised depending on which one is imported first, and means neither side
can be understood, tested or moved alone.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ops", "lessons", "pages")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """The project modules a module's source imports: `from a import b` lands in a.b when b is a module of
    its own, else in a (its __init__ defines b); `import a.b.c` lands in its longest prefix that is a module."""
    found = set()
    tree = ast.parse(source)
    tree.body = [node for node in tree.body if not _is_main_guard(node)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(resolve(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package this module is in (or is)
                package = module.split(".")
                package = package[: len(package) - node.level + (1 if is_package else 0)]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else resolve(base, modules))
    return {name for name in found if name is not None and name != module}


def _is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` at module level."""
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in node.test.comparators))


def resolve(name: str, modules: set[str]) -> str | None:
    """The project module a dotted name lands in (its longest prefix that is one), or None."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def project_graph(root: Path = ROOT, packages=PACKAGES) -> dict[str, set[str]]:
    """module -> the project modules it imports (itself excluded)."""
    paths = {module_name(p, root): p for package in packages for p in (root / package).rglob("*.py")}
    return {module: imported_modules(path.read_text(encoding="utf-8"), module, path.name == "__init__.py",
                                     set(paths))
            for module, path in paths.items()}


def cycles(graph: dict[str, set[str]], within: str) -> list[list[str]]:
    """One cycle (a → b → … → a) per strongly connected group of modules under `within` (Tarjan)."""
    nodes = sorted(n for n in graph if n == within or n.startswith(within + "."))
    inside = set(nodes)
    edges = {n: sorted(t for t in graph[n] if t in inside) for n in nodes}
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(set(group))

    for node in nodes:
        if node not in index:
            visit(node)
    return [_one_cycle(edges, group) for group in groups]


def _one_cycle(edges: dict[str, list[str]], group: set[str]) -> list[str]:
    """A shortest way from the group's first module back to itself, through the group (breadth first)."""
    start = min(group)
    came_from = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in edges[node]:
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target in group and target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle found in the strongly connected group {sorted(group)}")


def describe(found: list[list[str]]) -> str:
    return "\n".join(" → ".join(cycle) for cycle in found)


def test_no_import_circle_within_ops():
    found = cycles(project_graph(), "ops")
    assert not found, "import circles in ops/:\n" + describe(found)


def test_no_import_circle_within_pages():
    found = cycles(project_graph(), "pages")
    assert not found, "import circles in pages/:\n" + describe(found)


def plant(root: Path, files: dict[str, str]) -> dict[str, set[str]]:
    """A tiny project under `root` (path -> source), and its import graph."""
    for name, source in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(source)
    return project_graph(root, ("ops",))


def test_a_planted_circle_is_found_and_named(tmp_path):
    """The walk can fail: a tiny project with a circle through a function-level and a relative import."""
    graph = plant(tmp_path, {
        "ops/__init__.py": "",
        "ops/inner/__init__.py": "",
        "ops/a.py": "from ops.inner import b\n",
        "ops/inner/b.py": "def late():\n    from . import c\n",
        "ops/inner/c.py": "import ops.a\n",
        "ops/d.py": "from ops import a\n",  # imports into the circle, is no part of it
    })
    assert cycles(graph, "ops") == [["ops.a", "ops.inner.b", "ops.inner.c", "ops.a"]]
    assert cycles(plant(tmp_path, {"ops/inner/c.py": "import numpy\n"}), "ops") == []


def test_a_package_imported_for_its_own_names_is_an_edge(tmp_path):
    """`from ops.inner import helper` (a name of the package's __init__) depends on ops/inner/__init__.py."""
    graph = plant(tmp_path, {
        "ops/__init__.py": "",
        "ops/inner/__init__.py": "from ops.a import thing\nhelper = 1\n",
        "ops/a.py": "thing = 1\n\ndef f():\n    from ops.inner import helper\n",
    })
    assert cycles(graph, "ops") == [["ops.a", "ops.inner", "ops.a"]]


def test_the_main_guard_is_no_edge_but_everything_else_is(tmp_path):
    """A page's guard hands over to the app only when run as a script; the same import elsewhere counts."""
    guard = 'if __name__ == "__main__":\n    from ops.a import run\n\n    run()\n'
    graph = plant(tmp_path, {"ops/__init__.py": "", "ops/a.py": "from ops import b\n", "ops/b.py": guard})
    assert cycles(graph, "ops") == []
    graph = plant(tmp_path, {"ops/b.py": "if True:\n    from ops.a import run\n"})
    assert cycles(graph, "ops") == [["ops.a", "ops.b", "ops.a"]]
