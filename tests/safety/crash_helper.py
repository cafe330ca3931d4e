"""Saves one design in a loop, through the core, until it is killed: the crash test's victim.

Each round loads nothing new: it changes the design to version N + 1 (every changed field is a
function of N, so the test can rebuild the exact design of any version), saves it with
``DesignFile.save``, and only then appends ``N + 1`` to a side-channel file. After a SIGKILL the
test knows the last version reported, so the file must hold that version or the next one.

    python tests/safety/crash_helper.py loop DESIGN SIDE   # run the loop (prints "ready" first)
    python tests/safety/crash_helper.py serve              # fork server: imports once, forks loops

The fork server reads commands on stdin ("fork DESIGN SIDE", "reap PID", "quit") and answers one
line each (the child's pid; its wait status), so hundreds of kills do not each pay Python's start-up.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `wizard` importable from the repository
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from wizard.project import Decision, Design, DesignLock, Review, load_design

ITEM = "provider-scheduling"
TOGGLED = "same-day-urgent-access"
BASE_TIME = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
EXIT_LOCKED = 3


def version_of(design: Design) -> int:
    """The version number a design carries (0 for the starting design)."""
    summary = design.decision(ITEM).summary
    return int(summary.removeprefix("version ")) if summary.startswith("version ") else 0


def apply_version(design: Design, n: int) -> None:
    """Turn a design into version n. Sizes vary a lot with n, so a torn write cannot pass for a whole one."""
    decision = design.decisions.setdefault(ITEM, Decision())
    decision.status = "drafting"
    decision.summary = f"version {n}"
    decision.rationale = "".join(f'Line {i} of version {n}: "quoted" \\ back\r\n' for i in range(n % 40))
    decision.notes = "x" * (n * 37 % 3000)
    decision.kpis = [f"kpi {i} of {n}" for i in range(n % 4)]
    decision.updated = BASE_TIME + dt.timedelta(seconds=n)
    decision.review = Review(state="approved", by=f"Reviewer {n}", on=dt.date(2026, 12, 1)) if n % 3 else None
    if n % 5:
        design.decisions[TOGGLED] = Decision(status="drafting", summary=f"toggled at {n}", owner="Nursing lead")
    else:
        design.decisions.pop(TOGGLED, None)
    design.project.updated = BASE_TIME + dt.timedelta(seconds=n)


def report(side: Path, n: int) -> None:
    """Append ``n`` to the side channel with one small O_APPEND write (never torn by a kill)."""
    fd = os.open(side, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{n}\n".encode())
    finally:
        os.close(fd)


def run_loop(design_path: Path, side: Path, rounds: int = 1_000_000) -> int:
    """Lock the design, then save a new version each round; returns an exit code."""
    lock = DesignLock(design_path)
    if not lock.acquire():
        return EXIT_LOCKED
    loaded = load_design(design_path)
    n = version_of(loaded.design)
    for _ in range(rounds):
        n += 1
        apply_version(loaded.design, n)
        loaded.save()
        report(side, n)
    lock.release()
    return 0


def serve() -> int:
    """The fork server (see the module docstring)."""
    for line in sys.stdin:
        command, *args = line.split()
        if command == "fork":
            pid = os.fork()
            if pid == 0:  # the child: run the loop until killed; never return into the server's loop
                code = 1
                try:
                    code = run_loop(Path(args[0]), Path(args[1]))
                except BaseException:
                    traceback.print_exc()
                finally:
                    os._exit(code)
            print(pid, flush=True)
        elif command == "reap":
            _, status = os.waitpid(int(args[0]), 0)
            print(status, flush=True)
        elif command == "quit":
            break
    return 0


def main(argv: list[str]) -> int:
    """Command line of the helper."""
    if argv[:1] == ["serve"]:
        return serve()
    if argv[:1] == ["loop"] and len(argv) == 3:
        print("ready", flush=True)
        return run_loop(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
