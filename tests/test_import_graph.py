"""rtorch's modules import each other without a cycle: the graph is read from the source with `ast`, and an
import inside a function counts as much as one at the top (a lazy import that dodges a cycle at load time
still ties the two modules together)."""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent / "rtorch"

# The core's layers (README's layout table): a module imports only from its own layer or those below it.
LAYERS = {
    0: ["_dtypes", "_devices", "_layouts", "_printing", "_random", "_normal", "_rformat", "_rvector", "_rbase",
        "_rprint", "_scoped", "_backends"],  # no tensor
    1: ["_tensor", "_conversion", "_dlpack"],  # the tensor object, casts
    2: ["_scalars", "_indexing", "_creation"],  # primitives: scalars, checks, 1-based dims, creation
    3: ["_operations", "_pointwise", "_reductions", "_ordering", "_products", "_linalg", "_linalg_legacy",
        "_manipulation", "_combining", "_selection", "_sampling", "_spectral"],  # the op families
    4: ["autograd"],
    5: ["_autocast", "_ops", "_methods", "_functions", "__init__", "nn", "optim", "utils", "serialization", "port",
        "r", "distributions"],
}


def _modules():
    """{dotted name: (path, is a package)} for every module of rtorch."""
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = ["rtorch", *path.relative_to(ROOT).with_suffix("").parts]
        package = parts[-1] == "__init__"
        if package:
            parts.pop()
        out[".".join(parts)] = (path, package)
    return out


def _imports(name, path, package, modules):
    """The rtorch modules that `name` imports, anywhere in its source."""
    here = name if package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[:len(here.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # `from pkg import sub` imports the submodule; `from mod import name` the module
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in modules else mod for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph():
    modules = _modules()
    return {name: _imports(name, path, package, modules) for name, (path, package) in modules.items()}


def _cycles(graph):
    """The strongly connected components of more than one module (Tarjan), each as one cycle through it."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_one_cycle(graph, c) for c in components]


def _one_cycle(graph, component):
    """A shortest path from the component's first module back to itself, inside the component."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError("a strongly connected component without a cycle")


def test_graph_sees_imports_inside_functions():
    graph = _graph()
    assert "rtorch._tensor" in graph["rtorch._methods"]
    assert "rtorch._creation" in graph["rtorch.autograd"]  # imported inside a function there


def test_cycle_finder_names_the_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _layer(module):
    """The layer of a module of rtorch, by its first name under rtorch (`rtorch.autograd._graph`: autograd)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for layer, names in LAYERS.items():
        if top in names:
            return layer
    raise AssertionError(f"{module} is in no layer of LAYERS: add it to README's layout table and here")


def test_core_modules_import_only_downward():
    graph = _graph()
    upward = sorted(f"{m} (layer {_layer(m)}) imports {d} (layer {_layer(d)})"
                    for m, deps in graph.items() for d in deps if _layer(d) > _layer(m))
    assert upward == []


def test_no_import_cycles():
    cycles = _cycles(_graph())
    if cycles:
        pytest.fail("import cycles among rtorch's modules:\n" + "\n".join(" -> ".join(c) for c in cycles))
