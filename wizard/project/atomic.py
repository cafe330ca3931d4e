"""Writing files so that a crash or kill at any moment leaves the old file or the new one, whole:
a temporary file in the same folder, flushed and fsynced, then renamed over the old one."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from pathlib import Path

from wizard.project.errors import SaveError

TEMP_PREFIX = ".tw-"
TEMP_MAX_AGE = 3600
"""A temporary file older than this (seconds) is stale whoever made it."""


def _temp_name(path: Path) -> Path:
    """``.tw-<name>.<pid>-<random>.tmp`` beside path: the pid tells a live save from a killed one."""
    return path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_ERRNO_WORDS = {
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied (the folder or file is read-only)",
    errno.EPERM: "permission denied (the folder or file is read-only)",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "part of its folder path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


def _save_failure(path: Path, exc: OSError) -> SaveError:
    reason = _ERRNO_WORDS.get(exc.errno or 0) or str(exc.strerror or exc)
    return SaveError(path, f"could not be saved: {reason}; the file on disk was not changed")


def write_atomic(path: Path, data: bytes, *, keep_backup: bool = False, exclusive: bool = False) -> os.stat_result:
    """Write data to path so that a crash leaves the old or the new file, whole; returns its stat.

    ``keep_backup`` keeps the file being replaced as ``<name>.bak``; ``exclusive`` never replaces an
    existing file (FileExistsError). Any other failure is a SaveError, with nothing left behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
                info = os.fstat(handle.fileno())
            if exclusive:
                _link_new(tmp, path)
            else:
                if keep_backup and path.exists():
                    _backup(path)
                with contextlib.suppress(OSError):
                    os.chmod(tmp, _mode_of(path))
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _fsync_dir(folder)
    except FileExistsError:
        if exclusive:
            raise
        raise SaveError(path, "could not be saved: a temporary file name was taken; try again") from None
    except OSError as exc:
        raise _save_failure(path, exc) from None
    return info


def _link_new(tmp: Path, path: Path) -> None:
    """Give tmp the name path only when path does not exist (FileExistsError otherwise)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network and FAT folders): check, then rename. A tiny window.
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(tmp, path)


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _backup(path: Path) -> None:
    """Keep the current file as <name>.bak: a hard link (atomic, no copy), else a copy."""
    backup = path.with_name(path.name + ".bak")
    staging = _temp_name(backup)
    try:
        try:
            os.link(path, staging)
        except OSError:
            staging.write_bytes(path.read_bytes())
        os.replace(staging, backup)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(staging)


_TEMP_PID = r"\.(?P<pid>\d+)-[0-9a-f]+\.tmp$"


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def cleanup_temporary_files(path: Path) -> list[Path]:
    """Remove temporary files a killed save left beside path; returns what was removed.

    A temporary file of a save still running (its process alive, and less than an hour old) stays.
    """
    removed: list[Path] = []
    folder = path.parent
    pattern = f"{TEMP_PREFIX}{path.name}."
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if not (entry.name.startswith(pattern) and entry.name.endswith(".tmp")):
                continue
            match = re.search(_TEMP_PID, entry.name)
            with contextlib.suppress(OSError):
                fresh = now - entry.lstat().st_mtime < TEMP_MAX_AGE
                if match and fresh and pid_alive(int(match["pid"])):
                    continue
                entry.unlink()
                removed.append(entry)
    return removed


def write_export(path: Path, text: str) -> None:
    """Write an exported document atomically, creating its folder; DesignError on failure."""
    if path.is_dir():
        raise SaveError(path, "is a folder; give a file name to write the playbook to")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(path.parent, f"cannot be created: {exc.strerror or exc}") from None
    write_atomic(path, text.encode("utf-8"))
