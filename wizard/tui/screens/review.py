"""Record a reviewer's outcome for one item."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from wizard.content import Item
from wizard.project import Review, same_person
from wizard.tui.screens.common import make_compact, say
from wizard.tui.widgets.fields import TextEditor, TextInput

CLEAR = "clear"


class ReviewScreen(ModalScreen[Review | str | None]):
    """Approved or changes requested, by whom, on which date, with a comment."""

    HELP = """\
## Review

Record what the reviewer (medical director, nursing lead, compliance officer) decided for this
item: **approved** or **changes requested**, by whom, on which date (YYYY-MM-DD), and their
comment. Items with changes requested show ✗ in the navigator and in the *needs attention*
filter (F7). When the reviewer is the item's owner (by name or role), the dialog says so: the
playbook marks an item approved by its own owner. *Clear review* removes the outcome. F10 saves;
Escape cancels.
"""
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="review-cancel"),
        Binding("f10", "save", "Save review", id="review-save"),
    ]

    def __init__(self, item: Item, review: Review | None, today: dt.date, owner: str = "") -> None:
        super().__init__()
        self.item = item
        self.review = review
        self.today = today
        self.owner = owner
        """The item's owner: a reviewer who is the owner (by name or role) is warned about."""

    def compose(self) -> ComposeResult:
        review = self.review
        with VerticalScroll(classes="dialog review-dialog"):
            yield Static(f"Review of {self.item.number} {self.item.title}", classes="dialog-title")
            yield Label("Outcome")
            yield Select[str](
                [("✓ Approved", "approved"), ("✗ Changes requested", "changes-requested")],
                value=review.state if review else "approved",
                allow_blank=False,
                id="review-state",
            )
            yield Label("Reviewer (name and role)")
            yield TextInput(
                review.by if review else "",
                placeholder="e.g. Dr. Sam Lee, Medical Director",
                id="review-by",
                select_on_focus=False,  # typing after Tab must not replace what was written
            )
            yield Static("", id="review-by-error", classes="field-error")
            yield Static("", id="review-owner-warning", classes="field-warning")
            yield Label("Date (YYYY-MM-DD)")
            on_date = review.on if review and review.on else self.today
            yield TextInput(on_date.isoformat(), id="review-on", max_length=10)
            yield Static("", id="review-on-error", classes="field-error")
            yield Label("Comment")
            yield TextEditor(
                review.comment if review else "", id="review-comment", soft_wrap=True, tab_behavior="focus"
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save review", id="review-save", variant="primary")
                if review is not None:
                    yield Button("Clear review", id="review-clear", variant="warning")
                yield Button("Cancel", id="review-cancel")

    def on_mount(self) -> None:
        """Start on the outcome."""
        self.query_one("#review-state", Select).focus()
        make_compact(self)
        self._warn_if_owner()

    @on(Input.Changed, "#review-by")
    def _warn_if_owner(self) -> None:
        """Say so when the reviewer is the item's owner (a warning: the review can still be saved)."""
        by = self.query_one("#review-by", Input).value
        text = ""
        if by.strip() and same_person(by, self.owner):
            text = (
                f"⚠ {' '.join(by.split())} owns this item ({' '.join(self.owner.split())}): a review by its "
                "owner is not independent, and the playbook marks it."
            )
        say(self, "#review-owner-warning", text)

    @on(Button.Pressed, "#review-save")
    def action_save(self) -> None:
        """Validate and return the review."""
        by = self.query_one("#review-by", Input).value.strip()
        on_text = self.query_one("#review-on", Input).value.strip()
        ok = True
        say(self, "#review-by-error", "")
        say(self, "#review-on-error", "")
        if not by:
            say(self, "#review-by-error", "Say who reviewed.")
            ok = False
        try:
            on_date = dt.date.fromisoformat(on_text)
        except ValueError:
            say(self, "#review-on-error", f"{on_text!r} is not a date: use YYYY-MM-DD.")
            ok = False
        if not ok:
            return
        state = str(self.query_one("#review-state", Select).value)
        comment = self.query_one("#review-comment", TextArea).text
        self.dismiss(Review(state=state, by=by, on=on_date, comment=comment))  # type: ignore[arg-type]

    @on(Button.Pressed, "#review-clear")
    def _clear(self) -> None:
        self.dismiss(CLEAR)

    @on(Button.Pressed, "#review-cancel")
    def action_cancel(self) -> None:
        """Close without recording."""
        self.dismiss(None)
