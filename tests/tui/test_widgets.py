"""The workspace's own widgets: the approach picker, the guidance pane and the text fields."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, TextArea

from wizard.project import DesignFile
from wizard.tui.widgets.approach import ApproachSelect
from wizard.tui.widgets.fields import TextEditor, TextInput
from wizard.tui.widgets.guidance import GuidanceView

from .conftest import opened

LONG = (
    "**Summary.**\n\n## Why it matters\n\n"
    + " ".join(f"word{n}" for n in range(400))
    + "\n\n- [A source](https://example.org/a)\n"
)


class PickerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ApproachSelect([("First", "a"), ("Second", "b")], prompt="Choose", id="picker")


async def test_replace_swaps_options_and_value() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        picker = app.query_one(ApproachSelect)
        picker.replace([("Other first", "a"), ("Other third", "c")], "c")
        await pilot.pause()
        assert picker.value == "c"
        assert picker.selection == "c"
        picker.replace([("Renamed", "c"), ("Again", "d")], "c")  # same value, new label
        await pilot.pause()
        assert "Renamed" in str(picker.query_one("SelectCurrent #label").render())
        picker.replace([("One", "x")], None)
        await pilot.pause()
        assert picker.value is Select.NULL
        assert not picker.query_one("SelectCurrent").has_class("-has-value")


class GuidanceApp(App[None]):
    def compose(self) -> ComposeResult:
        yield GuidanceView(id="guidance")


def _text(view: GuidanceView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def test_guidance_wraps_to_width_scrolls_and_rewraps_on_resize() -> None:
    app = GuidanceApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(GuidanceView)
        view.show(LONG)
        await pilot.pause()
        lines = view.virtual_size.height
        assert lines > 12
        assert _text(view)[0] == "Summary."
        assert all(len(line) <= view.scrollable_content_region.width for line in _text(view))
        view.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_offset.y > 0
        assert _text(view)[0] != "Summary."
        await pilot.resize_terminal(100, 12)
        await pilot.pause()
        assert view.virtual_size.height < lines  # wider: fewer lines
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert any("https://example.org/a" in line for line in _text(view))  # links show their address
        view.show("Short.")
        await pilot.pause()
        assert view.scroll_offset.y == 0
        assert view.source == "Short."
        assert _text(view)[0] == "Short."


class FieldsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TextInput(id="line")
        yield TextEditor(id="area")


@pytest.mark.parametrize("field", ["#line", "#area"])
async def test_keys_arriving_together_are_applied_in_typing_order(field: str) -> None:
    """Textual runs editing keys as bindings after the key has gone up to the app, so a character that
    arrives right behind a backspace was inserted first ("ba" instead of "bc")."""
    app = FieldsApp()
    async with app.run_test() as pilot:
        widget = app.query_one(field)
        widget.focus()
        await pilot.pause()
        typed = [("b", "b"), ("a", "a"), ("backspace", "\x7f"), ("c", "c"), ("left", None), ("x", "x")]
        for key, character in typed:  # posted at once, as a burst of input arrives
            app.post_message(events.Key(key, character))
        await pilot.pause()
        value = widget.value if isinstance(widget, Input) else widget.text
        assert value == "bxc"


async def test_the_workspace_edits_with_the_ordered_fields(make_design: Callable[..., DesignFile]) -> None:
    async with opened(make_design().path) as (_pilot, screen):
        for field in ("#owner", "#due"):
            assert isinstance(screen.query_one(field, Input), TextInput), field
        for field in ("#summary", "#rationale", "#kpis", "#notes"):
            assert isinstance(screen.query_one(field, TextArea), TextEditor), field
