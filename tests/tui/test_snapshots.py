"""Snapshot pictures of every screen at 80x24 and 120x40 (look at snapshot_report.html before updating)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from wizard import paths
from wizard.tui.app import TeleWizardApp, make_app

from .conftest import fixed_clock

SIZES = [(80, 24), (120, 40)]
EXAMPLE = "riverbend.toml"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The bundled example, copied into the working folder under a short relative name."""
    shutil.copyfile(paths.bundled_example(), tmp_path / EXAMPLE)
    return Path(EXAMPLE)


@pytest.fixture
def recent_list() -> None:
    """A recent list with fixed entries (one of them missing) for the welcome picture."""
    entries = [
        {
            "path": "/srv/designs/riverbend.toml",
            "title": "Riverbend Health Virtual Urgent Care",
            "done": 34,
            "total": 40,
            "last_change": "2026-11-30T16:20:00+00:00",
        },
        {
            "path": "/srv/designs/lakeside-tele-icu.toml",
            "title": "Lakeside Tele-ICU",
            "done": 12,
            "total": 40,
            "last_change": "2026-11-28T10:05:00+00:00",
        },
    ]
    target = paths.recent_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(entries), encoding="utf-8")


def app(path: Path | None = None) -> TeleWizardApp:
    return make_app(path, clock=fixed_clock, stable=True)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare: Any, recent_list: None, size: tuple[int, int]) -> None:
    assert snap_compare(app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_context_new(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app(), press=["n", *"Hill Clinic"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_context_validation(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app(), press=["n", "f10"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_workspace_decision(snap_compare: Any, example: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app(example), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_workspace_guidance(snap_compare: Any, example: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app(example), press=["f2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare: Any, example: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app(example), press=["f3"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export(
    snap_compare: Any, example: Path, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the whole path it writes reads ~/exports/..., the same every run
    assert snap_compare(app(example), press=["f5"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sign_off(snap_compare: Any, example: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        app(example), press=["ctrl+t", *"Dr. A. Rivera", "tab", *"Medical Director"], terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_warnings(snap_compare: Any, example: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app(example), press=["ctrl+g"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare: Any, example: Path, size: tuple[int, int]) -> None:
    assert snap_compare(app(example), press=["f1"], terminal_size=size)


CAPACITY_DAY = """
[decisions.coverage-staffing.capacity.queue]
arrivals = [0, 0, 0, 0, 0, 0, 2, 5, 12, 20, 25, 22, 18, 20, 24, 22, 18, 15, 30, 40, 28, 14, 6, 2]
handle_minutes = 15
answer_within = 10
target = 0.8
shrinkage = 0.3
"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_capacity_queue_by_hour(snap_compare: Any, example: Path, size: tuple[int, int]) -> None:
    """3.1.2's calculator with a day's arrivals, the cursor on the busiest hour (19:00)."""
    with example.open("a", encoding="utf-8") as file:
        file.write(CAPACITY_DAY)

    async def open_the_calculator(pilot: Any) -> None:
        pilot.app.screen.show_item("coverage-staffing")
        await pilot.pause()

    keys = ["f8", "tab", "tab", "tab", "tab", "tab", *["down"] * 19]
    assert snap_compare(app(example), press=keys, run_before=open_the_calculator, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_error(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    (tmp_path / "broken.toml").write_text("schema_version = 2\n[project\n", encoding="utf-8")
    assert snap_compare(app(Path("broken.toml")), terminal_size=size)


def test_too_small(snap_compare: Any, example: Path) -> None:
    assert snap_compare(app(example), terminal_size=(60, 20))
