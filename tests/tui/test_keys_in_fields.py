"""Every key the wizard binds does the same from every text field, and never edits the text there.

Textual's text area binds F6 and F7 to select the line and all the text; the workspace binds them to
hide the navigator and to filter the items. Pressed in a text area, they selected the text, and the
next character typed replaced it (and was saved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TabbedContent, TextArea

from wizard.content import ContentPack
from wizard.project import DesignFile
from wizard.tui.app import TeleWizardApp
from wizard.tui.screens.capacity import CapacityScreen
from wizard.tui.screens.context import ContextScreen
from wizard.tui.screens.decision_dialogs import NotApplicableScreen
from wizard.tui.screens.export import ExportScreen
from wizard.tui.screens.help import HelpScreen
from wizard.tui.screens.jump_list import JumpListScreen
from wizard.tui.screens.review import ReviewScreen
from wizard.tui.screens.sign_off import SignOffScreen
from wizard.tui.screens.welcome import OpenPathScreen
from wizard.tui.screens.workspace import WorkspaceScreen
from wizard.tui.widgets.fields import TextEditor, TextInput
from wizard.tui.widgets.navigator import Navigator

from .conftest import opened
from .test_typing_order import applied

SCREENS: list[type[Screen[object]]] = [
    OpenPathScreen,
    ContextScreen,
    WorkspaceScreen,
    ReviewScreen,
    ExportScreen,
    SignOffScreen,
    NotApplicableScreen,
    CapacityScreen,
]  # type: ignore[list-item]
"""The screens with text fields (the welcome screen's letters and Delete act on its list, with no field)."""


def _bindings(cls: type[object]) -> Iterator[Binding]:
    """The bindings a class declares, its bases' included (as Textual merges them)."""
    for base in reversed(cls.__mro__):
        declared: list[BindingType] = base.__dict__.get("BINDINGS", [])
        for binding in declared:
            yield from Binding.make_bindings([binding])


def _field_keys() -> dict[str, str]:
    """Every key a text field binds itself, with the action it runs there."""
    keys: dict[str, str] = {}
    for field in (TextInput, TextEditor):
        for binding in _bindings(field):
            keys[binding.key] = f"{field.__name__}.{binding.action}"
    return keys


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.__name__)
def test_no_key_of_the_wizard_is_left_to_a_text_field(screen: type[Screen[object]]) -> None:
    """A key the wizard binds that a text field also binds must be a priority binding (checked before
    the focused field sees the key), or the field would run its own action instead."""
    field_keys = _field_keys()
    own = [*screen.__dict__.get("BINDINGS", []), *TeleWizardApp.BINDINGS]
    clashes = [
        f"{binding.key} ({binding.action}; the field runs {field_keys[binding.key]})"
        for binding in Binding.make_bindings(own)
        if binding.key in field_keys and not binding.priority
    ]
    assert not clashes


TEXT = {
    "summary": "Per-diem clinicians staff one shared queue.",
    "owner": "Medical Director",
    "due": "2027-01-15",
    "rationale": "Night coverage\nfrom the hub.",
    "kpis": "Median wait under 15 minutes\nOn-time start",
    "notes": "Revisit after the pilot.",
}


def _text(widget: Input | TextArea) -> str:
    return widget.value if isinstance(widget, Input) else widget.text


def _selected(widget: Input | TextArea) -> bool:
    return not widget.selection.is_empty


async def _undo(pilot: Pilot[int], screen: WorkspaceScreen, key: str, first: str) -> str:
    """Check what the key did from the field, and put the workspace back as it was; returns what it did."""
    app = pilot.app
    navigator = screen.query_one(Navigator)
    opened_screens = {
        "f1": HelpScreen,
        "ctrl+p": CommandPalette,
        "f3": ReviewScreen,
        "f4": ContextScreen,
        "f5": ExportScreen,
        "ctrl+g": JumpListScreen,
        "ctrl+t": SignOffScreen,
        "f8": CapacityScreen,  # the first item is 3.1.1, beside which the queue calculator sits
    }
    if key in opened_screens:
        assert isinstance(app.screen, opened_screens[key])
        await pilot.press("escape")
        await applied(pilot)
        assert app.screen is screen
        return f"opened {opened_screens[key].__name__}"
    if key == "f2":
        assert screen.query_one("#tabs", TabbedContent).active == "tab-guidance"
        await pilot.press("f2")
    elif key == "f6":
        assert not screen.query_one("#nav-pane").display
        await pilot.press("f6")
    elif key == "f7":
        assert navigator.only_attention
        await pilot.press("f7")
    elif key == "f9":
        assert screen.session.design.status_of(first) == "decided"
        screen.set_status("drafting")  # what it was: typing the texts made it so
    elif key in ("ctrl+n", "ctrl+r", "ctrl+o"):
        assert screen.current != first
        screen.show_item(first)
    else:
        raise AssertionError(f"no check for {key}")
    await applied(pilot)
    return "acted"


WORKSPACE_KEYS = [
    "f1",
    "ctrl+p",
    "ctrl+n",
    "ctrl+r",
    "ctrl+o",
    "f2",
    "f3",
    "f4",
    "f5",
    "f6",
    "f7",
    "f8",
    "f9",
    "ctrl+g",
    "ctrl+t",
]


def test_the_list_covers_every_key_of_the_workspace() -> None:
    """Ctrl+Q quits (test_flows checks that it saves what was typed); every other key is pressed below."""
    bound = {b.key for b in Binding.make_bindings([*WorkspaceScreen.BINDINGS, *TeleWizardApp.BINDINGS])}
    assert bound - {"ctrl+q"} | {TeleWizardApp.COMMAND_PALETTE_BINDING} == set(WORKSPACE_KEYS)


@pytest.mark.parametrize("key", WORKSPACE_KEYS)
async def test_every_workspace_key_in_every_text_field(
    key: str, make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=0)
    first = pack.items[0].id
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        for field, text in TEXT.items():
            widget = screen.query_one(f"#{field}")
            assert isinstance(widget, (Input, TextArea))
            widget.focus()
            if isinstance(widget, Input):
                widget.value = text
                widget.cursor_position = 3
            else:
                widget.text = text
                widget.move_cursor((0, 3))
            await applied(pilot)
            before = screen.session.design.decisions[first].model_dump(exclude={"updated"})

            await pilot.press(key)
            await applied(pilot)

            if screen.current == first:  # the keys that change the item fill the form with the next one
                assert _text(widget) == text, f"{key} in {field}"
                assert not _selected(widget), f"{key} in {field} selected text"
            await _undo(pilot, screen, key, first)
            assert screen.session.design.decisions[first].model_dump(exclude={"updated"}) == before, (key, field)
            assert _text(widget) == text and not _selected(widget), f"{key} in {field}"
