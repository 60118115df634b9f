"""Fuzz the command line with hostile variants of every shipped scenario and of the operators
file (issue "Hostile and absurd input", item 9).

Hypothesis mutates the parsed YAML of ``scenarios/*.yaml`` (a field replaced by a hostile value,
a key deleted, an unknown key added, a list item duplicated, a name copied) or its raw bytes
(truncated, a tab, broken indentation, non-UTF-8 bytes, a BOM, ...), and the operators CSV
(cells, columns, rows, a pool left empty, encodings); each variant goes through ``validate``
(most examples: cheap), ``solve`` or ``roster`` (a sample, ``--time-limit 2``) in a forked child
with CPU, memory and wall-clock limits (:mod:`tests.fuzz_harness`). Every run must end in exit 0
with a valid plan, exit 2 naming a field or file, or exit 3 with a reason; a failing input is
saved under ``test-artifacts/fuzz/``. ``derandomize=True`` makes CI runs reproducible.

Run time on the 2-core CI machine: the whole module about 60-90 s (``-m slow``); the quick
subset (not marked slow) a few seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_harness import (
    HOSTILE_CELLS,
    HOSTILE_NUMBERS,
    HOSTILE_VALUES,
    OPERATORS_CSV,
    RAW_KINDS,
    SCENARIO_FILES,
    SCENARIOS,
    apply_mutation,
    check,
    container_paths,
    dump_yaml,
    field_paths,
    get_at,
    mutate_bytes,
    mutate_csv,
    read_csv_rows,
    run_cli,
    stage_scenario,
    wall_bound,
    write_csv_rows,
)

TIME_LIMIT = 2.0
VALIDATE_SECONDS = 20.0
"""Wall bound of one ``validate`` (normally well under a second; generous for a loaded box)."""

PARSED = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in SCENARIO_FILES}
OPERATOR_ROWS = read_csv_rows(OPERATORS_CSV.read_bytes())
OPERATOR_POOLS = sorted({row[OPERATOR_ROWS[0].index("pool")] for row in OPERATOR_ROWS[1:]})


def _settings(examples: int):
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@st.composite
def yaml_mutation(draw, data: object) -> tuple:
    kind = draw(
        st.sampled_from(
            ["replace", "replace", "replace", "delete", "unknown_key", "duplicate", "copy_name"]
        )
    )
    if kind == "unknown_key":
        return (kind, draw(st.sampled_from(container_paths(data))), "shoe_size")
    paths = field_paths(data)
    if kind in ("duplicate", "copy_name"):
        items = [p for p in paths if isinstance(p[-1], int)]
        path = draw(st.sampled_from(items))
        if kind == "duplicate":
            return (kind, path)
        siblings = [(*path[:-1], i) for i in range(len(get_parent(data, path)))]
        return (kind, path, draw(st.sampled_from(siblings)))
    if kind == "replace" and draw(st.integers(0, 3)) > 0:  # mostly a scalar: the deep checks
        paths = [p for p in paths if not isinstance(get_at(data, p), (dict, list))]
    path = draw(st.sampled_from(paths))
    if kind == "delete":
        return (kind, path)
    current = get_at(data, path)
    number = isinstance(current, (int, float)) and not isinstance(current, bool)
    if number and draw(st.integers(0, 3)) > 0:  # mostly an absurd number where a number is
        return (kind, path, draw(st.sampled_from(HOSTILE_NUMBERS)))
    return (kind, path, draw(st.sampled_from(HOSTILE_VALUES)))


def get_parent(data: object, path: tuple) -> list:
    for part in path[:-1]:
        data = data[part]  # type: ignore[index]
    return data  # type: ignore[return-value]


@st.composite
def mutated_scenario(draw) -> tuple[Path, str, list[tuple]]:
    """A shipped scenario and its YAML text after one or two mutations."""
    name = draw(st.sampled_from(sorted(PARSED)))
    data = yaml.safe_load(yaml.safe_dump(PARSED[name]))  # a fresh copy
    mutations = []
    for _ in range(draw(st.integers(1, 2))):
        mutation = draw(yaml_mutation(data))
        apply_mutation(data, mutation)
        mutations.append(mutation)
    return SCENARIOS / name, dump_yaml(data), mutations


def _validate(scenario: Path, text: str | bytes, detail: object, label: str) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        workdir = Path(tmp)
        path = stage_scenario(scenario, workdir, text)
        outcome = run_cli(["validate", str(path)], seconds=VALIDATE_SECONDS)
        check(outcome, "validate", workdir, label, detail)


def _solve(scenario: Path, text: str | bytes, detail: object, label: str) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        workdir = Path(tmp)
        path = stage_scenario(scenario, workdir, text)
        argv = ["solve", str(path), "--out", str(workdir / "out"), "--quiet"]
        argv += ["--time-limit", str(TIME_LIMIT)]
        outcome = run_cli(argv, seconds=wall_bound(TIME_LIMIT))
        check(outcome, "solve", workdir, label, detail)


def _with_operators_file(csv_bytes: bytes) -> tuple[Path, str, bytes]:
    """emergency.yaml naming an operators file, so ``validate`` checks it too."""
    data = yaml.safe_load(yaml.safe_dump(PARSED["emergency.yaml"]))
    data["operators_file"] = "data/operators.csv"
    return SCENARIOS / "emergency.yaml", dump_yaml(data), csv_bytes


@st.composite
def mutated_operators(draw) -> tuple[bytes, list[tuple]]:
    """The operators CSV after one or two mutations, or a raw-byte mutation."""
    if draw(st.integers(0, 5)) == 0:
        kind = draw(st.sampled_from(RAW_KINDS))
        position = draw(st.floats(0, 1))
        return mutate_bytes(OPERATORS_CSV.read_bytes(), kind, position), [("raw", kind, position)]
    rows, mutations = OPERATOR_ROWS, []
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(
            st.sampled_from(
                [
                    "cell",
                    "cell",
                    "cell",
                    "drop_column",
                    "duplicate_row",
                    "drop_row",
                    "empty_pool",
                    "unknown_column",
                    "short_row",
                ]
            )
        )
        if kind == "cell":
            mutation = (
                kind,
                draw(st.integers(0, 200)),
                draw(st.integers(0, 20)),
                draw(st.sampled_from(HOSTILE_CELLS)),
            )
        elif kind == "empty_pool":
            mutation = (kind, draw(st.sampled_from(OPERATOR_POOLS)))
        else:
            mutation = (kind, draw(st.integers(0, 200)))
        rows = mutate_csv(rows, mutation)
        mutations.append(mutation)
    return write_csv_rows(rows), mutations


def _stage_operators(workdir: Path, csv_bytes: bytes) -> tuple[Path, Path]:
    scenario, text, _ = _with_operators_file(csv_bytes)
    path = stage_scenario(scenario, workdir, text)
    operators = workdir / "data" / "operators.csv"
    operators.write_bytes(csv_bytes)
    return path, operators


# --------------------------------------------------------------------------------------------------
# Quick subset (runs with -m "not slow")
# --------------------------------------------------------------------------------------------------


@_settings(12)
@given(case=mutated_scenario())
def test_validate_survives_mutated_scenarios_quick(case):
    scenario, text, mutations = case
    _validate(scenario, text, mutations, "validate-yaml")


@_settings(6)
@given(kind=st.sampled_from(RAW_KINDS), position=st.floats(0, 1))
def test_validate_survives_broken_text_quick(kind, position):
    scenario = SCENARIOS / "baseline.yaml"
    raw = mutate_bytes(scenario.read_bytes(), kind, position)
    _validate(scenario, raw, (kind, position), "validate-raw")


# --------------------------------------------------------------------------------------------------
# The full fuzz suite (slow)
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
@_settings(400)
@given(case=mutated_scenario())
def test_validate_survives_mutated_scenarios(case):
    scenario, text, mutations = case
    _validate(scenario, text, mutations, "validate-yaml")


@pytest.mark.slow
@_settings(60)
@given(
    name=st.sampled_from([p.name for p in SCENARIO_FILES]),
    kind=st.sampled_from(RAW_KINDS),
    position=st.floats(0, 1),
)
def test_validate_survives_broken_text(name, kind, position):
    scenario = SCENARIOS / name
    raw = mutate_bytes(scenario.read_bytes(), kind, position)
    _validate(scenario, raw, (name, kind, position), "validate-raw")


@pytest.mark.slow
@_settings(80)
@given(case=mutated_operators())
def test_validate_survives_mutated_operators(case):
    csv_bytes, mutations = case
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        workdir = Path(tmp)
        path, _ = _stage_operators(workdir, csv_bytes)
        outcome = run_cli(["validate", str(path)], seconds=VALIDATE_SECONDS)
        check(outcome, "validate", workdir, "validate-operators", mutations)


@pytest.mark.slow
@_settings(60)
@given(case=mutated_scenario())
def test_solve_survives_mutated_scenarios(case):
    scenario, text, mutations = case
    _solve(scenario, text, mutations, "solve-yaml")


@pytest.mark.slow
@_settings(5)
@given(case=mutated_operators())
def test_roster_survives_mutated_operators(case):
    csv_bytes, mutations = case
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        workdir = Path(tmp)
        path = stage_scenario(SCENARIOS / "emergency.yaml", workdir)
        operators = workdir / "data" / "operators.csv"
        operators.write_bytes(csv_bytes)
        argv = ["roster", str(path), "--operators", str(operators), "--out", str(workdir / "out")]
        argv += ["--time-limit", str(TIME_LIMIT)]
        outcome = run_cli(argv, seconds=wall_bound(TIME_LIMIT, solves=2))
        check(outcome, "roster", workdir, "roster-operators", mutations)
