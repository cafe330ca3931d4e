"""Pilot tests: press keys as a user would, assert on the saved file and on the screen."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TextArea

from wizard.cli import start_wizard
from wizard.content import ContentPack
from wizard.project import DesignFile, load_design
from wizard.tui.app import TeleWizardApp, make_app
from wizard.tui.screens.common import ChoiceScreen
from wizard.tui.screens.context import ContextScreen
from wizard.tui.screens.error import ErrorScreen
from wizard.tui.screens.export import ExportScreen
from wizard.tui.screens.help import HelpScreen
from wizard.tui.screens.review import ReviewScreen
from wizard.tui.screens.welcome import WelcomeScreen
from wizard.tui.screens.workspace import WorkspaceScreen

from .conftest import fixed_clock, opened


def app_for(path: Path | None = None) -> TeleWizardApp:
    return make_app(path, clock=fixed_clock, stable=True)


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def choose(pilot, select_id: str, downs: int) -> None:  # type: ignore[no-untyped-def]
    """Open a Select with Enter and move down to an option."""
    pilot.app.screen.query_one(select_id, Select).focus()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*(["down"] * downs), "enter")
    await pilot.pause()


async def test_new_design_decide_quit_reopen(tmp_path: Path, pack: ContentPack) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ContextScreen)
        await type_text(pilot, "Hill Clinic")
        await pilot.press("tab", "tab", "tab")  # organization, lead, path
        assert app.focused is app.screen.query_one("#path", Input)
        assert app.screen.query_one("#path", Input).value == "hill-clinic.toml"
        await choose(pilot, "#care-model", 4)  # the 4th after the first: tele-ICU
        assert app.screen.query_one("#care-model", Select).value == "tele-icu"
        app.screen.query_one("#roles").focus()
        await pilot.press("space", "down", "down", "down", "space")
        app.screen.query_one("#visit-types").focus()
        await pilot.press("space")
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        assert screen.current == pack.items[0].id

        for n in range(3):
            screen.query_one("#summary", TextArea).focus()
            await type_text(pilot, f"Decision {n + 1}")
            screen.query_one("#owner", Input).focus()
            await type_text(pilot, "Medical Director")
            await choose(pilot, "#option", 1)
            await choose(pilot, "#status", 1)  # from drafting (typing made it so) down to decided
            screen.query_one("#kpis", TextArea).focus()
            await type_text(pilot, "Alert response under 5 minutes")
            await pilot.press("ctrl+n")  # works while a text field has focus
            await pilot.pause()
        assert screen.current == pack.items[3].id
        await pilot.press("ctrl+q")
    path = tmp_path / "hill-clinic.toml"
    saved = load_design(path, pack).design
    assert saved.project.title == "Hill Clinic"
    assert saved.context.care_model == "tele-icu"
    assert saved.context.roles == ["physician", "registered-nurse"]
    assert saved.context.visit_types == ["video"]
    assert saved.project.resume_at == pack.items[3].id
    for n, item in enumerate(pack.items[:3]):
        decision = saved.decisions[item.id]
        assert decision.summary == f"Decision {n + 1}"
        assert decision.owner == "Medical Director"
        assert decision.status == "decided"
        assert decision.option == item.options[0].id
        assert decision.kpis == ["Alert response under 5 minutes"]
    assert not (tmp_path / "hill-clinic.toml.lock").exists()

    reopened = app_for(path)
    async with reopened.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = reopened.screen
        assert isinstance(screen, WorkspaceScreen)
        assert screen.current == pack.items[3].id
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.current == pack.items[2].id
        assert screen.query_one("#summary", TextArea).text == "Decision 3"
        assert screen.query_one("#owner", Input).value == "Medical Director"
        assert screen.query_one("#kpis", TextArea).text == "Alert response under 5 minutes"
        assert screen.query_one("#status", Select).value == "decided"


async def test_typing_marks_drafting_and_autosaves(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    design = make_design(decided=0)
    app = app_for(design.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        screen.query_one("#rationale", TextArea).focus()
        await type_text(pilot, "Night coverage")
        await pilot.pause(1.2)  # autosave within about a second, without quitting
        await app.workers.wait_for_complete()
        saved = load_design(design.path, pack).design
        assert saved.decisions[pack.items[0].id].rationale == "Night coverage"
        assert saved.decisions[pack.items[0].id].status == "drafting"
        assert "Saved" in str(screen.query_one("#save-status", Static).render())
        await pilot.press("ctrl+q")


async def test_next_open_skips_decided(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    design = make_design(decided=3)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        screen.show_item(pack.items[0].id)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.current == pack.items[3].id


async def test_review_is_recorded(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    design = make_design(decided=2)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("enter", "down", "enter")  # the outcome: changes requested
        await pilot.pause()
        app.screen.query_one("#review-by", Input).focus()
        await type_text(pilot, "Dr. Sam Lee")
        app.screen.query_one("#review-comment", TextArea).focus()
        await type_text(pilot, "Add night coverage")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("ctrl+q")
    review = load_design(design.path, pack).design.decisions[pack.items[0].id].review
    assert review is not None
    assert review.state == "changes-requested"
    assert review.by == "Dr. Sam Lee"
    assert review.on == dt.date(2026, 12, 1)
    assert review.comment == "Add night coverage"


async def test_review_validation(make_design: Callable[..., DesignFile]) -> None:
    design = make_design(decided=1)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#review-on", Input).value = "2026-13-40"
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Say who reviewed" in str(app.screen.query_one("#review-by-error", Static).render())
        assert "not a date" in str(app.screen.query_one("#review-on-error", Static).render())


async def test_export_from_the_ui(make_design: Callable[..., DesignFile], tmp_path: Path) -> None:
    design = make_design(decided=3)
    app = app_for(design.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        preview = screen.query_one("#export-preview", TextArea).text
        assert preview.startswith("# Lakeside Tele-ICU: Telemedicine Clinical Workflow Playbook")
        assert screen.query_one("#export-path", Input).value == str(tmp_path / "exports" / "design-playbook.md")
        await pilot.press("enter", "down", "enter")  # the format: HTML
        await pilot.pause()
        assert screen.query_one("#export-path", Input).value.endswith("design-playbook.html")
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    written = tmp_path / "exports" / "design-playbook.html"
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


async def test_context_validation_messages(pack: ContentPack) -> None:
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContextScreen)
        assert "title is required" in str(screen.query_one("#title-error", Static).render())
        assert "Choose a care model" in str(screen.query_one("#care-model-error", Static).render())
        assert "at least one role" in str(screen.query_one("#roles-error", Static).render())
        assert "at least one visit type" in str(screen.query_one("#visit-types-error", Static).render())


async def test_invalid_due_date_is_reported_not_saved(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=1)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        due = screen.query_one("#due", Input)
        due.focus()
        due.value = ""
        await type_text(pilot, "2027-02-30")
        await pilot.pause()
        assert "not a valid date" in str(screen.query_one("#due-error", Static).render())
        await pilot.press("ctrl+q")
    assert load_design(design.path, pack).design.decisions[pack.items[0].id].due is None


async def test_failed_save_is_reported_and_nothing_typed_is_lost(
    make_design: Callable[..., DesignFile], pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = make_design(decided=0)
    real_replace = os.replace

    def read_only(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        monkeypatch.setattr("wizard.project.atomic.os.replace", read_only)
        screen.query_one("#summary", TextArea).focus()
        await type_text(pilot, "Kept in memory")
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen.query_one("#save-status", Static).render())
        assert "NOT SAVED" in status and "read-only file system" in status.lower()
        assert screen.session.design.decisions[pack.items[0].id].summary == "Kept in memory"
        assert "Kept in memory" not in design.path.read_text(encoding="utf-8")
        monkeypatch.setattr("wizard.project.atomic.os.replace", real_replace)
        screen.autosave.save_now()  # what the retry timer does
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Saved" in str(screen.query_one("#save-status", Static).render())
    assert load_design(design.path, pack).design.decisions[pack.items[0].id].summary == "Kept in memory"


async def test_quit_with_failing_save_asks_first(
    make_design: Callable[..., DesignFile], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ChoiceScreen, "ARMING_DELAY", 5.0)  # armed late: a slow machine stays inside it
    design = make_design(decided=0)

    def full_disk(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        monkeypatch.setattr("wizard.project.atomic.os.replace", full_disk)
        app.screen.query_one("#summary", TextArea).focus()
        await type_text(pilot, "Do not lose me")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert "Not saved" in str(app.screen.query_one(".dialog-title", Static).render())
        assert "NOT SAVED" in str(app.screen_stack[-2].query_one("#save-status", Static).render())
        await pilot.press("enter")  # typed on, a moment too late: the dialog is not armed yet
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.pause(ChoiceScreen.ARMING_DELAY)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.query_one("#summary", TextArea).text == "Do not lose me"


async def test_bad_file_shows_error_screen(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 2\n[project\n", encoding="utf-8")
    before = bad.read_bytes()
    app = app_for(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).render())
        assert "bad.toml" in message and "line 2" in message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
    assert bad.read_bytes() == before


async def test_second_wizard_opens_read_only(make_design: Callable[..., DesignFile]) -> None:
    design = make_design(decided=1)
    first = app_for(design.path)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        second = app_for(design.path)
        async with second.run_test(size=(80, 24)) as pilot2:
            await pilot2.pause()
            screen = second.screen
            assert isinstance(screen, WorkspaceScreen)
            assert screen.session.read_only
            assert "read-only" in str(screen.query_one("#banner", Static).render())
            assert screen.query_one("#form").disabled
            assert not screen.query_one("#summary", TextArea).focusable
        await pilot.press("ctrl+q")


async def test_help_and_navigator_toggle(make_design: Callable[..., DesignFile]) -> None:
    design = make_design(decided=1)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        await pilot.press("f6")
        assert not screen.query_one("#nav-pane").display
        await pilot.press("f2")
        await pilot.pause()
        assert screen.query_one("#tabs").active == "tab-guidance"


async def test_too_small_terminal_shows_message(make_design: Callable[..., DesignFile]) -> None:
    design = make_design(decided=1)
    app = app_for(design.path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "at least 80x24" in str(app.screen.query_one("#too-small-message", Static).render())
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)


async def test_goto_item_from_command_palette(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    design = make_design(decided=1)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "3.4.3")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        assert screen.current == "recording-policies"


async def test_browsing_every_item_changes_no_decision(tmp_path: Path, pack: ContentPack) -> None:
    """Opening a design and walking all 40 items must not alter any decision (only the resume point)."""
    import shutil

    from wizard import paths

    path = tmp_path / "example.toml"
    shutil.copyfile(paths.bundled_example(), path)
    before = load_design(path, pack).design
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        for _ in range(len(pack.items)):
            await pilot.press("ctrl+n")
            await pilot.pause()
        await pilot.press("ctrl+q")
    after = load_design(path, pack).design
    assert after.decisions == before.decisions
    assert after.context == before.context


async def test_terminal_closing_saves_first(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    """SIGHUP/SIGTERM (a closed terminal) saves what was typed before the autosave timer fired."""
    import signal

    design = make_design(decided=0)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#summary", TextArea).focus()
        await type_text(pilot, "Typed just before the window closed")
        app.on_terminate_signal(signal.SIGHUP)
        await pilot.pause()
    saved = load_design(design.path, pack).design
    assert saved.decisions[pack.items[0].id].summary == "Typed just before the window closed"
    assert not design.path.with_name(design.path.name + ".lock").exists()


async def _conflict(
    make_design: Callable[..., DesignFile], pack: ContentPack, answer: str
) -> tuple[Path, TeleWizardApp]:
    design = make_design(decided=1)
    app = app_for(design.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # A colleague edits the file by hand while the wizard has it open.
        text = design.path.read_text(encoding="utf-8")
        design.path.write_text(text.replace("Lakeside Tele-ICU", "Lakeside Tele-ICU (their edit)"), encoding="utf-8")
        summary = app.screen.query_one("#summary", TextArea)
        summary.text += " plus mine"  # what typing does, in one step (the dialog will take focus)
        await pilot.pause(1.0)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "changed on disk" in str(app.screen.query_one(".dialog-title", Static).render())
        await pilot.click(f"#choice-{answer}")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+q")
    return design.path, app


async def test_changed_on_disk_keep_mine(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    path, _ = await _conflict(make_design, pack, "mine")
    theirs = load_design(path, pack).design
    assert theirs.project.title == "Lakeside Tele-ICU (their edit)"
    assert "plus mine" not in theirs.decisions[pack.items[0].id].summary
    copies = sorted(path.parent.glob("design.mine-*.toml"))
    assert len(copies) == 1
    mine = load_design(copies[0], pack).design
    assert mine.decisions[pack.items[0].id].summary.endswith(" plus mine")
    assert mine.project.title == "Lakeside Tele-ICU"


async def test_changed_on_disk_reload_theirs(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    path, _ = await _conflict(make_design, pack, "reload")
    theirs = load_design(path, pack).design
    assert theirs.project.title == "Lakeside Tele-ICU (their edit)"
    assert not list(path.parent.glob("design.mine-*.toml"))
    assert "plus mine" not in theirs.decisions[pack.items[0].id].summary


async def test_close_design_saves_and_returns_to_welcome(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=0)
    async with opened(design.path) as (pilot, screen):
        screen.query_one("#summary", TextArea).text = "Closed cleanly"
        await pilot.pause()
        await screen.action_close_design()
        await pilot.pause()
        assert isinstance(pilot.app.screen, WelcomeScreen)
    assert load_design(design.path, pack).design.decisions[pack.items[0].id].summary == "Closed cleanly"
    assert not design.path.with_name(design.path.name + ".lock").exists()


async def test_tabbing_into_a_filled_field_and_typing_adds_to_it(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=1)
    before = design.design.decisions[pack.items[0].id].summary
    assert before
    async with opened(design.path) as (pilot, screen):
        screen.query_one("#option", Select).focus()
        await pilot.press("tab")  # into the summary, as a person moves through the form
        await pilot.pause()
        assert pilot.app.focused is screen.query_one("#summary", TextArea)
        await type_text(pilot, " More.")
        await pilot.pause()
        assert screen.query_one("#summary", TextArea).text == before + " More."
        await screen.flush_before_quit()
    assert load_design(design.path, pack).design.decisions[pack.items[0].id].summary == before + " More."


async def test_a_design_opened_from_the_command_line_builds_the_welcome_only_when_closed(
    make_design: Callable[..., DesignFile],
) -> None:
    design = make_design(decided=0)
    async with opened(design.path) as (pilot, screen):
        app = pilot.app
        assert [type(shown).__name__ for shown in app.screen_stack] == ["StartScreen", "WorkspaceScreen"]
        await screen.action_close_design()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert str(design.path) in str(app.screen.query_one("#recent").get_row_at(0))  # the recent list is filled


async def test_tab_goes_from_the_navigator_to_the_form_fields_without_a_blind_stop(
    make_design: Callable[..., DesignFile],
) -> None:
    design = make_design(decided=1)
    async with opened(design.path) as (pilot, screen):
        screen.query_one("#navigator").focus()
        stops = []
        for _ in range(4):
            await pilot.press("tab")
            await pilot.pause()
            focused = pilot.app.focused
            stops.append(focused.id if focused is not None else None)
        assert stops == ["option", "summary", "owner", "due"]  # no stop on the tab bar: straight into the fields


@pytest.mark.parametrize("with_design", [True, False], ids=["design", "welcome"])
async def test_the_command_line_starts_the_wizard_on_the_design_or_the_welcome_screen(
    make_design: Callable[..., DesignFile], with_design: bool
) -> None:
    """``telewizard PATH`` opens the design where it was left; ``telewizard`` the welcome screen."""
    path = str(make_design().path) if with_design else None
    try:
        app = start_wizard(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen if with_design else WelcomeScreen)
    finally:
        gc.unfreeze()
