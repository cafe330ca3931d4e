"""Keys that arrive together land where they were typed: across fields, status changes, item changes,
screen changes and a dialog popping up mid-typing.

Every burst is posted to the app in one go, without waiting between keys, as the terminal driver
delivers keys that arrive in one read (a fast typist, a paste across fields, a filler program).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from textual import events
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from wizard.content import ContentPack
from wizard.project import DesignFile, load_design
from wizard.tui.app import make_app
from wizard.tui.screens.common import ChoiceScreen
from wizard.tui.screens.context import ContextScreen
from wizard.tui.screens.workspace import WorkspaceScreen

from .conftest import fixed_clock, opened

CHARACTER_KEYS = {" ": "space", "-": "minus", ".": "full_stop", ",": "comma"}


def keys(*names: str) -> list[events.Key]:
    """Named keys (tab, enter, down, ctrl+n...) as the terminal driver reports them."""
    return [events.Key(name, "\r" if name == "enter" else key_to_character(name)) for name in names]


def text(typed: str) -> list[events.Key]:
    """Typed characters as the terminal driver reports them."""
    return [events.Key(CHARACTER_KEYS.get(ch, ch), ch) for ch in typed]


def burst(pilot: Pilot[int], *parts: Iterable[events.Key]) -> None:
    """Post every key at once, in order, without letting the app handle any of them in between."""
    for part in parts:
        for event in part:
            pilot.app.post_message(event)


async def applied(pilot: Pilot[int]) -> None:
    """Wait until the app has applied every key it was sent and everything they caused has run."""
    for _ in range(200):
        await pilot.pause()
        order = pilot.app.input_order  # type: ignore[attr-defined]
        if not order.busy and not order.held:
            break
    await pilot.pause()


def summary_and_owner(screen: WorkspaceScreen) -> tuple[str, str]:
    return screen.query_one("#summary", TextArea).text, screen.query_one("#owner", Input).value


async def tab_to_the_summary_and_type(pilot: Pilot[int], screen: WorkspaceScreen, summary: str, owner: str) -> None:
    """From the navigator, in one go: Tab x2 (approach, summary), the summary, Tab, the owner; each must
    land in its field, and the focus end in the owner."""
    screen.query_one("#navigator").focus()
    await pilot.pause()
    burst(pilot, keys("tab", "tab"), text(summary), keys("tab"), text(owner))
    await applied(pilot)
    assert summary_and_owner(screen) == (summary, owner)
    assert pilot.app.focused is screen.query_one("#owner")


async def test_tab_and_type_across_fields_of_an_open_item(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    """Tab Tab "alpha one" Tab "beta two" from the navigator: the summary, then the owner (the first
    character also turns the item from open to drafting, re-rendering the form)."""
    design = make_design(decided=0)
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        await tab_to_the_summary_and_type(pilot, screen, "alpha one", "beta two")
        decision = screen.session.design.decisions[pack.items[0].id]
        assert (decision.summary, decision.owner, decision.status) == ("alpha one", "beta two", "drafting")


async def test_tab_and_type_across_fields_of_an_item_in_drafting(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    """The same burst on an item already in drafting: the Tab is applied before the characters behind it."""
    design = make_design(decided=0)
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        screen.query_one("#notes", TextArea).focus()
        await pilot.pause()
        burst(pilot, text("x"))
        await applied(pilot)
        assert screen.session.design.decisions[pack.items[0].id].status == "drafting"
        await tab_to_the_summary_and_type(pilot, screen, "Fast summary", "Fast owner")


async def test_title_organization_and_lead_in_one_go(tmp_path: Path) -> None:
    """The context screen of a new design: each word in its own field (the title also fills the path)."""
    app = make_app(tmp_path / "new.toml", clock=fixed_clock, stable=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContextScreen)
        burst(pilot, text("Lakeside Tele-ICU"), keys("tab"), text("Lakeside Health"), keys("tab"), text("Jordan Reyes"))
        await applied(pilot)
        values = [screen.query_one(f"#{name}", Input).value for name in ("title", "organization", "lead")]
        assert values == ["Lakeside Tele-ICU", "Lakeside Health", "Jordan Reyes"]


async def test_a_key_that_opens_a_screen_and_the_typing_behind_it(tmp_path: Path) -> None:
    """N on the welcome screen, then the title at once: the keys wait for the context screen to be ready."""
    app = make_app(clock=fixed_clock, stable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(pilot, text("n"), text("Hill Clinic"), keys("tab"), text("Hill Health"))
        await applied(pilot)
        screen = app.screen
        assert isinstance(screen, ContextScreen)
        assert screen.query_one("#title", Input).value == "Hill Clinic"
        assert screen.query_one("#organization", Input).value == "Hill Health"


async def test_choose_an_approach_then_type_the_summary_and_rationale(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    """Enter opens the approach list, Down and Enter pick the first approach (below the blank prompt; the
    list closes and the select takes the focus back a few messages later), then Tab and the text."""
    design = make_design(decided=0)
    item = pack.items[0]
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        screen.query_one("#navigator").focus()
        await pilot.pause()
        burst(
            pilot,
            keys("tab", "enter", "down", "enter", "tab"),
            text("Chosen summary"),
            keys("tab"),
            text("Chosen owner"),
        )
        await applied(pilot)
        assert screen.query_one("#option", Select).value == item.options[0].id
        assert summary_and_owner(screen) == ("Chosen summary", "Chosen owner")
        decision = screen.session.design.decisions[item.id]
        assert (decision.option, decision.summary, decision.owner) == (
            item.options[0].id,
            "Chosen summary",
            "Chosen owner",
        )


async def test_typing_across_an_item_change(make_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    """Ctrl+N re-fills the form with the next item: the text before it stays with the first item, the text
    after it goes to the second, and neither is lost."""
    design = make_design(decided=0)
    first, second = pack.items[0].id, pack.items[1].id
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        screen.query_one("#summary", TextArea).focus()
        await pilot.pause()
        burst(pilot, text("first item"), keys("ctrl+n"), text("second item"), keys("ctrl+r"), text(" again"))
        await applied(pilot)
        decisions = screen.session.design.decisions
        assert decisions[first].summary == "first item again"
        assert decisions[second].summary == "second item"
        assert screen.current == first


async def test_a_dialog_popping_up_mid_typing_takes_no_key_meant_for_the_field(
    make_design: Callable[..., DesignFile], pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file changes on disk while the user types: the keys typed before the dialog appears reach the
    field, and an Enter typed right after does not answer it (its default would keep a copy).

    The dialog is armed later than in use, so that a slow machine applying the burst cannot reach the
    end of the delay before the burst's last key (a person's keys after it are answers)."""
    monkeypatch.setattr(ChoiceScreen, "ARMING_DELAY", 5.0)
    design = make_design(decided=0)
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        notes = screen.query_one("#notes", TextArea)
        notes.focus()
        await pilot.pause()
        burst(pilot, text("typed before"))
        screen.autosave.on_conflict()  # the save worker's answer comes in between two keys
        burst(pilot, keys("enter"), text("after "), keys("enter", "space"))
        await applied(pilot)
        assert isinstance(pilot.app.screen, ChoiceScreen), "the dialog is still asking"
        assert notes.text == "typed before"
        assert screen.session.design.decisions[pack.items[0].id].notes == "typed before"
        assert not list(design.path.parent.glob("design.mine-*.toml")), "no answer was given"
        await pilot.pause(ChoiceScreen.ARMING_DELAY)
        await pilot.press("escape")  # now armed: the safe default, keep mine
        await pilot.pause()
        assert isinstance(pilot.app.screen, WorkspaceScreen)
        copies = list(design.path.parent.glob("design.mine-*.toml"))
        assert len(copies) == 1
        assert load_design(copies[0], pack).design.decisions[pack.items[0].id].notes == "typed before"


async def test_typing_on_after_a_screen_opens_and_closes(make_design: Callable[..., DesignFile]) -> None:
    """F1 opens the help, Escape closes it (its widgets go away with keys behind them), and the text
    typed after lands in the field that had the focus."""
    design = make_design(decided=0)
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        screen.query_one("#owner", Input).focus()
        await pilot.pause()
        burst(pilot, text("Nursing"), keys("f1", "escape"), text(" lead"), keys("f1", "escape"))
        await applied(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one("#owner", Input).value == "Nursing lead"
