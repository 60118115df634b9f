"""How a command ends: output folders written whole or not at all, one run at a time, never a
user's own files replaced; exit 3 when no plan is found; time limits refused when absurd."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from planner.cli import main
from planner.io.run_folder import OutputFolderError, RunFolder

REPO = Path(__file__).resolve().parents[1]
NAMES = ("a.csv", "b.json")


def test_a_run_writes_its_files_together_with_ordinary_permissions(tmp_path):
    out = tmp_path / "run"
    with RunFolder(out, names=NAMES) as run:
        written = run.write({"a.csv": b"x\n", "b.json": b"{}"})
    assert written == [out / "a.csv", out / "b.json"]
    assert (out / "a.csv").read_bytes() == b"x\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / "a.csv").stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".run.new")] == []


def test_a_folder_with_an_earlier_run_is_refused_unless_forced(tmp_path):
    out = tmp_path / "run"
    with RunFolder(out, names=NAMES) as run:
        run.write({"a.csv": b"old", "b.json": b"old"})
    with pytest.raises(OutputFolderError, match=r"already holds files.*--force"):
        RunFolder(out, names=NAMES).__enter__()
    with RunFolder(out, names=NAMES, force=True) as run:
        run.write({"a.csv": b"new"})
    assert sorted(p.name for p in out.iterdir()) == ["a.csv"]  # the old run replaced whole
    assert (out / "a.csv").read_bytes() == b"new"


def test_force_never_deletes_files_the_command_does_not_write(tmp_path):
    (tmp_path / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(OutputFolderError, match=r"does not write \(thesis.docx\)"):
        RunFolder(tmp_path, names=NAMES, force=True).__enter__()
    assert (tmp_path / "thesis.docx").read_bytes() == b"years of work"


def test_a_run_that_fails_while_writing_leaves_the_earlier_run_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "run"
    with RunFolder(out, names=NAMES) as run:
        run.write({"a.csv": b"old", "b.json": b"old"})
    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"), RunFolder(out, names=NAMES, force=True) as run:
        run.write({"a.csv": b"new", "b.json": b"new"})
    assert (out / "a.csv").read_bytes() == b"old"
    assert (out / "b.json").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".run.lock", "run"]


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    out = tmp_path / "run"
    with RunFolder(out, names=NAMES):
        done = subprocess.run(
            [sys.executable, "-m", "planner", "solve", "scenarios/baseline.yaml", "--out", out],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert "another run is writing into this folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("limit", ["0", "-1", "nan", "inf", "1e9", "soon"])
def test_absurd_time_limits_are_refused(limit, tmp_path, capsys):
    with pytest.raises(SystemExit) as ended:
        main(["solve", "scenarios/baseline.yaml", "--out", str(tmp_path), "--time-limit", limit])
    assert ended.value.code == 2
    assert "--time-limit" in capsys.readouterr().err


def _conflicting_scenario(tmp_path: Path) -> Path:
    """emergency.yaml with a queue that needs a pool's agents on a day its headcount is 0."""
    data = yaml.safe_load((REPO / "scenarios" / "baseline.yaml").read_text())
    for pool in data["pools"]:
        pool["headcount"] = 0
    queue = data["queues"][0]
    queue["min_agents"] = 1
    path = tmp_path / "conflict.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_no_plan_is_exit_3_with_the_rules_in_conflict_and_nothing_written(tmp_path, capsys):
    scenario = _conflicting_scenario(tmp_path)
    out = tmp_path / "out"
    code = main(["solve", str(scenario), "--out", str(out), "--quiet", "--time-limit", "20"])
    err = capsys.readouterr().err
    assert code == 3
    assert "No plan exists" in err and "queue_min_agents" in err
    assert not out.exists() or not any(out.iterdir())
    code = main(["roster", str(scenario), "--out", str(tmp_path / "r"), "--time-limit", "20"])
    assert code == 3
    assert "nothing to roster" in capsys.readouterr().err


def test_a_roster_cut_by_the_deadline_says_so(monkeypatch):
    """When the wall clock ends the search before its deterministic time (a busy machine, here
    a deadline already past), the roster is still valid, and says it may differ between runs;
    a roster that ends on its deterministic time says nothing of the kind."""
    import planner.roster.assign as assign
    from planner.chain import roster_scenario
    from planner.cpsat.clock import Clock
    from planner.io.scenario_file import load_scenario
    from planner.roster.export import roster_document

    class Patient(Clock):  # no wall-clock deadline: however busy the machine, never cut
        def __init__(self, settings, deadline_seconds=None):
            super().__init__(settings, deadline_seconds=None)

    class Late(Clock):
        def __init__(self, settings, deadline_seconds=None):
            super().__init__(settings, deadline_seconds=0.0)

    scenario = load_scenario(REPO / "scenarios" / "baseline.yaml")
    monkeypatch.setattr(assign, "Clock", Patient)
    calm = roster_scenario(scenario, time_limit_seconds=5.0)
    assert not calm.deadline_cut and roster_document(calm)["deadline_cut"] is False

    monkeypatch.setattr(assign, "Clock", Late)
    rushed = roster_scenario(scenario, plan=calm.plan, time_limit_seconds=5.0)
    assert rushed.deadline_cut and roster_document(rushed)["deadline_cut"] is True
    assert rushed.validation.ok


def test_a_roster_of_generated_operators_too_large_to_solve_is_refused_before_planning(
    tmp_path, capsys, monkeypatch
):
    from planner.domain import limits

    monkeypatch.setattr(limits, "MAX_ROSTER_CELLS", 1_000)
    out = tmp_path / "out"
    code = main(["roster", "scenarios/baseline.yaml", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "pools[].headcount" in err and "at most 1,000" in err
    assert not out.exists()
