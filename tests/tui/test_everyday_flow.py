"""The everyday flow at 80x24 (issue 21): focus you can see and that lands somewhere after every dialog,
the item's warnings at the top, one key to resume and to mark an item decided, the warning list, and
the wizard's side of sign-offs, reviewer independence and the safety-net topics a decision covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from wizard import recent
from wizard.content import ContentPack, SafetyNetTopic
from wizard.playbook import render
from wizard.project import Decision, DesignFile, Review, load_design
from wizard.tui.app import TeleWizardApp, make_app
from wizard.tui.screens.common import ChoiceScreen
from wizard.tui.screens.context import ContextScreen
from wizard.tui.screens.decision_dialogs import KpiOfferScreen, NotApplicableScreen
from wizard.tui.screens.export import ExportScreen
from wizard.tui.screens.help import HelpScreen
from wizard.tui.screens.jump_list import JumpListScreen
from wizard.tui.screens.review import ReviewScreen
from wizard.tui.screens.sign_off import SignOffScreen
from wizard.tui.screens.welcome import WelcomeScreen
from wizard.tui.screens.workspace import SAVE_DELAY, WorkspaceScreen
from wizard.tui.widgets.checklist import CheckList
from wizard.tui.widgets.focus import FOCUSED_LABEL
from wizard.tui.widgets.navigator import Navigator

from .conftest import FIXED_NOW, fixed_clock, opened
from .test_typing_order import applied


async def type_text(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*[{" ": "space", ",": "comma", ".": "full_stop"}.get(ch, ch) for ch in text])
    await applied(pilot)


def shows_focus(widget: Widget) -> bool:
    """The focus reads without colour: a bar at the field's left edge (a glyph, not a shade)."""
    return widget.styles.border_left[0] == "outer"


# ---------------------------------------------------------------------------
# Focus you can see, and that lands somewhere
# ---------------------------------------------------------------------------


async def test_the_focused_field_has_a_bar_and_its_label_in_reverse(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        owner = screen.query_one("#owner", Input)
        summary = screen.query_one("#summary", TextArea)
        owner.focus()
        await applied(pilot)
        owner_label = screen.query_one("#owner-row Vertical Label", Label)
        assert shows_focus(owner) and not shows_focus(summary)
        assert owner_label.has_class(FOCUSED_LABEL)
        assert not screen.query_one("#summary-label", Label).has_class(FOCUSED_LABEL)
        await pilot.press("shift+tab")
        await applied(pilot)
        assert pilot.app.focused is summary
        assert shows_focus(summary) and not shows_focus(owner)
        assert screen.query_one("#summary-label", Label).has_class(FOCUSED_LABEL)
        assert not owner_label.has_class(FOCUSED_LABEL)


async def test_the_navigator_marks_the_item_on_screen_with_a_symbol(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        navigator = screen.query_one(Navigator)
        await applied(pilot)
        labels = {node.data: str(node.label) for node in navigator.root.children[0].children}
        assert labels[pack.items[0].id].startswith("▶")
        assert not labels[pack.items[1].id].startswith("▶")
        await pilot.press("ctrl+n")
        await applied(pilot)
        labels = {node.data: str(node.label) for node in navigator.root.children[0].children}
        assert labels[pack.items[1].id].startswith("▶") and not labels[pack.items[0].id].startswith("▶")


async def test_opening_a_design_puts_the_focus_on_the_first_field(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=0).path) as (pilot, screen):
        await applied(pilot)
        assert pilot.app.focused is screen.query_one("#option")


DIALOGS = {
    "f1": HelpScreen,
    "f3": ReviewScreen,
    "f4": ContextScreen,
    "f5": ExportScreen,
    "ctrl+g": JumpListScreen,
    "ctrl+t": SignOffScreen,
}


@pytest.mark.parametrize("key", list(DIALOGS))
async def test_the_focus_is_back_in_the_field_it_left_after_a_dialog(
    key: str, make_design: Callable[..., DesignFile]
) -> None:
    """Escape closes the dialog; the field it left has the focus and its cursor where it was, and the
    next character typed lands there."""
    async with opened(make_design(decided=0).path) as (pilot, screen):
        rationale = screen.query_one("#rationale", TextArea)
        rationale.focus()
        await applied(pilot)
        rationale.text = "abcdef"
        rationale.move_cursor((0, 3))
        await applied(pilot)
        await pilot.press(key)
        await applied(pilot)
        assert isinstance(pilot.app.screen, DIALOGS[key])
        await pilot.press("escape")
        await applied(pilot)
        assert pilot.app.screen is screen
        assert pilot.app.focused is rationale
        await type_text(pilot, "X")
        assert rationale.text == "abcXdef"


async def test_the_focus_after_each_dialog_that_records_something(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    """A review saved, a reason given, KPIs added, a sign-off recorded: each time the focus is back in
    the field it left."""
    async with opened(make_design(decided=1).path, size=(120, 40)) as (pilot, screen):
        owner = screen.query_one("#owner", Input)
        owner.focus()
        await applied(pilot)

        await pilot.press("f3")
        await applied(pilot)
        pilot.app.screen.query_one("#review-by", Input).value = "Dr. Sam Lee"
        await pilot.press("f10")
        await applied(pilot)
        assert pilot.app.focused is owner

        screen.show_item(pack.items[5].id)
        await applied(pilot)
        assert pilot.app.focused is owner  # a move to another item keeps the field
        screen.action_not_applicable()
        await applied(pilot)
        await type_text(pilot, "No compensation changes here")
        await pilot.press("enter")
        await applied(pilot)
        assert pilot.app.focused is owner

        screen.action_insert_kpis()
        await applied(pilot)
        assert isinstance(pilot.app.screen, KpiOfferScreen)
        await pilot.press("enter")
        await applied(pilot)
        assert pilot.app.focused is owner

        await pilot.press("ctrl+t")
        await applied(pilot)
        pilot.app.screen.query_one("#sign-by", Input).value = "Dr. A. Rivera"
        pilot.app.screen.query_one("#sign-role", Input).value = "Medical Director"
        await pilot.press("f10")
        await applied(pilot)
        assert pilot.app.screen is screen
        assert pilot.app.focused is owner


async def test_the_focus_after_the_file_changed_on_disk_dialog(make_design: Callable[..., DesignFile]) -> None:
    design = make_design(decided=1)
    async with opened(design.path) as (pilot, screen):
        notes = screen.query_one("#notes", TextArea)
        notes.focus()
        await applied(pilot)
        screen.autosave.on_conflict()
        await applied(pilot)
        assert isinstance(pilot.app.screen, ChoiceScreen)
        await pilot.pause(ChoiceScreen.ARMING_DELAY + 0.1)
        await pilot.press("escape")  # keep mine
        await applied(pilot)
        assert pilot.app.focused is notes


async def test_the_focus_after_a_resize_below_the_minimum_and_back(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        owner = screen.query_one("#owner", Input)
        owner.focus()
        await applied(pilot)
        await pilot.resize_terminal(60, 20)
        await applied(pilot)
        await pilot.resize_terminal(80, 24)
        await applied(pilot)
        assert pilot.app.screen is screen and pilot.app.focused is owner


async def test_hiding_the_focused_navigator_gives_the_focus_to_the_first_field(
    make_design: Callable[..., DesignFile],
) -> None:
    """Nowhere is not an answer: a character typed next must land in a field."""
    async with opened(make_design(decided=1).path) as (pilot, screen):
        screen.query_one(Navigator).focus()
        await applied(pilot)
        await pilot.press("f6")
        await applied(pilot)
        assert pilot.app.focused is screen.query_one("#option")


async def test_an_item_opened_from_the_navigator_puts_the_focus_on_its_approach(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        navigator = screen.query_one(Navigator)
        navigator.focus()
        await applied(pilot)
        await pilot.press("down", "enter")
        await applied(pilot)
        assert screen.current == pack.items[1].id
        assert pilot.app.focused is screen.query_one("#option")


async def test_tabbing_into_a_filled_text_area_puts_the_cursor_at_its_end(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=1)
    rationale = design.design.decisions[pack.items[0].id].rationale
    async with opened(design.path) as (pilot, screen):
        screen.query_one("#status", Select).focus()
        await applied(pilot)
        await pilot.press("tab")  # the covers list is hidden on this item: the rationale is next
        await applied(pilot)
        area = screen.query_one("#rationale", TextArea)
        assert pilot.app.focused is area
        await type_text(pilot, " More")
        assert area.text == rationale + " More"


# ---------------------------------------------------------------------------
# Problems where the eye is
# ---------------------------------------------------------------------------


def in_view(screen: WorkspaceScreen, widget: Widget) -> bool:
    """The widget is drawn inside the screen, not scrolled away below it."""
    region = widget.region
    return region.height > 0 and region.y >= 0 and region.bottom <= screen.size.height


async def test_the_item_warnings_are_at_the_top_at_80x24(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=1)
    slug = pack.items[0].id
    design.design.decisions[slug].summary = ""
    design.design.decisions[slug].review = Review(
        state="changes-requested", by="Dr. Sam Lee", on=dt.date(2026, 11, 30), comment="Name the night lead."
    )
    design.save()
    async with opened(design.path) as (pilot, screen):
        await applied(pilot)
        alerts = screen.query_one("#item-warnings", Static)
        text = str(alerts.render())
        assert "decided without a summary" in text
        assert "✗ Changes requested by Dr. Sam Lee on 2026-11-30: Name the night lead." in text
        assert in_view(screen, alerts)
        assert alerts.region.y < screen.query_one("#option").region.y  # above the form
        for key in ("tab", "tab", "tab", "pagedown", "end"):  # moving through the form never hides them
            await pilot.press(key)
            await applied(pilot)
            assert in_view(screen, alerts)


async def test_an_invalid_due_date_is_a_warning_and_kept(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        await applied(pilot)
        before = str(screen.query_one("#findings", Static).render())
        due = screen.query_one("#due", Input)
        due.focus()
        due.value = ""
        await type_text(pilot, "2027-02-30")
        assert "'2027-02-30' is not a valid date" in str(screen.query_one("#item-warnings", Static).render())
        after = str(screen.query_one("#findings", Static).render())
        assert int(after.split()[1]) == int(before.split()[1]) + 1, (before, after)
        await pilot.press("ctrl+n", "ctrl+r")
        await applied(pilot)
        assert due.value == "2027-02-30"  # nothing typed is lost on leaving the item
        due.focus()
        due.value = "2027-03-01"
        await applied(pilot)
        assert "not a valid date" not in str(screen.query_one("#item-warnings", Static).render())
        assert screen.session.design.decision(pack.items[0].id).due == dt.date(2027, 3, 1)


async def test_a_past_due_date_is_a_warning(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        screen.query_one("#due", Input).value = "2026-11-01"
        await applied(pilot)
        assert "due 2026-11-01, which has passed" in str(screen.query_one("#item-warnings", Static).render())


async def test_the_warning_count_follows_a_saved_change_and_stays_right_while_paging(
    make_design: Callable[..., DesignFile],
) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):

        async def count_after_save() -> int:
            await pilot.pause(SAVE_DELAY * 2)
            await pilot.app.workers.wait_for_complete()
            await applied(pilot)
            text = str(screen.query_one("#findings", Static).render())  # "⚠ 5 warnings ^g" or "no warnings"
            return int(text.split()[1]) if text.startswith("⚠") else 0

        before = await count_after_save()
        owner = screen.query_one("#owner", Input)
        was = owner.value
        owner.value = ""  # a decided item without an owner is one more warning
        assert await count_after_save() == before + 1
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")  # paging saves only the resume point
        assert await count_after_save() == before + 1
        await pilot.press("ctrl+r", "ctrl+r", "ctrl+r")
        await applied(pilot)
        owner.value = was
        assert await count_after_save() == before


async def test_the_warning_list_opens_from_its_key_and_from_the_count_and_jumps(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=3)
    design.design.decisions[pack.items[2].id].owner = ""
    design.save()
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        await pilot.click("#findings")
        await applied(pilot)
        assert isinstance(pilot.app.screen, JumpListScreen)
        await pilot.press("escape")
        await applied(pilot)
        await pilot.press("ctrl+g")
        await applied(pilot)
        jump = pilot.app.screen
        assert isinstance(jump, JumpListScreen)
        texts = [text for _slug, text in jump.lines]
        third = pack.items[2]
        line = f"{third.number} {third.title}: decided without an owner"
        assert line in texts and any("still open or drafting" in text for text in texts)
        index = texts.index(line)
        await pilot.press(*["down"] * index, "enter")
        await applied(pilot)
        assert pilot.app.screen is screen and screen.current == third.id


async def test_after_a_context_change_the_decisions_off_the_recommendation_are_listed(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    """provider-scheduling's on-demand queue is recommended for direct-to-consumer urgent care and to use
    with caution in a tele-ICU: decided under the first, it is listed after a change to the second."""
    design = make_design(decided=0)
    design.design.context.care_model = "dtc-virtual-urgent-care"
    design.design.decisions["provider-scheduling"] = Decision(
        status="decided", option="on-demand-queue", summary="One queue.", owner="Medical Director"
    )
    design.save()
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        await pilot.press("f4")
        await applied(pilot)
        context = pilot.app.screen
        assert isinstance(context, ContextScreen)
        context.query_one("#care-model", Select).value = "tele-icu"
        await pilot.press("f10")
        await applied(pilot)
        jump = pilot.app.screen
        assert isinstance(jump, JumpListScreen)
        assert jump.lines[0][0] == "provider-scheduling"
        assert "'On-demand queue with per-diem logins' is now to use with caution" in jump.lines[0][1]
        await pilot.press("enter")
        await applied(pilot)
        assert screen.current == "provider-scheduling"


# ---------------------------------------------------------------------------
# Resume in one key
# ---------------------------------------------------------------------------


async def test_enter_on_the_welcome_screen_resumes_the_most_recent_design(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    older, newer = make_design("older.toml"), make_design("newer.toml")
    recent.remember(older.path, "Older", 3, 40, FIXED_NOW - dt.timedelta(days=2))
    recent.remember(newer.path, "Newer", 3, 40, FIXED_NOW)
    app = make_app(clock=fixed_clock, stable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await applied(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        await applied(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.session.path == newer.path.resolve()


async def test_down_from_the_welcome_buttons_reaches_the_recent_list(make_design: Callable[..., DesignFile]) -> None:
    design = make_design()
    recent.remember(design.path, "Lakeside", 3, 40, FIXED_NOW)
    app = make_app(clock=fixed_clock, stable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await applied(pilot)
        screen = app.screen
        await pilot.press("up")  # from the first line of the list up to the buttons
        await applied(pilot)
        assert app.focused is screen.query_one("#new")
        await pilot.press("right")
        await applied(pilot)
        assert app.focused is screen.query_one("#open")
        await pilot.press("down")
        await applied(pilot)
        assert app.focused is screen.query_one("#recent")


async def test_without_recent_designs_the_welcome_starts_on_new_design() -> None:
    app = make_app(clock=fixed_clock, stable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await applied(pilot)
        assert app.focused is app.screen.query_one("#new")
        await pilot.press("enter")
        await applied(pilot)
        assert isinstance(app.screen, ContextScreen)


# ---------------------------------------------------------------------------
# Fewer keys to record a decision
# ---------------------------------------------------------------------------


async def test_f9_marks_the_item_decided_from_any_field(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=0)
    async with opened(design.path) as (pilot, screen):
        screen.query_one("#summary", TextArea).focus()
        await type_text(pilot, "One shared queue")
        assert screen.session.design.status_of(pack.items[0].id) == "drafting"
        await pilot.press("f9")
        await applied(pilot)
        assert screen.session.design.status_of(pack.items[0].id) == "decided"
        assert screen.query_one("#status", Select).value == "decided"
        assert "● Decided" in str(screen.query_one("#item-header", Static).render())
        assert pilot.app.focused is screen.query_one("#summary")
        await screen.flush_before_quit()
    assert load_design(design.path, pack).design.decisions[pack.items[0].id].status == "decided"


async def test_f9_is_in_the_footer_and_in_the_help(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=0).path) as (pilot, screen):
        footer_keys = [b.key for _, b, enabled, _ in screen.active_bindings.values() if b.show]
        assert "f9" in footer_keys
        await pilot.press("f1")
        await applied(pilot)
        help_text = pilot.app.screen.query_one("Markdown").source  # type: ignore[attr-defined]
        for words in ("Mark this item decided", "Edit the clinical context", "Show only the items that need"):
            assert words in help_text
        for internal in ("Page Right", "Scroll Left", "Page Up", "Delete character"):
            assert internal not in help_text  # the focused widget's own keys are not the wizard's


async def test_not_applicable_asks_why_and_the_playbook_shows_it(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=0)
    item = pack.items[1]
    async with opened(design.path) as (pilot, screen):
        screen.show_item(item.id)
        screen.query_one("#status", Select).focus()
        await applied(pilot)
        await pilot.press("enter", "down", "down", "down", "enter")  # open -> not applicable
        await applied(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, NotApplicableScreen)
        await pilot.press("enter")  # no reason yet: asked again
        await applied(pilot)
        assert pilot.app.screen is dialog
        assert "Say why" in str(dialog.query_one("#reason-error", Static).render())
        await type_text(pilot, "We have one clinician per shift")
        await pilot.press("enter")
        await applied(pilot)
        decision = screen.session.design.decision(item.id)
        assert (decision.status, decision.summary) == ("not-applicable", "We have one clinician per shift")
        assert "Why not applicable" in str(screen.query_one("#summary-label", Label).render())
        playbook = render(screen.session.design, pack, "markdown")
        assert "Why not applicable" in playbook and "We have one clinician per shift" in playbook


async def test_cancelling_not_applicable_keeps_the_status(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        screen.query_one("#status", Select).focus()
        await applied(pilot)
        await pilot.press("enter", "down", "enter")  # decided -> not applicable
        await applied(pilot)
        assert isinstance(pilot.app.screen, NotApplicableScreen)
        await pilot.press("escape")
        await applied(pilot)
        assert screen.session.design.status_of(screen.current) == "decided"
        assert screen.query_one("#status", Select).value == "decided"


async def test_suggested_kpis_fit_the_approach_and_skip_those_listed(
    make_design: Callable[..., DesignFile], pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    slug = "same-day-urgent-access"
    data = pack.model_dump()
    for section in data["sections"]:
        for entry in section["items"]:
            if entry["id"] == slug:  # the first measure fits the first approach only
                entry["kpis"][0]["options"] = [entry["options"][0]["id"]]
    fitted = ContentPack.model_validate(data)
    monkeypatch.setattr(TeleWizardApp, "load_pack", lambda self, ref: fitted)
    item = fitted.items_by_id[slug]
    other = item.options[1].id
    # The second measure is already listed (its target edited): it is not offered again.
    design = make_design(decided=0)
    design.design.decisions[item.id] = Decision(status="drafting", option=other, kpis=[f"{item.kpis[1].name}: 95%"])
    design.save()
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        screen.show_item(item.id)
        await applied(pilot)
        await pilot.click("#insert-kpis")
        await applied(pilot)
        offer = pilot.app.screen
        assert isinstance(offer, KpiOfferScreen)
        assert [kpi.name for kpi in offer.offered] == [kpi.name for kpi in item.kpis[2:]]
        await pilot.press("space", "enter")  # untick the first offered, add the rest
        await applied(pilot)
        kpis = screen.session.design.decision(item.id).kpis
        assert kpis[0] == f"{item.kpis[1].name}: 95%"
        assert [line.split(":")[0] for line in kpis[1:]] == [kpi.name for kpi in item.kpis[3:]]
        assert screen.query_one("#kpis", TextArea).text.split("\n") == kpis


async def test_the_summary_is_a_few_lines_with_an_example_for_the_item(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    async with opened(make_design(decided=0).path) as (pilot, screen):
        summary = screen.query_one("#summary", TextArea)
        assert summary.size.height >= 2
        first = str(summary.placeholder)
        assert first.startswith("e.g. ")
        screen.show_item(pack.items[1].id)
        await applied(pilot)
        assert str(summary.placeholder).startswith("e.g. ") and str(summary.placeholder) != first
        summary.focus()
        await type_text(pilot, "One")
        await pilot.press("enter")  # a summary is one paragraph: Enter goes on to the owner
        await applied(pilot)
        assert summary.text == "One" and pilot.app.focused is screen.query_one("#owner")


# ---------------------------------------------------------------------------
# Sign-off, reviewer independence, safety-net topics (issues 15 and 17)
# ---------------------------------------------------------------------------


async def test_the_sign_off_dialog_records_a_version_and_warns_about_owned_items(
    make_design: Callable[..., DesignFile], pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = make_design(decided=3)
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        messages: list[str] = []
        monkeypatch.setattr(screen, "notify", lambda message, **_options: messages.append(message))
        assert screen.sub_title == "Draft of v1 (unsigned)"
        await pilot.press("ctrl+t")
        await applied(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, SignOffScreen)
        assert dialog.query_one("#sign-on", Input).value == "2026-12-01"  # today by default
        await type_text(pilot, "Dr. A. Rivera")
        await pilot.press("tab")
        await type_text(pilot, "Medical Director")
        warning = str(dialog.query_one("#sign-owner-warning", Static).render())
        numbers = ", ".join(item.number for item in pack.items[:3])
        assert f"Dr. A. Rivera, Medical Director owns 3 items of this design, by name or role ({numbers})" in warning
        dialog.query_one("#sign-outcome", Select).value = "approved-with-conditions"
        await pilot.press("f10")  # conditions missing: asked for, nothing recorded
        await applied(pilot)
        assert pilot.app.screen is dialog
        assert "needs its conditions" in str(dialog.query_one("#sign-conditions-error", Static).render())
        dialog.query_one("#sign-conditions", TextArea).text = "Name the night lead by January."
        dialog.query_one("#sign-next-review", Input).value = "2027-06-01"
        await pilot.press("f10")
        await applied(pilot)
        assert pilot.app.screen is screen
        assert "Recorded version 1." in messages
        assert any("owns 3 of the items signed off" in message for message in messages)
        assert screen.sub_title == "Draft of v2 · v1 signed with 37 open"  # a draft until none is open
        screen.query_one("#summary", TextArea).text = "Changed after the sign-off."
        await applied(pilot)
        assert screen.sub_title == "Draft of v2 · 1 changed since v1"
        await screen.flush_before_quit()
    signed = load_design(design.path, pack).design.sign_offs
    assert [(s.version, s.by, s.role, s.outcome, s.next_review) for s in signed] == [
        (1, "Dr. A. Rivera", "Medical Director", "approved-with-conditions", dt.date(2027, 6, 1))
    ]
    assert signed[0].conditions == "Name the night lead by January."
    assert set(signed[0].decisions) == {item.id for item in pack.items[:3]}


async def test_the_review_warns_when_the_reviewer_owns_the_item(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        await pilot.press("f3")
        await applied(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ReviewScreen)
        warning = dialog.query_one("#review-owner-warning", Static)
        dialog.query_one("#review-by", Input).value = "Dr. Sam Lee"
        await applied(pilot)
        assert str(warning.render()) == ""
        dialog.query_one("#review-by", Input).value = "Dr. Sam Lee, Medical Director"
        await applied(pilot)
        assert "owns this item (Medical Director)" in str(warning.render())
        await pilot.press("f10")  # a warning, not a refusal
        await applied(pilot)
        assert pilot.app.screen is screen
        review = screen.session.design.decision(screen.current).review
        assert review is not None and review.by == "Dr. Sam Lee, Medical Director"


def _pack_with_topics(pack: ContentPack) -> ContentPack:
    """The bundled pack with two safety-net topics (the bundled pack's own are being written)."""
    topics = [
        SafetyNetTopic(
            id="emergency-escalation",
            title="Emergency escalation during a visit",
            description="911 sent to the patient's location.",
            items=["physical-examination", "provider-scheduling"],
        ),
        SafetyNetTopic(
            id="platform-downtime",
            title="Platform downtime",
            description="The fallback when video fails.",
            items=["provider-scheduling"],
        ),
    ]
    data = pack.model_dump()
    data["safety_net"] = [topic.model_dump() for topic in topics]
    return ContentPack.model_validate(data)


async def test_the_covers_checklist_saves_the_topics_a_decision_covers(
    make_design: Callable[..., DesignFile], pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_topics = _pack_with_topics(pack)
    monkeypatch.setattr(TeleWizardApp, "load_pack", lambda self, ref: with_topics)
    design = make_design(decided=1)
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        box = screen.query_one("#covers-box")
        covers = screen.query_one("#covers", CheckList)
        assert box.display
        assert "This decision covers:" in str(screen.query_one("#covers-box Label", Label).render())
        assert [str(covers.get_option_at_index(i).prompt) for i in range(covers.option_count)] == [
            "Emergency escalation during a visit",
            "Platform downtime",
        ]
        covers.focus()
        covers.highlighted = 1
        await applied(pilot)
        await pilot.press("space")  # the second: platform downtime
        await applied(pilot)
        assert screen.session.design.decision("provider-scheduling").covers == ["platform-downtime"]
        screen.show_item("coverage-staffing")  # no topic names this item: no checklist
        await applied(pilot)
        assert not box.display
        await screen.flush_before_quit()
    assert load_design(design.path, with_topics).design.decisions["provider-scheduling"].covers == ["platform-downtime"]


# ---------------------------------------------------------------------------
# Smaller things
# ---------------------------------------------------------------------------


async def test_only_chosen_roles_show_a_check_mark(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new.toml", clock=fixed_clock, stable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await applied(pilot)
        roles = app.screen.query_one("#roles", CheckList)
        roles.select("physician")
        await applied(pilot)
        lines = [roles.render_line(y).text for y in range(3)]
        assert "✓" in lines[0] and "Physicians" in lines[0]
        assert "✓" not in lines[1] and "X" not in lines[1]


async def test_organization_and_lead_have_labels(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new.toml", clock=fixed_clock, stable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await applied(pilot)
        labels = [str(label.render()) for label in app.screen.query(Label)]
        assert "Organization" in labels and "Operations lead (name, role)" in labels


async def test_the_filter_says_so_while_it_is_on(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design(decided=1).path) as (pilot, screen):
        label = screen.query_one("#nav-filter", Static)
        assert not label.display
        await pilot.press("f7")
        await applied(pilot)
        assert label.display and "Filter: needs attention" in str(label.render())
        await pilot.press("f7")
        await applied(pilot)
        assert not label.display


async def test_the_export_dialog_shows_the_whole_path_and_the_format_preview_label(
    make_design: Callable[..., DesignFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", "/nowhere")  # the path is shown whole, not under ~
    async with opened(make_design(decided=1).path) as (pilot, _screen):
        await pilot.press("f5")
        await applied(pilot)
        dialog = pilot.app.screen
        target = tmp_path / "exports" / "design-playbook.md"
        assert str(dialog.query_one("#export-target", Static).render()) == f"Writes {target}"
        assert "Markdown" in str(dialog.query_one("#export-preview-label", Label).render())
        dialog.query_one("#export-format", Select).value = "html"
        await applied(pilot)
        assert str(dialog.query_one("#export-target", Static).render()) == f"Writes {target.with_suffix('.html')}"
        assert "HTML" in str(dialog.query_one("#export-preview-label", Label).render())


@pytest.mark.parametrize(("width", "wider"), [(80, 120), (120, 200)])
async def test_the_navigator_widens_with_the_terminal(
    make_design: Callable[..., DesignFile], width: int, wider: int
) -> None:
    async with opened(make_design(decided=1).path, size=(width, 30)) as (pilot, screen):
        narrow = screen.query_one("#nav-pane").size.width
        await pilot.resize_terminal(wider, 30)
        await applied(pilot)
        assert screen.query_one("#nav-pane").size.width > narrow
