"""A session's work in progress as one archive: the scenario being edited (possibly invalid,
as plain data), the files it names, the stored version it was opened from, and the plan made
of it, so that the app can put a session back after a page reload or a server restart.

Packed as a zip archive (``workspace.json``, ``draft.yaml`` and the files), so the store needs
one column for it and a new field needs no migration.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

__all__ = ["SessionWork", "pack", "unpack"]


@dataclass(frozen=True)
class SessionWork:
    """What a session was working on.

    Attributes
    ----------
    label : str
        How the app named the scenario (the file it came from, or ``stored: KEY@N``).
    data : dict
        The scenario being edited, as plain data (as YAML reads it; it may be invalid).
    files : mapping of str to bytes
        The files the scenario names, by name.
    source : str
        Where the draft came from, for messages.
    base : tuple of (str, int), optional
        The stored version the draft was opened from or last saved as: the base of its next save.
    plan_files : mapping of str to bytes
        The plan made of it (:func:`planner.io.export.plan_files`), empty when none.
    plan_meta : dict
        What the app needs to show that plan again (its scenario's text and settings).
    roster_files : mapping of str to bytes
        The roster made of it (:func:`planner.roster.roster_files`, and the plan it rosters
        under ``plan/``), empty when none.
    roster_meta : dict
        What the app needs to show that roster again.
    """

    label: str
    data: dict
    files: Mapping[str, bytes] = field(default_factory=dict)
    source: str = "scenario"
    base: tuple[str, int] | None = None
    plan_files: Mapping[str, bytes] = field(default_factory=dict)
    plan_meta: dict = field(default_factory=dict)
    roster_files: Mapping[str, bytes] = field(default_factory=dict)
    roster_meta: dict = field(default_factory=dict)


def pack(work: SessionWork) -> bytes:
    """The work as a zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        header = {
            "label": work.label,
            "source": work.source,
            "base": list(work.base) if work.base else None,
            "files": sorted(work.files),
            "plan_files": sorted(work.plan_files),
            "plan_meta": work.plan_meta,
            "roster_files": sorted(work.roster_files),
            "roster_meta": work.roster_meta,
        }
        archive.writestr("workspace.json", json.dumps(header))
        # The draft as YAML: it holds dates, and may hold anything a user typed.
        archive.writestr("draft.yaml", yaml.safe_dump(work.data, sort_keys=False))
        for i, name in enumerate(sorted(work.files)):
            archive.writestr(f"files/{i}", work.files[name])
        for name, content in work.plan_files.items():
            archive.writestr(f"plan/{name}", content)
        for name, content in work.roster_files.items():
            archive.writestr(f"roster/{name}", content)
    return buffer.getvalue()


def unpack(content: bytes) -> SessionWork:
    """The work packed by :func:`pack`."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        header = json.loads(archive.read("workspace.json"))
        data = yaml.safe_load(archive.read("draft.yaml"))
        files = {name: archive.read(f"files/{i}") for i, name in enumerate(header["files"])}
        plan = {name: archive.read(f"plan/{name}") for name in header["plan_files"]}
        roster = {name: archive.read(f"roster/{name}") for name in header.get("roster_files", [])}
    return SessionWork(
        label=header["label"],
        data=data,
        files=files,
        source=header["source"],
        base=tuple(header["base"]) if header["base"] else None,
        plan_files=plan,
        plan_meta=header["plan_meta"],
        roster_files=roster,
        roster_meta=header.get("roster_meta", {}),
    )
