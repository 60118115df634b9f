"""Hostile file names: a scenario reads only files inside its own folder (or $PLANNER_DATA_DIR),
only regular files, and never opens a FIFO or a device; an upload reads nothing from disk.

Every refusal is a ScenarioError naming the field, the value and the rule, in process and on the
command line (exit 2, no traceback). Tests that involve a FIFO carry a timeout: a read that
blocked on one would fail, not hang.
"""

from __future__ import annotations

import builtins
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from streamlit.testing.v1 import AppTest

import planner.editing.draft as ed
from planner.errors import ScenarioError
from planner.io.files import read_named_file, read_regular_file
from planner.io.operators_file import load_operators
from planner.io.scenario_file import load_scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
FORECAST_FIELD = "queues[0].demand.forecast_csv"
FORECAST_WRITTEN = "data/forecast_week.csv"  # as forecast_week.yaml names its forecast

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
needs_symlink = pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")


@pytest.fixture(autouse=True)
def no_data_dir(monkeypatch):
    monkeypatch.delenv("PLANNER_DATA_DIR", raising=False)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A scenario folder (tmp/scenarios) holding forecast_week.yaml's forecast, with a file
    next to the folder (tmp/outside.csv) that no scenario in it may read."""
    inside = tmp_path / "scenarios"
    (inside / "data").mkdir(parents=True)
    shutil.copy(SCENARIOS / FORECAST_WRITTEN, inside / FORECAST_WRITTEN)
    shutil.copy(SCENARIOS / FORECAST_WRITTEN, tmp_path / "outside.csv")
    return inside


def forecast_scenario(folder: Path, name: str) -> Path:
    """forecast_week.yaml in ``folder``, its forecast named ``name``."""
    text = (SCENARIOS / "forecast_week.yaml").read_text(encoding="utf-8")
    assert FORECAST_WRITTEN in text
    path = folder / "mine.yaml"
    path.write_text(text.replace(FORECAST_WRITTEN, name), encoding="utf-8")
    return path


def operators_scenario(folder: Path, name: str) -> Path:
    """emergency.yaml in ``folder``, naming the operators file ``name``."""
    text = (SCENARIOS / "emergency.yaml").read_text(encoding="utf-8")
    path = folder / "team.yaml"
    path.write_text(f"{text}operators_file: {name}\n", encoding="utf-8")
    return path


def hostile(folder: Path, case: str) -> tuple[str, str]:
    """Set up ``case`` in ``folder``: the name a scenario writes, and a word of the rule."""
    if case == "absolute":
        return str(folder.parent / "outside.csv"), "not an absolute path"
    if case == "etc_passwd":
        return "/etc/passwd", "not an absolute path"
    if case == "dev_zero":
        return "/dev/zero", "not an absolute path"
    if case == "dotdot":
        return "../outside.csv", "must not contain '..'"
    if case == "dotdot_inside":
        return "data/../data/forecast_week.csv", "must not contain '..'"
    if case == "symlink_out":
        (folder / "link.csv").symlink_to(folder.parent / "outside.csv")
        return "link.csv", "leads outside the scenario's folder"
    if case == "symlink_to_device":
        (folder / "zero.csv").symlink_to("/dev/zero")
        return "zero.csv", "leads outside the scenario's folder"
    if case == "fifo":
        os.mkfifo(folder / "pipe.csv")
        return "pipe.csv", "is a FIFO"
    if case == "folder":
        return "data", "is a folder"
    raise AssertionError(case)


CASES = [
    "absolute",
    "etc_passwd",
    "dev_zero",
    "dotdot",
    "dotdot_inside",
    pytest.param("symlink_out", marks=needs_symlink),
    pytest.param("symlink_to_device", marks=needs_symlink),
    pytest.param("fifo", marks=needs_fifo),
    "folder",
]


def assert_refused(error: ScenarioError, field: str, name: str, rule_part: str) -> None:
    matching = [i for i in error.issues if i.path == field]
    assert len(matching) == 1, error.issues
    assert matching[0].value == name
    assert rule_part in matching[0].rule
    assert f"{field} = {name!r}: " in str(error)


# --------------------------------------------------------------------------------------------------
# Files a scenario names: in process
# --------------------------------------------------------------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", CASES)
def test_a_forecast_outside_the_folder_or_not_a_file_is_refused(folder, case):
    name, rule_part = hostile(folder, case)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(forecast_scenario(folder, name))
    assert_refused(caught.value, FORECAST_FIELD, name, rule_part)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", CASES)
def test_an_operators_file_outside_the_folder_or_not_a_file_is_refused(folder, case):
    name, rule_part = hostile(folder, case)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(operators_scenario(folder, name))
    assert_refused(caught.value, "operators_file", name, rule_part)


def test_a_device_named_inside_the_folder_is_refused_unopened(monkeypatch):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    content, problem = read_named_file("zero", "/dev", {})
    assert (content, problem) == (b"", "is a device, not a regular file")
    assert opened == []


@needs_fifo
@pytest.mark.timeout(10)
def test_a_fifo_is_never_opened(folder, monkeypatch):
    os.mkfifo(folder / "pipe.csv")
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    assert (
        read_named_file("pipe.csv", folder, {})[1] == "is a FIFO (named pipe), not a regular file"
    )
    with pytest.raises(OSError, match="FIFO"):
        read_regular_file(folder / "pipe.csv")
    assert opened == []


@needs_symlink
def test_a_symlink_inside_the_folder_to_a_file_inside_is_read(folder):
    (folder / "alias.csv").symlink_to(Path("data") / "forecast_week.csv")
    scenario = load_scenario(forecast_scenario(folder, "alias.csv"))
    expected = load_scenario(SCENARIOS / "forecast_week.yaml").forecast(FORECAST_WRITTEN)
    assert scenario.forecast("alias.csv").equals(expected)


@needs_symlink
def test_a_scenario_folder_reached_through_a_symlink_reads_its_files(folder, tmp_path):
    forecast_scenario(folder, FORECAST_WRITTEN)
    (tmp_path / "via").symlink_to(folder, target_is_directory=True)
    assert load_scenario(tmp_path / "via" / "mine.yaml").forecast(FORECAST_WRITTEN) is not None


def test_a_data_dir_set_explicitly_is_read_under_the_same_rules(folder, tmp_path, monkeypatch):
    data = tmp_path / "shared"
    data.mkdir()
    shutil.copy(SCENARIOS / FORECAST_WRITTEN, data / "shared.csv")
    path = forecast_scenario(folder, "shared.csv")
    with pytest.raises(ScenarioError, match="cannot be read"):
        load_scenario(path)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(data))
    assert load_scenario(path).forecast("shared.csv") is not None
    with pytest.raises(ScenarioError) as caught:
        load_scenario(forecast_scenario(folder, "../outside.csv"))
    assert_refused(caught.value, FORECAST_FIELD, "../outside.csv", "must not contain '..'")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_still_loads_with_its_files(path):
    assert load_scenario(path).name
    assert ed.load_draft(path).validate() == load_scenario(path)


# --------------------------------------------------------------------------------------------------
# Files the user names (the scenario, --operators): anywhere, but regular files
# --------------------------------------------------------------------------------------------------


def not_regular(tmp_path: Path, case: str) -> Path:
    if case == "fifo":
        os.mkfifo(tmp_path / "pipe.yaml")
        return tmp_path / "pipe.yaml"
    if case == "folder":
        return tmp_path
    if case == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero")
        return Path("/dev/zero")
    raise AssertionError(case)


USER_CASES = [
    pytest.param("fifo", "is a FIFO", marks=needs_fifo),
    ("folder", "is a folder"),
    ("device", "is a device"),
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("case", "rule_part"), USER_CASES)
def test_a_scenario_or_operators_path_that_is_not_a_regular_file_is_refused(
    tmp_path, case, rule_part
):
    path = not_regular(tmp_path, case)
    with pytest.raises(ScenarioError, match=rf"^{path}: \(file\): cannot be read: {rule_part}"):
        load_scenario(path)
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    with pytest.raises(ScenarioError, match=rf"^{path}: \(file\): cannot be read: {rule_part}"):
        load_operators(path, scenario)


def test_a_scenario_anywhere_is_still_read(tmp_path):
    copy = tmp_path / "elsewhere" / "baseline.yaml"
    copy.parent.mkdir()
    shutil.copy(SCENARIOS / "baseline.yaml", copy)
    assert load_scenario(copy) == load_scenario(SCENARIOS / "baseline.yaml")


# --------------------------------------------------------------------------------------------------
# On the command line
# --------------------------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_DATA_DIR"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env=env,
    )


@pytest.mark.timeout(120)
def test_validate_refuses_every_hostile_name_with_exit_2_and_no_traceback(folder):
    expected = []
    for k, case in enumerate(["etc_passwd", "dev_zero", "dotdot", "folder"]):
        name, rule_part = hostile(folder, case)
        path = forecast_scenario(folder, name).rename(folder / f"f{k}.yaml")
        expected.append(f"{path}: {FORECAST_FIELD} = {name!r}: ")
        expected.append(rule_part)
        name, rule_part = hostile(folder, case)
        path = operators_scenario(folder, name).rename(folder / f"o{k}.yaml")
        expected.append(f"{path}: operators_file = {name!r}: ")
        expected.append(rule_part)
    if hasattr(os, "mkfifo") and os.name != "nt":
        for k, case in enumerate(["fifo", "symlink_out"]):
            name, rule_part = hostile(folder, case)
            path = forecast_scenario(folder, name).rename(folder / f"s{k}.yaml")
            expected += [f"{path}: {FORECAST_FIELD} = {name!r}: ", rule_part]
    files = sorted(str(p) for p in folder.glob("*.yaml"))
    done = run_cli("validate", *files)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for part in expected:
        assert part in done.stderr


@needs_fifo
@pytest.mark.timeout(120)
def test_a_fifo_as_the_scenario_or_the_operators_file_on_the_command_line_exits_2(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    done = run_cli("validate", str(tmp_path / "pipe.yaml"), str(tmp_path))
    assert done.returncode == 2
    assert f"{tmp_path / 'pipe.yaml'}: (file): cannot be read: is a FIFO" in done.stderr
    assert f"{tmp_path}: (file): cannot be read: is a folder" in done.stderr
    assert "Traceback" not in done.stderr
    out = tmp_path / "out"
    done = run_cli(
        "roster",
        str(SCENARIOS / "emergency.yaml"),
        "--operators",
        str(tmp_path / "pipe.yaml"),
        "--out",
        str(out),
    )
    assert done.returncode == 2
    assert f"{tmp_path / 'pipe.yaml'}: (file): cannot be read: is a FIFO" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


# --------------------------------------------------------------------------------------------------
# Uploads: nothing read from the server's disk
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every path opened, read or stat'ed from now on (as text)."""
    seen: list[str] = []

    def spy(real):
        def wrapper(path, *args, **kwargs):
            seen.append(os.fspath(path) if isinstance(path, os.PathLike | str) else str(path))
            return real(path, *args, **kwargs)

        return wrapper

    for module, name in [
        (builtins, "open"),
        (io, "open"),
        (os, "open"),
        (os, "stat"),
        (os, "lstat"),
    ]:
        monkeypatch.setattr(module, name, spy(getattr(module, name)))
    for name in ("read_bytes", "read_text", "open", "resolve", "exists", "is_file"):
        real = getattr(Path, name)
        monkeypatch.setattr(
            Path,
            name,
            lambda self, *a, _real=real, **k: seen.append(str(self)) or _real(self, *a, **k),
        )
    return seen


def upload(name: str, *, field: str = "forecast") -> dict[str, bytes]:
    if field == "forecast":
        text = (SCENARIOS / "forecast_week.yaml").read_text(encoding="utf-8")
        text = text.replace(FORECAST_WRITTEN, name)
    else:
        text = (SCENARIOS / "emergency.yaml").read_text(encoding="utf-8")
        text += f"operators_file: {name}\n"
    return {"mine.yaml": text.encode()}


UPLOAD_NAMES = [
    ("/etc/passwd", "not an absolute path"),
    ("../../x.csv", "must not contain '..'"),
    ("/dev/zero", "not an absolute path"),
    ("present.csv", "was not uploaded"),  # a file that exists in the server's working folder
]


@pytest.mark.parametrize("field", ["forecast", "operators"])
@pytest.mark.parametrize(("name", "rule_part"), UPLOAD_NAMES)
def test_an_uploaded_scenario_reads_nothing_from_disk(
    tmp_path, monkeypatch, field, name, rule_part, reads
):
    shutil.copy(SCENARIOS / FORECAST_WRITTEN, tmp_path / "present.csv")
    monkeypatch.chdir(tmp_path)
    files = upload(name, field=field)
    reads.clear()
    with pytest.raises(ScenarioError) as caught:
        ed.draft_from_upload(files)
    where = FORECAST_FIELD if field == "forecast" else "operators_file"
    assert_refused(caught.value, where, name, rule_part)
    stem = PurePosixPath(name).name
    assert not [p for p in reads if stem in p], reads


def test_an_upload_naming_a_file_by_an_absolute_path_is_refused_even_when_given(reads):
    # The file matched by its base name is uploaded, but the name written is still refused.
    files = upload("/etc/passwd") | {"passwd": (SCENARIOS / FORECAST_WRITTEN).read_bytes()}
    with pytest.raises(ScenarioError) as caught:
        ed.draft_from_upload(files)
    assert_refused(caught.value, FORECAST_FIELD, "/etc/passwd", "not an absolute path")
    assert not [p for p in reads if "passwd" in p], reads


def test_a_draft_or_a_key_naming_a_server_file_reads_nothing(tmp_path, monkeypatch, reads):
    shutil.copy(SCENARIOS / FORECAST_WRITTEN, tmp_path / "present.csv")
    monkeypatch.chdir(tmp_path)
    good = ed.load_draft(SCENARIOS / "forecast_week.yaml")
    reads.clear()
    for name in ("/etc/passwd", "present.csv", "../present.csv"):
        data = ed.scenario_data(good.validate())
        data["queues"][0]["demand"]["forecast_csv"] = name
        with pytest.raises(ScenarioError, match=r"queues\[0\]\.demand\.forecast_csv"):
            ed.Draft(data, {}, "upload: mine.yaml").validate()
        text = ed.dump_scenario_yaml(good.validate()).replace(FORECAST_WRITTEN, name)
        with pytest.raises(ScenarioError, match=r"queues\[0\]\.demand\.forecast_csv"):
            ed.scenario_from_key((text, ()), "upload")
    assert not [p for p in reads if "passwd" in p or "present" in p], reads


# --------------------------------------------------------------------------------------------------
# In the app
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("PLANNER_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("name", "field", "rule_part"),
    [
        ("/etc/passwd", "forecast", "not an absolute path"),
        ("../../x.csv", "forecast", "must not contain '..'"),
        ("/etc/passwd", "operators", "not an absolute path"),
    ],
)
def test_an_app_upload_naming_a_server_file_is_an_error_naming_the_field(
    app, name, field, rule_part
):
    before = app.session_state["workspace"].draft
    (yaml_name, content), *_ = upload(name, field=field).items()
    app.file_uploader(key="upload_files").set_value((yaml_name, content, "text/yaml")).run()
    assert not app.exception
    shown = "\n".join(e.value for e in app.error)
    assert "The upload was not opened" in shown
    where = FORECAST_FIELD if field == "forecast" else "operators_file"
    assert f"{where} = {name!r}: " in shown
    assert rule_part in shown
    assert app.session_state["workspace"].draft == before
