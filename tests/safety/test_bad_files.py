"""The bad-file corpus (tests/bad_files/, indexed by its README): one clear line, exit 1, nothing touched.

Each file runs through ``telewizard check`` and ``telewizard export``: in process for every file
(fast, in the normal suite), and as real subprocesses (``python -m wizard``) for a few in the
normal suite and for every file under ``make stress``. A bad file gives exit 1 and exactly one line
on stderr naming the file and its place, never a traceback, never an export, and the file (and its
folder) stays byte-for-byte as it was. A valid file gives exit 0, an empty stderr and its export.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from wizard.cli import main
from wizard.content import load_pack_by_ref
from wizard.project import DesignError, designs_equal, load_design

CORPUS = Path(__file__).resolve().parents[1] / "bad_files"
REPO = CORPUS.parents[1]
ROW = re.compile(r"^\| `(?P<file>[^`]+)` \| (?P<exit>[01]) \| (?:`(?P<fragment>.+)`)? ?\| (?P<what>.+) \|$")
HUGE_CHARS = 10 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One row of the corpus index."""

    file: str
    exit: int
    fragment: str
    generated: bool


def _cases() -> list[Case]:
    rows = []
    for line in (CORPUS / "README.md").read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            rows.append(
                Case(match["file"], int(match["exit"]), match["fragment"] or "", "*generated*" in match["what"])
            )
    return rows


CASES = _cases()
SUBPROCESS_SAMPLE = {"valid.toml", "schema-version-newer.toml", "fifo.toml"}
SLOW = {"huge-string.toml"}
"""Parsing 10 MB of string costs seconds: in the normal suite only the core test loads it."""


def _params(*, skip: AbstractSet[str] = frozenset(), slow: AbstractSet[str] = frozenset()) -> list[Any]:
    return [
        pytest.param(case, id=case.file, marks=[pytest.mark.slow] if case.file in slow else [])
        for case in CASES
        if case.file not in skip
    ]


def test_the_index_and_the_folder_agree() -> None:
    committed = {p.name for p in CORPUS.iterdir() if p.name not in ("README.md", ".gitattributes")}
    indexed = {case.file for case in CASES if not case.generated}
    assert committed == indexed
    assert len(CASES) >= 25
    assert all(case.fragment for case in CASES if case.exit == 1), "every bad file needs its expected message"
    assert {"valid.toml", "bom.toml", "crlf.toml"} <= {case.file for case in CASES if case.exit == 0}


def _make(case: Case, folder: Path) -> Path:
    """Put the case's file in folder (copied, or generated) and return its path."""
    path = folder / case.file
    if not case.generated:
        shutil.copyfile(CORPUS / case.file, path)
        return path
    if case.file == "huge-string.toml":
        text = (CORPUS / "valid.toml").read_text(encoding="utf-8")
        summary = 'summary = "Per-diem clinicians log in to one shared on-demand queue in 4-hour blocks."'
        path.write_text(text.replace(summary, f'summary = "{"x" * HUGE_CHARS}"'), encoding="utf-8")
    elif case.file == "too-large.toml":
        with open(path, "wb") as handle:
            handle.truncate(65 * 1024 * 1024)  # sparse: no disk used, but stat says 65 MB
    elif case.file == "folder.toml":
        path.mkdir()
        (path / "inside.txt").write_text("a folder is not a design\n")
    elif case.file == "missing.toml":
        pass
    elif case.file == "symlink-loop.toml":
        os.symlink("other-loop.toml", path)
        os.symlink(case.file, folder / "other-loop.toml")
    elif case.file == "broken-symlink.toml":
        os.symlink("nowhere.toml", path)
    elif case.file == "fifo.toml":
        os.mkfifo(path)
    else:  # pragma: no cover - a new generated row needs its recipe here
        raise AssertionError(f"no recipe for generated file {case.file}")
    return path


def _snapshot(folder: Path) -> dict[str, object]:
    """Everything in folder, byte for byte (links as their targets, pipes as pipes)."""
    seen: dict[str, object] = {}
    for entry in sorted(folder.rglob("*")):
        name = str(entry.relative_to(folder))
        if entry.is_symlink():
            seen[name] = ("link", os.readlink(entry))
        elif entry.is_dir():
            seen[name] = ("folder",)
        elif entry.is_fifo():
            seen[name] = ("pipe",)
        elif entry.stat().st_size > 50 * 1024 * 1024:
            seen[name] = ("large", entry.stat().st_size)
        else:
            seen[name] = ("file", hashlib.sha256(entry.read_bytes()).hexdigest())
    return seen


def _problem_count(path: Path) -> int:
    """How many problems stop the file from loading (``check`` prints one line for each)."""
    try:
        load_design(path, pack_loader=load_pack_by_ref, read_only=True)
    except DesignError as exc:
        return len(exc.problems)
    return 1  # loads, but the command refuses it for another reason (one line)


def _check_outcome(case: Case, path: Path, command: str, code: int, out: str, err: str) -> None:
    where = f"{command} {case.file}"
    assert "Traceback" not in out + err, f"{where}: traceback\n{err}"
    assert code == case.exit, f"{where}: exit {code}, expected {case.exit}; stderr: {err!r}"
    if case.exit == 0:
        assert err == "", f"{where}: stderr should be empty: {err!r}"
        return
    lines = err.splitlines()
    wanted = _problem_count(path) if command == "check" else 1  # check lists every problem, the others one
    assert len(lines) == wanted and err.endswith("\n"), f"{where}: expected {wanted} line(s) on stderr, got {err!r}"
    for line in lines:
        assert line.startswith(f"telewizard: {path}: "), f"{where}: the line must name the file: {line!r}"
        assert len(line) < 400, f"{where}: the line is too long to read: {len(line)} characters"
    assert case.fragment in lines[0], f"{where}: {case.fragment!r} not in {lines[0]!r}"


def _check_folder(case: Case, path: Path, command: str, before: dict[str, object]) -> None:
    after = _snapshot(path.parent)
    export = f"exports/{Path(case.file).stem}-playbook.md"
    if command == "export" and case.exit == 0:
        assert export in after, f"export {case.file}: no playbook written"
        after = {k: v for k, v in after.items() if not k.startswith("exports")}
    assert after == before, f"{command} {case.file}: the folder changed: {set(after) ^ set(before)}"


@pytest.mark.parametrize("case", _params(skip={"fifo.toml"}, slow=SLOW))
def test_every_file_in_process(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``main()`` as the console script runs it; the pipe is left to the subprocess test (a regression
    there would block for ever, which only a subprocess with a timeout survives)."""
    path = _make(case, tmp_path)
    before = _snapshot(tmp_path)
    for command in ("check", "export"):
        code = main([command, str(path)])
        captured = capsys.readouterr()
        _check_outcome(case, path, command, code, captured.out, captured.err)
        _check_folder(case, path, command, before)


def _run_cli(case: Case, folder: Path) -> list[tuple[str, int, str, str, dict[str, object]]]:
    path = folder / case.file
    results = []
    for command in ("check", "export"):
        before = _snapshot(folder)
        done = subprocess.run(
            [sys.executable, "-m", "wizard", command, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
        )
        results.append((command, done.returncode, done.stdout, done.stderr, before))
        if command == "check":
            _check_folder(case, path, command, before)
    return results


def _subprocess_cases(cases: list[Case], tmp_path: Path) -> int:
    folders = {}
    for case in cases:
        folder = tmp_path / case.file.replace(".", "-")
        folder.mkdir()
        _make(case, folder)
        folders[case.file] = folder
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        outcomes = dict(zip(cases, pool.map(lambda c: _run_cli(c, folders[c.file]), cases), strict=True))
    runs = 0
    for case, results in outcomes.items():
        path = folders[case.file] / case.file
        for command, code, out, err, _ in results:
            _check_outcome(case, path, command, code, out, err)
            runs += 1
        _check_folder(case, path, "export", results[0][4])
    return runs


def test_a_sample_as_real_subprocesses(tmp_path: Path) -> None:
    sample = [c for c in CASES if c.file in SUBPROCESS_SAMPLE]
    assert len(sample) == len(SUBPROCESS_SAMPLE)
    assert _subprocess_cases(sample, tmp_path) == 2 * len(sample)


@pytest.mark.slow
def test_every_file_as_real_subprocesses(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    runs = _subprocess_cases(CASES, tmp_path)
    line = f"bad files: {len(CASES)} files, {runs} subprocess runs of check and export, all as expected"
    print(line)
    request.node.user_properties.append(("bad_files", line))
    assert runs == 2 * len(CASES)


@pytest.mark.parametrize("case", _params(skip={"fifo.toml"}))
def test_the_core_gives_the_ui_the_same_line(case: Case, tmp_path: Path) -> None:
    """What the wizard's error screen shows: ``str(DesignError)``; valid files load, change and save."""
    path = _make(case, tmp_path)
    if case.exit == 1:
        with pytest.raises(DesignError) as caught:
            load_design(path, pack_loader=load_pack_by_ref)
        message = str(caught.value)
        assert message.startswith(f"{path}: ") and "\n" not in message
        assert case.fragment in message, "the command line adds only its name to the core's line"
        return
    before = path.read_bytes()
    loaded = load_design(path, pack_loader=load_pack_by_ref)
    assert path.read_bytes() == before
    loaded.design.project.title = "Changed by the wizard"
    loaded.design.decision("provider-scheduling").notes = "line one\nline two"
    loaded.design.decisions["provider-scheduling"] = loaded.design.decision("provider-scheduling")
    loaded.save()
    again = load_design(path, pack_loader=load_pack_by_ref)
    assert designs_equal(again.design, loaded.design)
    assert again.design.project.title == "Changed by the wizard"
