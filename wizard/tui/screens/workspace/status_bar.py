"""The workspace's bottom line: overall progress, the design's warning count, and the last save."""

from __future__ import annotations

import datetime as dt

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import ProgressBar, Static


class StatusBar(Horizontal):
    """Progress, warnings and save state, one line. A click on the warning count asks for the list.

    Its parts have fixed widths on a line of its own (``app.tcss``), so a new text never changes the
    layout: they are updated without laying the screen out again (a save while paging through items
    changes the save time)."""

    class WarningsClicked(Message):
        """The warning count was clicked: the screen opens the list of warnings."""

    def __init__(self, total: int, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.total = total

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=self.total, show_eta=False, id="progress")
        yield Static("", id="progress-text")
        yield Static("", id="findings")
        yield Static("", id="save-status")

    def show_progress(self, done: int) -> None:
        """How many items are decided or not applicable."""
        self.query_one("#progress", ProgressBar).update(progress=done)
        self.query_one("#progress-text", Static).update(f"{done}/{self.total} done", layout=False)

    def show_findings(self, total: int) -> None:
        """How many errors and warnings the design has (Ctrl+G, or a click, lists them)."""
        self.query_one("#findings", Static).update(
            f"⚠ {total} warning{'s' if total != 1 else ''} ^g" if total else "no warnings", layout=False
        )

    def on_click(self, event: events.Click) -> None:
        """A click on the warning count opens the list."""
        if event.widget is not None and event.widget.id == "findings":
            self.post_message(self.WarningsClicked())

    def show_saved(self, verb: str, when: dt.datetime) -> None:
        """The design is on disk: "Saved 10:31:05", "Opened ...", "Reloaded ..."."""
        status = self.query_one("#save-status", Static)
        status.remove_class("-error")
        status.update(f"{verb} {when.astimezone().strftime('%H:%M:%S')}", layout=False)

    def show_not_saved(self, reason: str, *, error: bool = True) -> None:
        """The design is not on disk, and why (in red unless it waits for the user's answer)."""
        status = self.query_one("#save-status", Static)
        status.set_class(error, "-error")
        status.update(f"NOT SAVED: {reason}", layout=False)
