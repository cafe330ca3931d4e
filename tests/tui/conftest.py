"""Fixtures for Pilot and snapshot tests: a fixed clock, UTC, a temp working folder."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from wizard.content import ContentPack
from wizard.project import Decision, DesignFile, Review, new_design
from wizard.tui.app import make_app
from wizard.tui.screens.workspace import WorkspaceScreen

FIXED_NOW = dt.datetime(2026, 12, 1, 9, 30, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    """The same instant every time: stable pictures and files."""
    return FIXED_NOW


@asynccontextmanager
async def opened(path: Path, size: tuple[int, int] = (80, 24)) -> AsyncIterator[tuple[Pilot[int], WorkspaceScreen]]:
    """The wizard started on a design file (as from the command line), its workspace showing."""
    app = make_app(path, clock=fixed_clock, stable=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        yield pilot, screen


@pytest.fixture(autouse=True)
def _utc_and_workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.chdir(tmp_path)
    yield
    time.tzset()


@pytest.fixture
def make_design(pack: ContentPack, tmp_path: Path) -> Callable[..., DesignFile]:
    """Write a design with a few decisions; returns the loaded file."""

    def make(name: str = "design.toml", decided: int = 3, review: bool = False) -> DesignFile:
        created = new_design(
            tmp_path / name,
            title="Lakeside Tele-ICU",
            organization="Lakeside Health",
            lead="Jordan Reyes, Director of Virtual Care",
            care_model="tele-icu",
            roles=["physician", "registered-nurse"],
            visit_types=["video"],
        )
        created.design.project.created = FIXED_NOW
        created.design.project.updated = FIXED_NOW
        for item in pack.items[:decided]:
            created.design.decisions[item.id] = Decision(
                status="decided",
                option=item.options[0].id,
                summary=f"Decision for {item.title.lower()}.",
                rationale="Because the guidance says so.",
                owner="Medical Director",
                due=dt.date(2027, 1, 15),
                kpis=["A measure"],
                updated=FIXED_NOW,
                review=Review(state="approved", by="Dr. Lee", on=dt.date(2026, 12, 1)) if review else None,
            )
        created.save()
        return created

    return make
