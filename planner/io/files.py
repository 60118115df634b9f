"""Files on disk: atomic writes, the files a scenario names, and files a user names.

A file a scenario names (``queues[].demand.forecast_csv``, ``operators_file``) is read only from
inside the scenario's own folder, or from the data folder set in the environment variable
``PLANNER_DATA_DIR``: :func:`read_named_file` refuses an absolute path, a ``..`` segment, a
symbolic link leading out of the folder, and anything that is not a regular file (a folder, a
FIFO, a device), without opening it. A scenario with no folder (an upload) reads nothing from
disk: only the files given with it. A file a user names on the command line may be anywhere
but must be a regular file (:func:`read_regular_file`).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath

__all__ = [
    "DATA_DIR_VARIABLE",
    "FileTooLarge",
    "NotARegularFile",
    "read_named_file",
    "read_regular_file",
    "write_atomic",
]

DATA_DIR_VARIABLE = "PLANNER_DATA_DIR"
"""The environment variable naming a folder, besides the scenario's own, that the files a
scenario names may be read from (relative paths only, as in the scenario's folder)."""


class NotARegularFile(OSError):
    """A path that names a folder, a FIFO, a device or a socket: refused before it is read."""


class FileTooLarge(OSError):
    """A file larger than its reader accepts: refused from its size, before it is read.

    ``size`` and ``limit`` are in bytes."""

    def __init__(self, path: str, size: int, limit: int):
        super().__init__(0, _size_problem(size, limit), path)
        self.size, self.limit = size, limit


def _size_problem(size: int, max_bytes: int | None) -> str | None:
    if max_bytes is not None and size > max_bytes:
        return f"is too large ({size:,} bytes): at most {max_bytes:,} bytes"
    return None


def _kind_problem(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _read_open_regular(
    path: str | os.PathLike[str], *, follow: bool, max_bytes: int | None = None
) -> bytes:
    """The bytes of the regular file at ``path``: its type is checked with ``stat`` before it
    is opened (a FIFO or a device is never opened) and again on the open descriptor (opened
    non-blocking, so a file swapped for a FIFO in between cannot block); its size, on the open
    descriptor, before a byte is read."""
    mode = (os.stat if follow else os.lstat)(path).st_mode
    problem = _kind_problem(mode)
    if problem:
        raise NotARegularFile(0, problem, str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        status = os.fstat(f.fileno())
        problem = _kind_problem(status.st_mode)
        if problem:
            raise NotARegularFile(0, problem, str(path))
        if max_bytes is not None and status.st_size > max_bytes:
            raise FileTooLarge(str(path), status.st_size, max_bytes)
        return f.read(max_bytes + 1 if max_bytes is not None else -1)


def read_regular_file(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """The bytes of a file the user chose (a scenario, ``--operators FILE``), which may be
    anywhere (symbolic links followed) but must be a regular file.

    Raises
    ------
    OSError
        If it cannot be read; :class:`NotARegularFile` (its ``strerror`` says what it is) for a
        folder, a FIFO, a device or a socket, which is never opened; :class:`FileTooLarge` for
        a file over ``max_bytes``, which is not read.
    """
    return _read_open_regular(path, follow=True, max_bytes=max_bytes)


def _name_problem(name: str) -> str | None:
    """Why a name written in a scenario is refused whatever the folder, or None."""
    if not name or "\x00" in name:
        return "must be a file name (a path relative to the scenario's folder)"
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    if posix.is_absolute() or windows.is_absolute() or windows.drive:
        return (
            "must be a path relative to the scenario's folder, not an absolute path: files "
            "a scenario names are read only from inside its folder"
        )
    if ".." in posix.parts or ".." in windows.parts:
        return "must not contain '..': files a scenario names are read only from inside its folder"
    return None


def _inside(name: str, root: Path, max_bytes: int | None) -> tuple[bytes | None, str | None]:
    """The file ``name`` inside folder ``root``: (bytes, None), (None, problem), or (None, None)
    when there is no such file."""
    root = root.resolve()
    candidate = root / name
    try:
        resolved = candidate.resolve(strict=True)
    except FileNotFoundError:
        return None, None
    except (OSError, RuntimeError) as exc:  # a symlink loop, a permission denied on the way
        return None, f"cannot be read ({candidate}: {getattr(exc, 'strerror', None) or exc})"
    if not resolved.is_relative_to(root):
        return None, (
            "leads outside the scenario's folder (through a symbolic link): files a scenario "
            "names are read only from inside its folder"
        )
    try:
        return _read_open_regular(resolved, follow=False, max_bytes=max_bytes), None
    except (NotARegularFile, FileTooLarge) as exc:
        return None, str(exc.strerror)
    except OSError as exc:
        return None, f"cannot be read ({candidate}: {exc.strerror})"


def read_named_file(
    name: str,
    base_dir: str | os.PathLike[str] | None,
    provided: Mapping[str, bytes | str],
    *,
    max_bytes: int | None = None,
) -> tuple[bytes, str | None]:
    """The bytes of a file a scenario names; the second item is the problem in words when it
    is not read (the caller names the field).

    From ``provided`` (uploads, contents given by code) when there. Else, when the scenario has
    a folder (``base_dir``), from inside that folder, or else from inside ``$PLANNER_DATA_DIR``
    when set; with no ``base_dir`` (an upload) nothing is read from disk. The name must be a
    relative path without ``..``; a symbolic link may be followed only to a file inside the
    same folder; only regular files are opened (never a folder, FIFO or device), and one over
    ``max_bytes`` is refused from its size before it is read.
    """
    problem = _name_problem(name)
    if problem:
        return b"", problem
    if name in provided:
        content = provided[name]
        content = content.encode() if isinstance(content, str) else content
        problem = _size_problem(len(content), max_bytes)
        return (b"", problem) if problem else (content, None)
    if base_dir is None:
        return b"", (
            "cannot be read: it was not uploaded; upload it with the scenario (a scenario "
            "uploaded to the app reads no file from the server)"
        )
    roots = [Path(base_dir)]
    data_dir = os.environ.get(DATA_DIR_VARIABLE)
    if data_dir:
        roots.append(Path(data_dir))
    for root in roots:
        content, problem = _inside(name, root, max_bytes)
        if problem:
            return b"", problem
        if content is not None:
            return content, None
    where = " or ".join(str(root / name) for root in roots)
    return b"", f"cannot be read ({where}: No such file or directory)"


def write_atomic(path: str | os.PathLike[str], content: bytes) -> None:
    """Write ``content`` to ``path`` so readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
