"""Two wizards, one file: the second cannot take the lock while the first lives; dead holders never block."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.project import DesignLock

REPO = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from pathlib import Path
from wizard.project import DesignLock
lock = DesignLock(Path(sys.argv[1]))
print("held" if lock.acquire() else "refused", flush=True)
sys.stdin.read()  # hold until the test closes our stdin (or kills us)
lock.release()
print("released", flush=True)
"""


@pytest.fixture
def holder(design_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another wizard process holding the design's lock."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(design_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def test_a_second_wizard_cannot_take_the_lock(design_path: Path, holder: subprocess.Popen[str]) -> None:
    second = DesignLock(design_path)
    assert not second.acquire()
    assert not second.held
    assert f"process {holder.pid} on " in second.holder()
    assert second.lock_path.exists(), "a refused acquire never removes the holder's lock"


def test_the_lock_is_free_again_after_a_clean_release(design_path: Path, holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdin.close()
    assert holder.stdout.readline().strip() == "released"
    holder.wait(timeout=30)
    assert not DesignLock(design_path).lock_path.exists()
    with DesignLock(design_path).holding() as acquired:
        assert acquired


def test_a_killed_holder_leaves_a_stale_lock_that_is_recovered(
    design_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.kill()
    holder.wait(timeout=30)
    lock = DesignLock(design_path)
    assert lock.lock_path.exists(), "a killed process cannot clean up: the lock file stays"
    assert lock.acquire()
    assert lock.holder().startswith(f"process {os.getpid()} on ")
    lock.release()
    assert not lock.lock_path.exists()


def test_a_lock_file_naming_a_dead_pid_is_recovered(design_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock = DesignLock(design_path)
    lock.lock_path.write_text(f"{int(dead.stdout)}\n{os.uname().nodename}\n2026-11-26T10:00:00+00:00\n")
    assert lock.acquire()
    assert lock.holder().startswith(f"process {os.getpid()} on ")


def test_a_lock_file_naming_a_live_pid_that_holds_nothing_is_recovered(design_path: Path) -> None:
    """A pid reused by an unrelated process (after a reboot, say) must not lock the design forever."""
    lock = DesignLock(design_path)
    lock.lock_path.write_text(f"1\n{os.uname().nodename}\n2026-11-26T10:00:00+00:00\n")
    assert lock.acquire()


def test_one_process_cannot_hold_the_lock_twice(design_path: Path) -> None:
    first = DesignLock(design_path)
    assert first.acquire()
    assert first.acquire(), "acquiring again through the same lock is a no-op"
    assert not DesignLock(design_path).acquire()
    first.release()
    assert DesignLock(design_path).acquire()


def test_a_lock_released_while_another_waits_is_not_shared(design_path: Path) -> None:
    """The holder removes the file on release; a lock opened on the old file must not count."""
    first = DesignLock(design_path)
    assert first.acquire()
    stale_handle = os.open(first.lock_path, os.O_RDWR)  # someone opened the old lock file
    first.release()
    second = DesignLock(design_path)
    assert second.acquire()
    assert second.lock_path.exists()
    assert os.fstat(stale_handle).st_nlink == 0, "the old file is gone; the new lock is a new file"
    os.close(stale_handle)
    assert not DesignLock(design_path).acquire()
