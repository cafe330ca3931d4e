"""The wizard's save path: the copy a save writes is taken on the UI thread, and a save that fails, for
whatever reason, is never shown as saved; the design stays dirty and the next change or Ctrl+Q retries."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from tests.tui.conftest import opened
from wizard.content import ContentPack
from wizard.project import Design, DesignFile, copy_design, load_design
from wizard.tui.screens.common import ChoiceScreen
from wizard.tui.screens.workspace import SAVE_DELAY, WorkspaceScreen

SLUG = "provider-scheduling"


async def autosaved(pilot: Pilot[int]) -> None:
    """Wait for the autosave after a change, and for what the UI does with its outcome."""
    await pilot.pause(SAVE_DELAY * 2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(screen: WorkspaceScreen) -> str:
    return str(screen.query_one("#save-status", Static).render())


def failing_save(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every save fail with an error no one planned for (not a SaveError); returns the attempts."""
    attempts: list[int] = []

    def broken(self: DesignFile, *, force: bool = False) -> None:
        attempts.append(1)
        raise RuntimeError("the TOML writer tripped")

    monkeypatch.setattr(DesignFile, "save", broken)
    return attempts


async def test_an_unexpected_save_failure_is_shown_and_the_next_change_retries(
    design_path: Path, pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = design_path.read_bytes()
    real_save = DesignFile.save
    async with opened(design_path) as (pilot, screen):
        await autosaved(pilot)  # the resume point of opening
        attempts = failing_save(monkeypatch)
        screen.query_one("#summary", TextArea).text = "Typed while saving breaks"
        await autosaved(pilot)
        assert attempts, "a save was tried"
        assert "NOT SAVED" in status(screen) and "RuntimeError" in status(screen)
        assert "Saved" not in status(screen)
        assert screen.session.dirty
        assert design_path.read_bytes() == before
        monkeypatch.setattr(DesignFile, "save", real_save)
        screen.query_one("#owner", Input).value = "Nursing lead"  # the next change saves everything
        await autosaved(pilot)
        assert status(screen).startswith("Saved")
        assert not screen.session.dirty
    saved = load_design(design_path, pack).design.decision(SLUG)
    assert (saved.summary, saved.owner) == ("Typed while saving breaks", "Nursing lead")


async def test_ctrl_q_retries_a_save_that_failed(
    design_path: Path, pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = DesignFile.save
    async with opened(design_path) as (pilot, screen):
        failing_save(monkeypatch)
        screen.query_one("#summary", TextArea).text = "Saved on the way out"
        await autosaved(pilot)
        assert "NOT SAVED" in status(screen)
        monkeypatch.setattr(DesignFile, "save", real_save)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not pilot.app.is_running
    assert load_design(design_path, pack).design.decision(SLUG).summary == "Saved on the way out"


async def test_ctrl_q_with_a_save_failing_unexpectedly_asks_instead_of_crashing(
    design_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with opened(design_path) as (pilot, screen):
        failing_save(monkeypatch)
        screen.query_one("#summary", TextArea).text = "Do not lose me"
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert pilot.app.is_running
        assert isinstance(pilot.app.screen, ChoiceScreen)
        assert "RuntimeError" in str(pilot.app.screen.query_one(".dialog-text", Static).render())
        assert screen.session.dirty


async def test_the_copy_a_save_writes_is_taken_on_the_ui_thread(
    design_path: Path, pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live design changes on the UI thread; a copy taken in the worker could iterate a decision table
    while a keystroke adds to it ("dictionary changed size during iteration")."""
    ui_thread = threading.get_ident()
    copied_on: list[int] = []

    def recording(design: Design, reuse: Design | None = None) -> Design:
        copied_on.append(threading.get_ident())
        return copy_design(design, reuse)

    monkeypatch.setattr("wizard.tui.session.copy_design", recording)
    async with opened(design_path) as (pilot, screen):
        await autosaved(pilot)
        copied_on.clear()
        screen.query_one("#notes", TextArea).text = "Written by the worker"
        await autosaved(pilot)
        assert copied_on, "the save made its copy"
        assert set(copied_on) == {ui_thread}
    assert load_design(design_path, pack).design.decision(SLUG).notes == "Written by the worker"


async def test_a_change_made_while_a_save_is_being_written_is_saved_next(
    design_path: Path, pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker writes the copy it was handed; an edit (here a new decision) made meanwhile is not in it,
    keeps the design dirty, and goes to disk with the next save."""
    real_save = DesignFile.save
    writing, go_on = threading.Event(), threading.Event()

    def slow(self: DesignFile, **kwargs: Any) -> None:
        writing.set()
        assert go_on.wait(10)
        real_save(self, **kwargs)

    async with opened(design_path) as (pilot, screen):
        await autosaved(pilot)
        monkeypatch.setattr(DesignFile, "save", slow)
        screen.query_one("#summary", TextArea).text = "First"
        await pilot.pause(SAVE_DELAY * 2)
        assert writing.wait(10)
        second = pack.items[1].id
        screen.show_item(second)  # while the worker writes: a new decision in the live table
        screen.query_one("#summary", TextArea).text = "Second"
        await pilot.pause()
        go_on.set()
        await pilot.app.workers.wait_for_complete()
        on_disk = load_design(design_path, pack).design
        assert on_disk.decision(SLUG).summary == "First"
        assert second not in on_disk.decisions
        assert screen.session.dirty
        await autosaved(pilot)
        await autosaved(pilot)
        assert not screen.session.dirty
    assert load_design(design_path, pack).design.decision(second).summary == "Second"
