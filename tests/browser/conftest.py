"""Browser tests: the app served by ``streamlit run app.py`` on loopback, driven in Debian's
chromium through pytest-playwright (never ``playwright install``).

Without /usr/bin/chromium the tests skip on a laptop and fail in CI (``CI`` set). Screenshots of
every page go to ``test-artifacts/screenshots/`` (git-ignored); the folder is printed at the end
of the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
_saved: list[Path] = []
_timings: dict[str, float] = {}


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium: skip without it, unless in CI, where its absence is a failure."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium); the browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(message + " and CI is set, so they may not skip")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium):
    return {**browser_type_launch_args, "executable_path": str(chromium), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1600}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(chromium, tmp_path_factory) -> str:
    """``streamlit run app.py`` on a free loopback port, saving scenarios to a temporary folder."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "PLANNER_SAVED_DIR": str(tmp_path_factory.mktemp("saved"))}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {url} within 60 s:\n{log.read_text()}")
            time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves the page as ``test-artifacts/screenshots/NAME.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _saved.append(path)
        return path

    return save


@pytest.fixture
def timing():
    """``timing(what, seconds)`` records a measured time, printed at the end of the run."""

    def record(what: str, seconds: float) -> None:
        _timings[what] = seconds

    return record


def pytest_terminal_summary(terminalreporter):
    if _saved:
        terminalreporter.write_line(f"browser test screenshots ({len(_saved)}): {SCREENSHOTS}")
    for what, seconds in _timings.items():
        terminalreporter.write_line(f"browser timing: {what}: {seconds:.1f} s")
