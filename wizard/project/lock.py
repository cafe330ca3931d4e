"""The lock file beside a design: two wizards never both write one design."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from wizard.project.atomic import pid_alive
from wizard.project.errors import one_line
from wizard.project.models import utc_now


@dataclass
class DesignLock:
    """An exclusive lock beside the design (``<name>.toml.lock``); stale locks are recovered.

    On POSIX the lock is an advisory ``flock`` on the lock file, which the kernel drops when the
    holder exits or is killed, so a lock left by a dead process (even one whose pid was reused) is
    never in the way. The file also names the holder (pid, host, time) for messages. Elsewhere the
    lock is the file's exclusive creation, and a lock whose process is gone is recovered.
    """

    path: Path
    held: bool = False
    _handle: IO[str] | None = field(default=None, repr=False)

    @property
    def lock_path(self) -> Path:
        """Where the lock lives."""
        return self.path.with_name(self.path.name + ".lock")

    def acquire(self) -> bool:
        """Take the lock; False when a live process (this one included, through another lock) holds it.

        True without holding anything when the folder cannot take a lock file (read-only): saving will
        fail there and say so, so there is nothing to guard.
        """
        if self.held:
            return True
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            return self._acquire_by_creation()
        import fcntl

        for _ in range(5):
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return not self._held_elsewhere_read_only()
            handle = os.fdopen(fd, "r+", encoding="utf-8")
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
            try:
                same_file = os.fstat(handle.fileno()).st_ino == os.stat(self.lock_path).st_ino
            except OSError:
                same_file = False
            if not same_file:  # the previous holder removed it between our open and flock
                handle.close()
                continue
            handle.seek(0)
            handle.truncate()
            handle.write(self._describe())
            handle.flush()
            self._handle = handle
            self.held = True
            return True
        return False

    def _held_elsewhere_read_only(self) -> bool:
        """In a folder we cannot write: True when the lock file exists and someone holds it."""
        import fcntl

        try:
            fd = os.open(self.lock_path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    @staticmethod
    def _describe() -> str:
        return f"{os.getpid()}\n{_hostname()}\n{utc_now().isoformat()}\n"

    def _acquire_by_creation(self) -> bool:  # pragma: no cover - Windows
        for _ in range(2):
            try:
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                if self._holder_alive():
                    return False
                with contextlib.suppress(OSError):
                    self.lock_path.unlink()
                continue
            except OSError:
                return True
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self._describe())
            self.held = True
            return True
        return False

    def holder(self) -> str:
        """Who holds the lock, for messages ("process 4242 on host ops-laptop since 2026-11-26T10:01:00+00:00")."""
        try:
            pid, host, since, *_ = self.lock_path.read_text(encoding="utf-8").split("\n")
            int(pid)
        except (OSError, ValueError, UnicodeDecodeError):
            return "another process"
        return one_line(f"process {pid} on {host}" + (f" since {since}" if since else ""), 200)

    def _holder_alive(self) -> bool:  # pragma: no cover - Windows
        try:
            pid_text, host, *_ = self.lock_path.read_text(encoding="utf-8").split("\n")
            pid = int(pid_text)
        except (OSError, ValueError, UnicodeDecodeError):
            return False
        if host != _hostname():
            return True  # cannot tell across machines: assume alive
        if pid == os.getpid():
            return False
        return pid_alive(pid)

    def release(self) -> None:
        """Drop the lock if we hold it."""
        if not self.held:
            return
        handle, self._handle = self._handle, None
        with contextlib.suppress(OSError):
            if handle is None or os.fstat(handle.fileno()).st_ino == os.stat(self.lock_path).st_ino:
                self.lock_path.unlink()
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        self.held = False

    @contextlib.contextmanager
    def holding(self) -> Iterator[bool]:
        """Context manager form."""
        try:
            yield self.acquire()
        finally:
            self.release()


def _hostname() -> str:
    import socket

    return socket.gethostname()
