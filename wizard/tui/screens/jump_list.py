"""A list of things about items (the design's warnings, the decisions a new context leaves off the
recommendation) that goes to the item chosen: Enter on a line returns its item's slug."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class JumpListScreen(ModalScreen[str | None]):
    """Lines, each about an item (or the whole design); Enter goes to the item, Escape closes."""

    HELP = """\
## A list you can jump from

Up and Down move, **Enter** goes to the item of the highlighted line (lines about the whole design
have no item to go to), Escape closes the list.
"""
    BINDINGS = [Binding("escape", "close", "Close", id="jump-close")]

    def __init__(self, title: str, intro: str, lines: list[tuple[str | None, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.intro = intro
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog jump-dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="dialog-text")
            options = [
                Option(("⚠ " if slug else "• ") + text, id=f"line-{index}")
                for index, (slug, text) in enumerate(self.lines)
            ]
            yield OptionList(*options, id="jump-list")

    def on_mount(self) -> None:
        """The first line has the focus."""
        self.query_one("#jump-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#jump-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        index = int((event.option.id or "line-0").removeprefix("line-"))
        slug = self.lines[index][0]
        if slug is None:
            self.notify("This line is about the whole design, not one item.")
            return
        self.dismiss(slug)

    def action_close(self) -> None:
        """Close without going anywhere."""
        self.dismiss(None)
