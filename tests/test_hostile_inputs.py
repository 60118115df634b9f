"""The hostile examples of issue 11 ("Hostile and absurd input") that concern the command line
on a scenario, one test each: every run must end in exit 0 with a valid plan, exit 2 with a
message naming the field or file, or exit 3 with a reason (judged by
:func:`tests.fuzz_harness.judge`), within its time and memory bounds, never with a traceback."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.fuzz_harness import (
    OPERATORS_CSV,
    SCENARIOS,
    check,
    dump_yaml,
    run_cli,
    stage_scenario,
    wall_bound,
)

TIME_LIMIT = 2.0
EMERGENCY = SCENARIOS / "emergency.yaml"


def _edited(edit: Callable[[dict], None], scenario: Path = EMERGENCY) -> str:
    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    edit(data)
    return dump_yaml(data)


def _run(command: str, text: str | bytes, *, operators: bytes | None = None, label: str):
    """Stage ``text`` as emergency.yaml (with its data files), run ``command`` on it and fail
    unless the outcome is allowed; returns the outcome."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        workdir = Path(tmp)
        path = stage_scenario(EMERGENCY, workdir, text)
        argv = [command, str(path)]
        solves = {"validate": 0, "solve": 1, "roster": 2}[command]
        if command != "validate":
            argv += ["--out", str(workdir / "out"), "--time-limit", str(TIME_LIMIT)]
        if operators is not None:
            (workdir / "data" / "operators.csv").write_bytes(operators)
            argv += ["--operators", str(workdir / "data" / "operators.csv")]
        outcome = run_cli(argv, seconds=wall_bound(TIME_LIMIT, max(solves, 1)))
        check(outcome, command, workdir, f"hostile-{label}", label)
        return outcome


def _set(*path: str | int, value: object) -> Callable[[dict], None]:
    def edit(data: dict) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return edit


# --------------------------------------------------------------------------------------------------
# Absurd numbers
# --------------------------------------------------------------------------------------------------


def test_headcount_2_pow_63_is_refused_by_validate():
    outcome = _run("validate", _edited(_set("pools", 0, "headcount", value=2**63)), label="hc63")
    assert outcome.exit_code == 2 and "headcount" in outcome.stderr


@pytest.mark.slow
def test_start_date_9999_01_01_solves_or_is_refused():
    _run("solve", _edited(_set("horizon", "start_date", value="9999-01-01")), label="y9999")


def test_start_date_at_the_end_of_the_calendar_is_refused_or_validates():
    _run("validate", _edited(_set("horizon", "start_date", value="9999-12-31")), label="y9999end")


@pytest.mark.slow
def test_cost_per_hour_1e300():
    _run("solve", _edited(_set("pools", 0, "cost_per_hour", value=1e300)), label="cost1e300")


@pytest.mark.slow
def test_seed_2_pow_40():
    _run("solve", _edited(_set("solver", "seed", value=2**40)), label="seed40")


@pytest.mark.slow
def test_staffing_lag_1e12_seconds():
    _run(
        "solve",
        _edited(_set("queues", 0, "staffing_lag_seconds", value=1e12)),
        label="lag1e12",
    )


@pytest.mark.slow
def test_1e30_calls_a_day_is_refused_naming_the_queue():
    text = _edited(_set("queues", 0, "demand", "calls_per_day", value=1e30))
    outcome = _run("solve", text, label="calls1e30")
    assert outcome.exit_code in (2, 3)
    assert "queues[0]" in outcome.stderr or "calls_per_day" in outcome.stderr


@pytest.mark.slow
def test_surge_multiplier_1e300_is_refused_naming_the_queue():
    text = _edited(_set("surges", 0, "peak_multiplier", value=1e300))
    outcome = _run("solve", text, label="surge1e300")
    assert outcome.exit_code in (2, 3)
    assert re.search(r"queues\[0\]|surges\[0\]", outcome.stderr)


@pytest.mark.slow
def test_headcount_change_2_pow_62():
    _run("solve", _edited(_set("headcount_changes", 0, "change", value=2**62)), label="hcc62")


@pytest.mark.slow  # runs into its wall bound while it fails
def test_billion_laughs_yaml_is_refused():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        previous = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([previous] * 9)}]")
    lines.append("schema_version: *a9")
    text = "\n".join(lines) + "\n"
    assert len(text) < 2048
    outcome = _run("validate", text, label="laughs")
    assert outcome.exit_code == 2


# --------------------------------------------------------------------------------------------------
# Labour rules and operators
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_seven_days_off_a_week_names_the_rule_or_is_refused():
    def edit(data: dict) -> None:
        data.setdefault("labour", {})["min_days_off_per_week"] = 7

    outcome = _run("roster", _edited(edit), label="daysoff7")
    if outcome.exit_code != 2:
        assert "min_days_off_per_week" in outcome.stdout + outcome.stderr or re.search(
            r"days? off", outcome.stdout + outcome.stderr, re.I
        )


def _operators_without(pool: str) -> bytes:
    lines = OPERATORS_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    column = lines[0].strip().split(",").index("pool")
    kept = [lines[0]] + [x for x in lines[1:] if x.split(",")[column] != pool]
    return "".join(kept).encode("utf-8")


@pytest.mark.slow
def test_operators_file_that_leaves_a_pool_empty():
    _run(
        "roster",
        EMERGENCY.read_bytes(),
        operators=_operators_without("emergency_team"),
        label="emptypool",
    )


def test_operators_file_leaving_a_pool_empty_validates_or_names_the_pool():
    def edit(data: dict) -> None:
        data["operators_file"] = "data/operators.csv"

    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        workdir = Path(tmp)
        path = stage_scenario(EMERGENCY, workdir, _edited(edit))
        (workdir / "data" / "operators.csv").write_bytes(_operators_without("borrowed"))
        outcome = run_cli(["validate", str(path)], seconds=20)
        check(outcome, "validate", workdir, "hostile-emptypool-validate")


def test_non_utf8_operators_file_is_refused_naming_the_file():
    raw = OPERATORS_CSV.read_bytes().replace(b"Aigerim", "Aïgerim".encode("latin-1"))
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        workdir = Path(tmp)
        path = stage_scenario(EMERGENCY, workdir)
        operators = workdir / "data" / "operators.csv"
        operators.write_bytes(raw)
        argv = ["roster", str(path), "--operators", str(operators), "--out", str(workdir / "o")]
        outcome = run_cli([*argv, "--time-limit", "2"], seconds=wall_bound(TIME_LIMIT, 2))
        check(outcome, "roster", workdir, "hostile-latin1-operators")
        assert outcome.exit_code == 2
        assert "operators.csv" in outcome.stderr
        assert re.search(r"UTF-8", outcome.stderr)
