"""Comparisons, sweeps and searches stop at once when asked (app_pages._jobs.CallJob), keeping
the plans finished, and a rejected upload does not block the next one (the Scenario page empties
its uploader)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app_pages import _jobs
from planner.io.scenario_file import load_scenario
from planner.study import STOPPED, LocalProcesses, sweep
from tests.test_app_pages import saved_dir  # noqa: F401 (autouse: saves go to a temporary folder)

REPO = Path(__file__).resolve().parents[1]
BROKEN = ("mine.yaml", b"schema_version: 1\nname: x\nhorizon: {days: 0}\n", "text/yaml")


def _one_day_sweep(_progress=None, _stop=None):
    scenario = load_scenario(REPO / "scenarios" / "emergency.yaml")
    scenario = scenario.model_copy(
        update={"horizon": scenario.horizon.model_copy(update={"days": 1})}
    )
    axes = {"surges[0].peak_multiplier": [1, 2, 3], "pools[borrowed].headcount": [0, 10, 20]}
    with LocalProcesses(2) as executor:
        return sweep(
            scenario,
            axes,
            executor=executor,
            time_limit_seconds=60.0,
            seed=1,
            progress=_progress,
            stop=_stop,
        )


def test_a_stopped_sweep_ends_at_once_keeping_the_points_finished():
    job = _jobs.CallJob("sweep", _one_day_sweep)
    first = threading.Event()
    report = job.report

    def noted(progress):
        first.set()
        report(progress)

    job.report = noted
    job.start()
    assert first.wait(120), "no point solved in two minutes"
    job.stop.set()
    stopped_at = time.perf_counter()
    job.wait(30)
    assert not job.running and time.perf_counter() - stopped_at < 5
    assert job.stopped and job.error is None
    result = job.result
    assert 1 <= len(result.points) - len(result.stopped) < 9  # some finished, not all
    assert all(p.kpis["status"] == STOPPED for p in result.stopped)
    assert not result.failed


def test_a_job_stopped_before_it_begins_runs_nothing():
    job = _jobs.CallJob("sweep", _one_day_sweep)
    job.stop.set()
    job.start().wait(30)
    assert job.stopped and job.error is None
    assert len(job.result.stopped) == len(job.result.points) == 9


def test_an_unstopped_job_keeps_its_result():
    job = _jobs.CallJob("compare", lambda _progress=None, _stop=None: _progress("p") or 42)
    job.start().wait(10)
    assert job.result == 42 and not job.stopped and job.history == ["p"]


def test_compare_page_has_a_stop_button_per_study_disabled_when_idle():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    for key in ("compare_job_stop", "sweep_job_stop", "capacity_job_stop"):
        assert at.button(key=key).disabled


def test_a_rejected_upload_does_not_block_the_next_one():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.file_uploader(key="upload_files").set_value(BROKEN).run()
    assert any("The upload was not opened (mine.yaml)" in e.value for e in at.error)
    # The uploader is a new, empty one; the message stays until a file opens.
    (uploader,) = at.get("file_uploader")[:1]
    assert uploader.key != "upload_files" and not uploader.value
    good = (REPO / "scenarios" / "baseline.yaml").read_bytes()
    uploader.set_value(("baseline.yaml", good, "text/yaml")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["workspace"].draft.data["name"] == "Baseline week"
