"""Files on disk: atomic writes and the files a scenario names."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["read_named_file", "write_atomic"]


def read_named_file(
    name: str, base_dir: str | os.PathLike[str] | None, provided: Mapping[str, bytes | str]
) -> tuple[bytes, str | None]:
    """The bytes of a file a scenario names: from ``provided`` (uploads) when there, else from
    ``base_dir``; the second item is the problem in words when it cannot be read."""
    if name in provided:
        content = provided[name]
        return (content.encode() if isinstance(content, str) else content), None
    path = Path(name) if base_dir is None else Path(base_dir) / name
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return b"", f"cannot be read ({path}: {exc.strerror})"


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
