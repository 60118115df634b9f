"""Run the command line on hostile input cheaply, and judge how it ended.

:func:`run_cli` forks the test process (which has already imported the planner, so a run costs
no interpreter start-up), caps the child's address space and CPU time with ``setrlimit``, sends
its output to files and calls :func:`planner.cli.main`; the parent kills it after a wall-clock
bound. :func:`judge` says whether an outcome is one the issue allows (exit 0 with a valid plan,
exit 2 naming a field or file, exit 3 with a reason) and :func:`save_failure` keeps a failing
input under ``test-artifacts/fuzz/`` for reproduction. The mutation helpers turn a shipped
scenario (parsed YAML, raw bytes) or the operators CSV into hostile variants.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import json
import math
import multiprocessing
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

# Imported here, once, so that forked runs start warm (an import costs the child ~1 s).
import planner.chain
import planner.cli
import planner.io.export
import planner.io.operators_file
import planner.io.scenario_file
import planner.roster
import planner.shiftplan  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
OPERATORS_CSV = SCENARIOS / "data" / "emergency_operators.csv"
ARTIFACTS = ROOT / "test-artifacts" / "fuzz"

EXIT_TRACEBACK = 99
"""The child's exit code when :func:`planner.cli.main` raised instead of returning."""

MEMORY_HEADROOM = 2 * 1024**3
"""Address space a run may add to the forked test process (2 GiB; a normal solve of a shipped
scenario adds a few hundred MB, CP-SAT's per-thread arenas included)."""


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    argv: tuple[str, ...]
    exit_code: int | None
    """The child's exit code; negative for a signal; None when it was killed for its time."""
    stdout: str
    stderr: str
    elapsed: float
    timed_out: bool


def _vm_size() -> int:
    """This process's address space in bytes (``VmSize``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(argv: list[str], out_path: str, err_path: str, cpu_seconds: int, memory: int) -> None:
    """Body of the forked child: limits, redirected output, the CLI, and its exit code."""
    code = EXIT_TRACEBACK
    try:
        out = open(out_path, "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        err = open(err_path, "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdout, sys.stderr = out, err
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        from planner.cli import main

        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors exit 2 by design
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException:
            traceback.print_exc()
            code = EXIT_TRACEBACK
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code if isinstance(code, int) and 0 <= code < 256 else EXIT_TRACEBACK)


def run_cli(argv: Sequence[str], *, seconds: float, memory_bytes: int = MEMORY_HEADROOM) -> Outcome:
    """Run ``python -m planner <argv>`` in a forked child of this process.

    ``seconds`` is the wall-clock bound (the child is killed after it: a hang is a failure) and,
    rounded up and doubled, its CPU-time limit (``RLIMIT_CPU``; CP-SAT may use two threads).
    ``memory_bytes`` is the address space the child may add to this process's (``RLIMIT_AS``):
    more makes allocations fail (a ``MemoryError`` traceback, exit 99).
    Returns an :class:`Outcome` (exit code, output, elapsed seconds).
    """
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="fuzz-run-") as tmp:
        out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        sys.stdout.flush()
        sys.stderr.flush()
        cpu = math.ceil(seconds) * 2 + 2
        child = context.Process(
            target=_child,
            args=(list(argv), out_path, err_path, cpu, _vm_size() + memory_bytes),
            daemon=True,
        )
        started = time.monotonic()
        child.start()
        child.join(seconds)
        timed_out = child.is_alive()
        if timed_out:
            child.kill()
            child.join()
        elapsed = time.monotonic() - started

        def read(path: str) -> str:
            try:
                return Path(path).read_text(encoding="utf-8", errors="backslashreplace")
            except FileNotFoundError:
                return ""

        return Outcome(
            argv=tuple(argv),
            exit_code=None if timed_out else child.exitcode,
            stdout=read(out_path),
            stderr=read(err_path),
            elapsed=elapsed,
            timed_out=timed_out,
        )


def wall_bound(time_limit: float, solves: int = 1, margin: float = 8.0) -> float:
    """Wall-clock bound for a command that runs ``solves`` CP-SAT solves of ``time_limit`` s:
    each may take its limit + 10 % + 2 s (model building, checks, files), plus ``margin`` s for
    the loaded 2-core CI machine (other tests, the fork itself)."""
    return solves * (time_limit * 1.1 + 2.0) + margin


# --------------------------------------------------------------------------------------------------
# Judging
# --------------------------------------------------------------------------------------------------

_PYTHON_ERROR = re.compile(
    r"Traceback \(most recent call last\)|KeyError|IndexError|AttributeError|TypeError|"
    r"ZeroDivisionError|OverflowError|RecursionError|MemoryError|UnicodeDecodeError|"
    r"zero-size array|has no attribute|not subscriptable|unsupported operand|"
    r"object is not iterable|invalid literal for int|could not convert string|"
    r"division by zero|out of bounds for axis|cannot convert float|index \d+ is out of bounds"
)
_FIELD_PATH = re.compile(r"\b[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)+|\b[a-z_]+\[\d+\]|\brow \d+")
_TOP_FIELDS = re.compile(
    r"\b(schema_version|name|description|horizon|queues|surges|operating_modes|"
    r"headcount_changes|shift_templates|pools|service|solver|labour|operators_file|"
    r"seed|time_limit_seconds|workers|relative_gap)\b"
)
_NO_PLAN = re.compile(r"no plan|no shift plan|INFEASIBLE|contradict|in conflict|cannot", re.I)


def judge(outcome: Outcome, command: str, files: Sequence[Path | str] = ()) -> str | None:
    """Why ``outcome`` breaks the rules of the issue, or None when it is allowed.

    Allowed: exit 0 (``solve``/``roster``: their plan or roster check says ``valid``); exit 2
    whose message names a field path or one of ``files`` and is not a bare Python error; exit 3
    with a reason (``solve``/``roster``); everything else (a traceback, exit 1 or 99, a signal,
    the time bound) is a failure.
    """
    text = outcome.stdout + outcome.stderr
    if outcome.timed_out:
        return f"no exit within {outcome.elapsed:.1f} s (hang or runaway)"
    code = outcome.exit_code
    if "Traceback (most recent call last)" in outcome.stderr:
        return f"exit {code} with a traceback"
    if code is not None and code < 0:
        return f"killed by signal {-code} (memory or CPU limit?)"
    if code == 0:
        if command == "solve" and "Plan check (no solver): valid" not in outcome.stdout:
            return "exit 0 but the plan check does not say valid"
        if command == "roster" and "Roster check (no solver): valid" not in outcome.stdout:
            return "exit 0 but the roster check does not say valid"
        return None
    if code == 2:
        message = outcome.stderr.strip()
        if not message:
            return "exit 2 without a message"
        if _PYTHON_ERROR.search(message):
            return "exit 2 with a bare Python error instead of a field"
        names = {Path(f).name for f in files}
        if any(n and n in message for n in names) or _FIELD_PATH.search(message):
            return None
        if _TOP_FIELDS.search(message) or "usage:" in message:
            return None
        return "exit 2 whose message names no field or file"
    if code == 3 and command in ("solve", "roster"):
        return None if _NO_PLAN.search(text) else "exit 3 without a reason"
    return f"exit {code}"


def save_failure(
    reason: str, outcome: Outcome, workdir: Path, label: str, detail: object = None
) -> Path:
    """Copy ``workdir`` (the hostile input and its data files) with the outcome to
    ``test-artifacts/fuzz/<label>-<hash>/`` and return that directory."""
    digest = hashlib.sha1(
        (label + reason + outcome.stderr[-2000:] + repr(detail)).encode()
    ).hexdigest()[:10]
    target = ARTIFACTS / f"{label}-{digest}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(workdir, target / "input", ignore=shutil.ignore_patterns("out*"))
    (target / "outcome.json").write_text(
        json.dumps(
            {
                "reason": reason,
                "argv": list(outcome.argv),
                "exit_code": outcome.exit_code,
                "elapsed": round(outcome.elapsed, 2),
                "mutation": repr(detail),
                "stdout": outcome.stdout[-4000:],
                "stderr": outcome.stderr[-8000:],
                "reproduce": "cd input && python -m planner "
                + " ".join(a.replace(str(workdir), ".") for a in outcome.argv),
            },
            indent=2,
        )
    )
    return target


def check(outcome: Outcome, command: str, workdir: Path, label: str, detail: object = None) -> None:
    """Fail the test (saving the input) unless ``outcome`` is allowed by :func:`judge`."""
    files = [p.name for p in workdir.rglob("*") if p.is_file()]
    reason = judge(outcome, command, files)
    if reason is not None:
        saved = save_failure(reason, outcome, workdir, label, detail)
        raise AssertionError(
            f"{reason}\nargv: {list(outcome.argv)}\nmutation: {detail!r}\n"
            f"saved: {saved}\nstdout tail:\n{outcome.stdout[-1500:]}\n"
            f"stderr tail:\n{outcome.stderr[-3000:]}"
        )


# --------------------------------------------------------------------------------------------------
# Mutating
# --------------------------------------------------------------------------------------------------

LONG_TEXT = "x" * 5000
HOSTILE_VALUES: tuple[object, ...] = (
    None,
    "",
    "x",
    "ghost",  # an unknown queue, pool, template, mode or profile name
    ["ghost"],
    -1,
    0,
    1,
    0.5,
    -0.0,
    1e-300,
    1e300,
    -1e300,
    math.nan,
    math.inf,
    -math.inf,
    2**63,
    -(2**63),
    2**40,
    True,
    [],
    {},
    LONG_TEXT,
    dt.date(9999, 12, 31),
    "9999-12-31",
    "0001-01-01",
    "2022-02-30",
    "25:61",
    "24:00",
    "mon",
)
"""Values put in place of a field: wrong types, edge and absurd numbers, NaN and infinities,
huge and tiny values, empty and very long strings, bad dates and clock times, dangling names."""


HOSTILE_NUMBERS: tuple[object, ...] = (
    *(v for v in HOSTILE_VALUES if isinstance(v, (int, float)) and not isinstance(v, bool)),
    *(7, 24, 1439, 1441, 10_000, 1e9, 1e12, 2**31, 2**62, 1e-9),
)
"""The numbers among :data:`HOSTILE_VALUES`, with a few more edges (a week, a day in hours and
minutes, int32 and int64 limits), put where the scenario has a number."""


def field_paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and list indexes) to a node of parsed YAML, the root excluded."""
    paths: list[tuple] = []
    if isinstance(data, dict):
        for key, value in data.items():
            paths.append((*prefix, key))
            paths.extend(field_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths.append((*prefix, index))
            paths.extend(field_paths(value, (*prefix, index)))
    return paths


def container_paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Paths to every mapping and list (the root included)."""
    paths = [prefix] if isinstance(data, (dict, list)) else []
    items: object = ()
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    for key, value in items:
        paths.extend(container_paths(value, (*prefix, key)))
    return paths


def get_at(data: object, path: tuple) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def apply_mutation(data: object, mutation: tuple) -> None:
    """Apply one mutation, as drawn by the tests, to parsed YAML in place.

    ``("replace", path, value)``, ``("delete", path)``, ``("unknown_key", path, key)`` (``path``
    a mapping), ``("duplicate", path)`` (``path`` a list item: appended again, so its name is
    duplicated), ``("copy_name", path, other)`` (the ``name`` of list item ``other`` given to the
    item at ``path``). A path that no longer exists (an earlier mutation removed it) is skipped.
    """
    kind, path = mutation[0], mutation[1]
    try:
        if kind == "replace":
            if not path:
                return
            value = copy.deepcopy(mutation[2])  # never share (and so grow) a hostile list
            get_at(data, path[:-1])[path[-1]] = value  # type: ignore[index]
        elif kind == "delete":
            if not path:
                return
            del get_at(data, path[:-1])[path[-1]]  # type: ignore[attr-defined]
        elif kind == "unknown_key":
            target = get_at(data, path)
            if isinstance(target, dict):
                target[mutation[2]] = 1
        elif kind == "duplicate":
            parent = get_at(data, path[:-1])
            if isinstance(parent, list):
                parent.append(copy.deepcopy(parent[path[-1]]))
        elif kind == "copy_name":
            target, source = get_at(data, path), get_at(data, mutation[2])
            if isinstance(target, dict) and isinstance(source, dict) and "name" in source:
                target["name"] = source["name"]
    except (KeyError, IndexError, TypeError):
        return


def dump_yaml(data: object) -> str:
    """``yaml.safe_dump`` that keeps shared objects written out in full (no anchors)."""

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    return yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)


def stage_scenario(scenario: Path, workdir: Path, text: str | bytes | None = None) -> Path:
    """Write a scenario (its own text, or ``text``) into ``workdir`` beside a copy of its
    ``data/`` files, so relative paths resolve; returns the new file."""
    data_dir = workdir / "data"
    if not data_dir.exists():
        shutil.copytree(scenario.parent / "data", data_dir, ignore=shutil.ignore_patterns("*.py"))
    target = workdir / scenario.name
    if text is None:
        text = scenario.read_bytes()
    target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return target


def mutate_bytes(raw: bytes, kind: str, position: float) -> bytes:
    """A raw-text mutation at ``position`` (0..1 of the file): ``truncate``, ``tab`` (a tab
    opening a line), ``indent`` (a line shifted by three spaces), ``dedent`` (a line's
    indentation removed), ``non_utf8`` (bytes 0xff 0xfe), ``latin1`` (the file re-encoded, with
    a non-ASCII name), ``bom`` (a UTF-8 byte-order mark), ``nul`` (a NUL byte), ``crlf``."""
    at = int(len(raw) * position)
    lines = raw.split(b"\n")
    line = min(int(len(lines) * position), len(lines) - 1)
    if kind == "truncate":
        return raw[:at]
    if kind == "tab":
        lines[line] = b"\t" + lines[line]
    elif kind == "indent":
        lines[line] = b"   " + lines[line]
    elif kind == "dedent":
        lines[line] = lines[line].lstrip()
    elif kind == "non_utf8":
        return raw[:at] + b"\xff\xfe" + raw[at:]
    elif kind == "latin1":
        return raw.replace(b"name: ", "name: Almaty é ".encode("latin-1"), 1)
    elif kind == "bom":
        return b"\xef\xbb\xbf" + raw
    elif kind == "nul":
        return raw[:at] + b"\x00" + raw[at:]
    elif kind == "crlf":
        return raw.replace(b"\n", b"\r\n")
    return b"\n".join(lines)


RAW_KINDS = ("truncate", "tab", "indent", "dedent", "non_utf8", "latin1", "bom", "nul", "crlf")

HOSTILE_CELLS = (
    "",
    "x",
    "ghost",
    "-1",
    "0",
    "1e300",
    "1e-300",
    "nan",
    "inf",
    "-inf",
    "99999999999999999999",
    "9223372036854775808",
    "9999-12-31",
    "2022-02-30",
    "2022-01-12..2022-01-10",
    "25:61-26:00",
    "21:00-09:00",
    "mon;;ghost",
    ";",
    LONG_TEXT,
    "C01",  # a duplicate id when put in the id column
    "consulting;emergency",
)


def read_csv_rows(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8"))))


def write_csv_rows(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def mutate_csv(rows: list[list[str]], mutation: tuple) -> list[list[str]]:
    """A mutation of the operators CSV's rows (the header is row 0): ``("cell", row, col,
    value)``, ``("drop_column", col)``, ``("duplicate_row", row)``, ``("drop_row", row)``,
    ``("empty_pool", pool)`` (every operator of that pool removed), ``("unknown_column",)``,
    ``("short_row", row)`` (its last cells cut off)."""
    rows = [list(r) for r in rows]
    kind = mutation[0]
    if kind == "cell":
        _, row, col, value = mutation
        row %= len(rows)
        col %= max(len(rows[row]), 1)
        if rows[row]:
            rows[row][col] = value
    elif kind == "drop_column":
        col = mutation[1] % len(rows[0])
        rows = [r[:col] + r[col + 1 :] for r in rows]
    elif kind == "duplicate_row":
        rows.append(list(rows[1 + mutation[1] % (len(rows) - 1)]))
    elif kind == "drop_row":
        del rows[1 + mutation[1] % (len(rows) - 1)]
    elif kind == "empty_pool":
        pool = rows[0].index("pool")
        rows = [rows[0]] + [r for r in rows[1:] if r[pool] != mutation[1]]
    elif kind == "unknown_column":
        rows = [rows[0] + ["shoe_size"]] + [[*r, "42"] for r in rows[1:]]
    elif kind == "short_row":
        row = 1 + mutation[1] % (len(rows) - 1)
        rows[row] = rows[row][:3]
    return rows
