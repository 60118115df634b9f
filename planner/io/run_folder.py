"""A command's output folder: its files appear together or not at all, one run at a time.

A run (``solve --out DIR``, ``roster --out DIR``) writes every file into a hidden temporary
folder beside ``DIR`` and then moves that folder into place with one rename, so a reader (or a
run killed half-way) never sees a new ``shifts.csv`` beside an old ``kpis.json``. An existing
folder that holds files is refused unless the caller says ``force``: then it is replaced as a
whole, by two renames. A lock taken when the run starts (``flock`` on a hidden file beside
``DIR``, released by the kernel if the process dies) makes a second run into the same folder
fail at once, saying so, instead of interleaving its files with the first. ``force`` never
deletes anything but an earlier run's files: a folder holding anything else is refused.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path
from types import TracebackType

from planner.errors import PlannerError

__all__ = ["OutputFolderError", "RunFolder"]


class OutputFolderError(PlannerError):
    """The output folder cannot take this run's files (in use, not empty, not a folder)."""


class RunFolder:
    """The output folder of one run; use as a context manager around the whole command.

    Parameters
    ----------
    path : path
        The folder the files end up in.
    force : bool
        Replace the files of an earlier run in ``path`` (otherwise a folder with files in it is
        refused).
    names : collection of str
        The names of the files a run writes: ``force`` replaces a folder only when it holds
        nothing else (so a mistyped ``--out`` never deletes a user's own files).

    Raises
    ------
    OutputFolderError
        On entry: ``path`` is a file, holds files and ``force`` is not set, or another run holds
        its lock.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, names: Collection[str], force: bool = False
    ):
        self.path = Path(path)
        self.names = frozenset(names)
        self.force = force
        self._lock: int | None = None

    def __enter__(self) -> RunFolder:
        self._check_target()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.parent / f".{self.path.name}.lock"
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputFolderError(
                f"{self.path}: another run is writing into this folder (lock {lock_path}); "
                "wait for it to finish or choose another --out"
            ) from None
        self._lock = fd
        self._check_target()  # the other run may have filled it while we waited for the lock
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._lock is not None:
            os.close(self._lock)  # releases the flock
            self._lock = None

    def write(self, files: Mapping[str, bytes]) -> list[Path]:
        """Write ``files`` (name -> content) as the folder's whole content, in one move.

        Returns the paths written. Files get ordinary permissions (``0o666`` less the umask).
        """
        if not set(files) <= self.names:
            raise ValueError(f"files {sorted(set(files) - self.names)} are not among the names")
        if self._lock is None:
            raise RuntimeError("RunFolder.write outside its with-block")
        staging = Path(tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.path.name}.new-"))
        try:
            mode = 0o666 & ~_umask()
            for name, content in files.items():
                target = staging / name
                with open(target, "wb") as f:
                    f.write(content)
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(target, mode)
            os.chmod(staging, 0o777 & ~_umask())
            self._move_into_place(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return [self.path / name for name in files]

    def _check_target(self) -> None:
        if self.path.exists() and not self.path.is_dir():
            raise OutputFolderError(f"{self.path} is a file, not a folder; choose another --out")
        held = sorted(p.name for p in self.path.iterdir()) if self.path.is_dir() else []
        if held and not self.force:
            raise OutputFolderError(
                f"{self.path} already holds files (an earlier run?); choose an empty or new "
                "folder, or give --force to replace them"
            )
        others = [name for name in held if name not in self.names]
        if others:
            shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
            raise OutputFolderError(
                f"{self.path} holds files this command does not write ({shown}); --force only "
                "replaces an earlier run's files: choose an empty or new folder"
            )

    def _move_into_place(self, staging: Path) -> None:
        if not self.path.exists():
            os.rename(staging, self.path)
            return
        old = Path(tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.path.name}.old-"))
        os.rename(self.path, old / "run")
        try:
            os.rename(staging, self.path)
        except BaseException:
            os.rename(old / "run", self.path)  # put the earlier run back
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
