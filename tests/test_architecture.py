"""The structure the code keeps: layers whose imports run one way, no cycles, a UI-free library,
solver-free validators and readers, and models whose rules are the rules their validators check.

Every import counts, at the top of a module or inside a function: an import moved into a function
to dodge a cycle is still a back edge. The layers, bottom to top (a module may import its own
layer and those below; see README, "Architecture"):
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "planner.errors",
            "planner.messages",
            "planner.timegrid",
            "planner.profiles",
            "planner.data",
        ),
    ),
    ("domain", ("planner.domain",)),
    ("io", ("planner.io",)),
    (
        "maths",
        (
            "planner.demand",
            "planner.queueing",
            "planner.staffing",
            "planner.labour",
            "planner.overrides",
            "planner.forecast",
        ),
    ),
    ("checks", ("planner.evaluate", "planner.validate", "planner.simulate")),
    ("cpsat", ("planner.cpsat",)),
    ("models", ("planner.shiftplan", "planner.roster")),
    ("chain", ("planner.chain", "planner.refine")),
    ("study", ("planner.study", "planner.editing", "planner.present", "planner.store")),
    ("front", ("planner.cli", "planner.__main__", "app", "app_pages", "bench")),
)
"""Layers bottom to top; a prefix names a module or a package and everything in it."""

SEPARATE = (("planner.roster", "planner.shiftplan"), ("planner.shiftplan", "planner.roster"))
"""Pairs in one layer that never import each other: the two CP-SAT models are separate problems
on one core (:mod:`planner.cpsat`); planning and rostering in one call is :mod:`planner.chain`."""

SOLVER_FREE = (
    "planner.domain",
    "planner.io",
    "planner.validate",
    "planner.evaluate",
    "planner.simulate",
)
"""Packages that must work without ortools: the specification and the file readers."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = [*REPO.glob("planner/**/*.py"), REPO / "app.py", *REPO.glob("app_pages/*.py")]
    files += REPO.glob("bench/*.py")
    return {_module_name(p): p for p in files if "__pycache__" not in p.parts}


SOURCES = _sources()


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports (anywhere in the file) that belongs to this repository."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            # "from pkg import mod" imports pkg.mod when that is a module
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in SOURCES else base for a in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] in {"planner", "app_pages", "app"})
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in SOURCES.items()}


def _layer(module: str) -> int:
    best, index = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, index = len(prefix), i
    if index is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS (and the README)")
    return index


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_every_module_has_a_layer():
    unplaced = [m for m in SOURCES if m != "planner" and _layer(m) is None]
    assert not unplaced


def test_imports_run_down_the_layers_only():
    back = [
        f"{a} ({LAYERS[_layer(a)][0]}) imports {b} ({LAYERS[_layer(b)][0]})"
        for a, targets in GRAPH.items()
        if a != "planner"
        for b in targets
        if b != "planner" and _layer(b) > _layer(a)
    ]
    assert not back, "imports that run up the layers:\n" + "\n".join(sorted(back))


def test_the_two_models_never_import_each_other():
    crossing = [
        f"{a} imports {b}"
        for a, targets in GRAPH.items()
        for b in targets
        for one, other in SEPARATE
        if _within(a, one) and _within(b, other)
    ]
    assert not crossing


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt not in GRAPH:
                continue
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_library_never_imports_streamlit():
    offenders = []
    for name, path in SOURCES.items():
        if not _within(name, "planner"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] == "streamlit" for n in names):
                offenders.append(name)
    assert not offenders


def _transitive(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in GRAPH.get(todo.pop(), ()):
            if nxt in GRAPH and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@pytest.mark.parametrize("package", SOLVER_FREE)
def test_validators_and_readers_never_reach_the_solver(package):
    """Statically: nothing they import, however far down, is a module that imports ortools."""
    modules = [m for m in GRAPH if _within(m, package)]
    reached = set(modules).union(*(_transitive(m) for m in modules))
    solver = {
        m for m in reached if "ortools" in SOURCES[m].read_text(encoding="utf-8").split("\n\n")[0]
    }
    solver |= {m for m in reached if _imports_ortools(m)}
    assert not solver, f"{package} reaches ortools through {sorted(solver)}"


def _imports_ortools(module: str) -> bool:
    tree = ast.parse(SOURCES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.startswith("ortools") for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ortools"):
            return True
    return False


def test_importing_the_validators_and_readers_loads_no_solver():
    """And at run time: importing every solver-free module leaves ortools unloaded."""
    modules = sorted(m for m in GRAPH if any(_within(m, p) for p in SOLVER_FREE))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "assert 'ortools' not in sys.modules, 'ortools imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_the_shift_plan_rules_are_the_rules_its_validator_checks():
    from planner.shiftplan.rules import HARD_RULES as MODEL
    from planner.validate.plan import HARD_RULES as CHECKED
    from planner.validate.plan import TABLE_RULES

    assert {rule.__name__ for rule in MODEL} == set(CHECKED) - set(TABLE_RULES)
    assert set(TABLE_RULES) <= set(CHECKED)


def test_the_roster_rules_are_the_rules_its_validator_checks():
    from planner.roster.rules import HARD_RULES as MODEL
    from planner.validate.roster import ROSTER_RULES as CHECKED
    from planner.validate.roster import TABLE_RULES

    assert {rule.__name__ for rule in MODEL} == set(CHECKED) - set(TABLE_RULES)
    assert set(TABLE_RULES) <= set(CHECKED)


def test_every_hard_rule_says_which_settings_set_it():
    """Each model's RULE_SETTINGS names the scenario fields behind every hard rule, and no other
    rule: a conflict always says what to change."""
    from planner.roster import rules as roster_rules
    from planner.shiftplan import rules as plan_rules

    for rules in (plan_rules, roster_rules):
        assert set(rules.RULE_SETTINGS) == {rule.__name__ for rule in rules.HARD_RULES}
        assert all(rules.RULE_SETTINGS.values())


def test_the_command_line_starts_without_the_solver():
    """``python -m planner validate`` (and ``--help``) never pay for loading ortools: the
    commands that solve import the models when they run."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, planner.cli; assert 'ortools' not in sys.modules, 'ortools imported'",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
