"""Record a sign-off of the whole design: who, in what role, the outcome, conditions and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from wizard.project import SignOffOutcome
from wizard.tui.screens.common import make_compact, say
from wizard.tui.widgets.fields import TextEditor, TextInput

OUTCOMES: list[tuple[str, SignOffOutcome]] = [
    ("✓ Approved", "approved"),
    ("✓ Approved with conditions", "approved-with-conditions"),
    ("✗ Rejected", "rejected"),
]


@dataclass(frozen=True)
class SignOffResult:
    """What the dialog returns: the fields of ``record_sign_off``."""

    by: str
    role: str
    outcome: SignOffOutcome
    conditions: str
    on: dt.date
    effective: dt.date | None
    next_review: dt.date | None


class SignOffScreen(ModalScreen[SignOffResult | None]):
    """A sign-off of the design as it is now. ``owned(signer)`` names the items the signer owns (by name
    or role): the dialog says so as the name and role are typed, and records the sign-off anyway."""

    HELP = """\
## Sign-off

Record that a medical director, nursing lead or compliance officer signed the whole design: their
**name** and **role**, the **outcome** (approved, approved with conditions, rejected), the
**conditions** (what must happen; needed for an approval with conditions, the reasons for a
rejection), the **date** signed (today unless you change it), and when the signed version takes
**effect** and is **reviewed** again (optional). Dates are YYYY-MM-DD.

The design keeps a fingerprint of every decision as it is now: the playbook then says which
version it is, and marks the items changed since. If the signer owns items (by name or by role),
the dialog names them: a sign-off by an item's own owner is not an independent review.
F10 records; Escape cancels.
"""
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="sign-off-cancel"),
        Binding("f10", "save", "Record sign-off", id="sign-off-save"),
    ]

    def __init__(self, version: int, today: dt.date, owned: Callable[[str], list[str]]) -> None:
        super().__init__()
        self.version = version
        self.today = today
        self.owned = owned

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog sign-off-dialog"):
            yield Static(f"Sign-off of the whole design: version {self.version}", classes="dialog-title")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label("Name")
                    yield TextInput(placeholder="e.g. Dr. A. Rivera", id="sign-by", select_on_focus=False)
                with Vertical():
                    yield Label("Role")
                    yield TextInput(placeholder="e.g. Medical Director", id="sign-role", select_on_focus=False)
            yield Static("", id="sign-who-error", classes="field-error")
            yield Static("", id="sign-owner-warning", classes="field-warning")
            yield Label("Outcome")
            yield Select[str](OUTCOMES, value="approved", allow_blank=False, id="sign-outcome")
            yield Label("Conditions (or the reasons for a rejection)")
            yield TextEditor("", id="sign-conditions", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="sign-conditions-error", classes="field-error")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label("Signed on")
                    yield TextInput(self.today.isoformat(), id="sign-on", max_length=10)
                with Vertical():
                    yield Label("Effective (optional)")
                    yield TextInput(placeholder="YYYY-MM-DD", id="sign-effective", max_length=10)
                with Vertical():
                    yield Label("Next review (optional)")
                    yield TextInput(placeholder="YYYY-MM-DD", id="sign-next-review", max_length=10)
            yield Static("", id="sign-dates-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record sign-off", id="sign-off-save", variant="primary")
                yield Button("Cancel", id="sign-off-cancel")

    def on_mount(self) -> None:
        """Start on the name."""
        make_compact(self)
        self.query_one("#sign-by", Input).focus()

    def _signer(self) -> tuple[str, str]:
        by = " ".join(self.query_one("#sign-by", Input).value.split())
        role = " ".join(self.query_one("#sign-role", Input).value.split())
        return by, role

    @on(Input.Changed, "#sign-by")
    @on(Input.Changed, "#sign-role")
    def _warn_about_owned_items(self) -> None:
        """Name the items the signer owns, as the name and role are typed (a warning, never a refusal)."""
        by, role = self._signer()
        owned = self.owned(", ".join(part for part in (by, role) if part)) if by or role else []
        text = ""
        if owned:
            signer = ", ".join(part for part in (by, role) if part)
            text = (
                f"⚠ {signer} owns {len(owned)} item{'s' if len(owned) != 1 else ''} of this design, by name or "
                f"role ({', '.join(owned)}): a sign-off by an owner is not an independent review. "
                "It can still be recorded."
            )
        say(self, "#sign-owner-warning", text)

    def _date(self, widget_id: str, name: str, errors: list[str], *, required: bool) -> dt.date | None:
        text = self.query_one(widget_id, Input).value.strip()
        if not text:
            if required:
                errors.append(f"{name}: give a date (YYYY-MM-DD).")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            errors.append(f"{name}: {text!r} is not a date; use YYYY-MM-DD.")
            return None

    @on(Button.Pressed, "#sign-off-save")
    def action_save(self) -> None:
        """Check the fields and return the sign-off."""
        by, role = self._signer()
        outcome: SignOffOutcome = self.query_one("#sign-outcome", Select).value  # type: ignore[assignment]
        conditions = self.query_one("#sign-conditions", TextArea).text.strip()
        who = [] if by and role else ["Give the signer's name and role."]
        if outcome == "approved-with-conditions" and not conditions:
            condition_error = "An approval with conditions needs its conditions."
        elif outcome == "approved" and conditions:
            condition_error = "Conditions are for 'approved with conditions': choose that outcome, or clear them."
        else:
            condition_error = ""
        dates: list[str] = []
        on_date = self._date("#sign-on", "Signed on", dates, required=True)
        effective = self._date("#sign-effective", "Effective", dates, required=False)
        next_review = self._date("#sign-next-review", "Next review", dates, required=False)
        say(self, "#sign-who-error", " ".join(who))
        say(self, "#sign-conditions-error", condition_error)
        say(self, "#sign-dates-error", " ".join(dates))
        if who or condition_error or dates or on_date is None:
            return
        self.dismiss(SignOffResult(by, role, outcome, conditions, on_date, effective, next_review))

    @on(Button.Pressed, "#sign-off-cancel")
    def action_cancel(self) -> None:
        """Close without recording."""
        self.dismiss(None)
