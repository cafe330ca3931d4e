"""Shown instead of a crash when a design file cannot be opened."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from wizard.tui.screens.common import make_compact


class ErrorScreen(Screen[None]):
    """One clear sentence about what is wrong; the file is never written."""

    HELP = """\
## The design could not be opened

The message names the file and the place (line and column, or item and field). Nothing was
written to the file. Fix it in an editor, or run `telewizard check FILE` for every finding,
then open it again.
"""
    BINDINGS = [Binding("escape", "back", "Back", id="error-back")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Static("Could not open the design", classes="dialog-title")
            yield Static(self.message, id="error-message", classes="dialog-text", markup=False)
            yield Static("The file was left exactly as it is.", classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="error-back", variant="primary")
                yield Button("Quit", id="error-quit")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Compact buttons; focus Back."""
        make_compact(self)
        self.query_one("#error-back", Button).focus()

    @on(Button.Pressed, "#error-back")
    def action_back(self) -> None:
        """Back to the screen underneath (the welcome screen)."""
        self.dismiss()

    @on(Button.Pressed, "#error-quit")
    def _quit(self) -> None:
        self.app.exit(1)
