"""Kill a saving process with SIGKILL at random moments: the design is always whole, old or new.

``crash_helper.py`` saves versions 1, 2, 3... of a design in a loop through the core and reports each
version on a side channel after ``save()`` returns. After every kill the file must load and be
exactly the last version reported or the next one; temporary files a kill left behind are removed
by the next ``load_design`` and never taken for the design; the ``.bak`` is whole too; and the
lock of the killed process never blocks the next one.

Two ways to start the victim: a fresh ``python crash_helper.py loop`` per kill (the real thing, but
each pays Python's start-up), and a fork server that imports once and forks a child per kill (many
kills per second). The normal suite runs a short round of each; ``make stress`` runs hundreds.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.safety import crash_helper
from wizard.content import ContentPack
from wizard.project import TEMP_PREFIX, Design, load_design, new_design

HELPER = Path(crash_helper.__file__)
REPO = HELPER.parents[2]


@dataclass
class CrashStats:
    """What a crash run saw, for the figures in the report."""

    kills: int = 0
    saves_reported: int = 0
    killed_before_report: int = 0
    """Kills that landed after a save returned but before the side channel heard of it."""
    temp_files_left: int = 0
    """Temporary files a kill left mid-write (each cleaned by the next load)."""
    versions: list[int] = field(default_factory=list)


def _start_design(tmp_path: Path, pack: ContentPack) -> tuple[Path, Path, Design]:
    path = tmp_path / "design.toml"
    created = new_design(
        path,
        title="Crash test",
        care_model="dtc-virtual-urgent-care",
        roles=["physician"],
        visit_types=["video"],
        content=pack.ref,
    )
    created.save()
    side = tmp_path / "reported.txt"
    side.write_text("")
    return path, side, created.design.model_copy(deep=True)


def _last_reported(side: Path) -> int:
    text = side.read_text()
    lines = text.split("\n")
    assert lines[-1] == "", f"side channel has a torn line: {lines[-1]!r}"
    numbers = [int(line) for line in lines[:-1]]
    assert numbers == sorted(numbers), "versions went backwards"
    return numbers[-1] if numbers else 0


def _expected(base: Design, version: int) -> Design:
    design = base.model_copy(deep=True)
    if version:
        crash_helper.apply_version(design, version)
    return design


def _verify_after_kill(path: Path, side: Path, base: Design, pack: ContentPack, stats: CrashStats) -> None:
    """The checks after one kill (the victim is dead and reaped).

    The victim started from the version the file held (the previous kill's), reported each version
    after saving it, and may have been killed between a save and its report: so the file holds the
    last version it reported (or the one it started from) or the next one.
    """
    started_from = stats.versions[-1] if stats.versions else 0
    reported = max(_last_reported(side), started_from)
    temps = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(TEMP_PREFIX))
    stats.temp_files_left += len(temps)

    loaded = load_design(path, pack)
    version = crash_helper.version_of(loaded.design)
    assert version in (reported, reported + 1), f"file holds version {version}, last reported {reported}"
    assert loaded.design == _expected(base, version), f"version {version} is not whole"
    stats.versions.append(version)
    stats.killed_before_report += version == reported + 1
    stats.saves_reported = len(side.read_text().split())

    left = [p.name for p in path.parent.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert left == [], f"temporary files survived the next load: {left} (before: {temps})"
    backup = path.with_name(path.name + ".bak")
    if backup.exists():
        assert crash_helper.version_of(load_design(backup, pack).design) <= version
    expected_names = {path.name, backup.name, path.name + ".lock", side.name}
    assert {p.name for p in path.parent.iterdir()} <= expected_names


class ForkServer:
    """The helper's fork server: imports the core once, forks one saving child per kill."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HELPER), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )

    def ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer, f"fork server gave no answer to {line!r}"
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            self.ask_quit()
        self.process.wait(timeout=10)

    def ask_quit(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        self.process.stdin.close()


@pytest.fixture
def fork_server() -> Iterator[ForkServer]:
    server = ForkServer()
    try:
        yield server
    finally:
        server.close()


def _kill_forked(server: ForkServer, path: Path, side: Path, rng: random.Random) -> None:
    pid = int(server.ask(f"fork {path} {side}"))
    time.sleep(rng.uniform(0.0, 0.15))
    os.kill(pid, signal.SIGKILL)
    status = int(server.ask(f"reap {pid}"))
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"the saving child ended by itself (status {status}): it failed or found the design locked"
    )


def _kill_spawned(path: Path, side: Path, rng: random.Random) -> None:
    victim = subprocess.Popen(
        [sys.executable, str(HELPER), "loop", str(path), str(side)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert victim.stdout is not None
    assert victim.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.15))
    victim.kill()
    _, err = victim.communicate(timeout=30)
    assert victim.returncode == -signal.SIGKILL, f"the victim ended by itself ({victim.returncode}): {err}"


def _run(kills: int, kill_one: object, tmp_path: Path, pack: ContentPack, seed: int) -> CrashStats:
    path, side, base = _start_design(tmp_path, pack)
    rng = random.Random(seed)
    stats = CrashStats()
    for _ in range(kills):
        kill_one(path, side, rng)  # type: ignore[operator]
        stats.kills += 1
        _verify_after_kill(path, side, base, pack, stats)
    return stats


def _report(request: pytest.FixtureRequest, stats: CrashStats) -> None:
    line = (
        f"{request.node.name}: {stats.kills} kills survived, {stats.saves_reported} saves reported, "
        f"{stats.killed_before_report} kills between save and report, "
        f"{stats.temp_files_left} temporary files left by kills and cleaned"
    )
    print(line)
    request.node.user_properties.append(("crash", line))
    figures = os.environ.get("TELEWIZARD_FIGURES")
    if figures:
        with open(figures, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def test_kills_of_a_forked_saver_leave_a_whole_file(
    tmp_path: Path, pack: ContentPack, fork_server: ForkServer, request: pytest.FixtureRequest
) -> None:
    stats = _run(30, lambda p, s, r: _kill_forked(fork_server, p, s, r), tmp_path, pack, seed=6)
    _report(request, stats)
    assert stats.kills == 30
    assert stats.saves_reported >= 10, "the victims hardly saved: the kills did not test saving"


def test_kills_of_a_fresh_process_leave_a_whole_file(
    tmp_path: Path, pack: ContentPack, request: pytest.FixtureRequest
) -> None:
    stats = _run(3, _kill_spawned, tmp_path, pack, seed=7)
    _report(request, stats)
    assert stats.kills == 3


@pytest.mark.slow
def test_stress_kills_of_fresh_processes(tmp_path: Path, pack: ContentPack, request: pytest.FixtureRequest) -> None:
    stats = _run(200, _kill_spawned, tmp_path, pack, seed=2026)
    _report(request, stats)
    assert stats.kills == 200
    assert stats.temp_files_left > 0, "no kill landed mid-write: the test did not reach the dangerous moment"


@pytest.mark.slow
def test_stress_kills_of_forked_savers(
    tmp_path: Path, pack: ContentPack, fork_server: ForkServer, request: pytest.FixtureRequest
) -> None:
    stats = _run(1000, lambda p, s, r: _kill_forked(fork_server, p, s, r), tmp_path, pack, seed=11)
    _report(request, stats)
    assert stats.kills == 1000
    assert stats.temp_files_left > 0 and stats.killed_before_report > 0


def test_a_leftover_temporary_file_is_never_taken_for_the_design(tmp_path: Path, pack: ContentPack) -> None:
    path, _, base = _start_design(tmp_path, pack)
    newer = _expected(base, 7)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    # A whole newer version and a torn one, as a kill between write and rename leaves them.
    whole = path.with_name(f"{TEMP_PREFIX}{path.name}.{dead_pid}-0badcafe.tmp")
    torn = path.with_name(f"{TEMP_PREFIX}{path.name}.bak.{dead_pid}-0dead000.tmp")
    other = new_design(tmp_path / "scratch.toml", title="x")
    other.design = newer
    other.save()
    whole.write_bytes((tmp_path / "scratch.toml").read_bytes())
    torn.write_bytes(whole.read_bytes()[:100])
    # A save in progress in a live process (this one) is left alone.
    live = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}-00000001.tmp")
    live.write_bytes(b"in progress")

    loaded = load_design(path, pack)

    assert crash_helper.version_of(loaded.design) == 0
    assert loaded.design == base
    assert not whole.exists() and not torn.exists()
    assert live.exists()
