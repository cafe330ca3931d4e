"""textual-serve ends a wizard by telling the app to exit (the tab closed, or the server was stopped
with Ctrl+C or SIGTERM), not with the wizard's own quit: what was typed just before must be on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from wizard.project import load_design, new_design
from wizard.tui.app import make_app
from wizard.tui.screens.workspace import SAVE_DELAY, WorkspaceScreen, saving


def make_design(path: Path) -> Path:
    """A new design file with its context chosen."""
    created = new_design(
        path,
        title="Exit clinic",
        care_model="tele-icu",
        roles=["physician"],
        visit_types=["video"],
    )
    created.save()
    return path


async def test_an_exit_from_outside_saves_what_was_just_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_design(tmp_path / "exit.toml")
    app = make_app(path, stable=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        await pilot.pause(SAVE_DELAY * 2)  # the save that opening schedules has landed
        # From here the autosave waits a minute, so however slow the machine only the exit can save.
        monkeypatch.setattr(saving, "SAVE_DELAY", 60.0)
        screen.query_one("#summary", TextArea).focus()
        await pilot.press(*"Typed", "space", *"last")
        assert screen.query_one("#summary", TextArea).text == "Typed last"
        assert "Typed last" not in path.read_text(encoding="utf-8")  # not saved yet: the autosave waits
        app.exit()  # what textual-serve's "quit" and the web driver's SIGINT and SIGTERM handlers ask for
    item = load_design(path).design.decisions
    assert [decision.summary for decision in item.values()] == ["Typed last"]
    assert not (tmp_path / "exit.toml.lock").exists()
