"""Small dialogs of the decision form: why an item is not applicable, and which suggested KPIs to add."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from wizard.content import KPI, Item
from wizard.tui.screens.common import make_compact, say
from wizard.tui.widgets.checklist import CheckList
from wizard.tui.widgets.fields import TextInput


def kpi_line(kpi: KPI) -> str:
    """A suggested measure as one line of the decision's KPI list: its name, and its target if any."""
    return f"{kpi.name}: {kpi.target}" if kpi.target else kpi.name


class NotApplicableScreen(ModalScreen[str | None]):
    """Ask why an item is not applicable: one line, kept as the decision's summary (the playbook shows
    it as "Why not applicable"). Returns the reason, or None when cancelled."""

    HELP = """\
## Not applicable

Say in one line why this item does not apply to the service (for example "We offer no group
visits"). The playbook prints it under the item as *Why not applicable*, so the reviewer sees the
reason, not a blank. Enter saves; Escape leaves the status as it was.
"""
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="reason-cancel"),
        Binding("f10", "save", "Save", id="reason-save"),
    ]

    def __init__(self, item: Item, reason: str) -> None:
        super().__init__()
        self.item = item
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"{self.item.number} {self.item.title}: not applicable", classes="dialog-title")
            yield Label("Why is this item not applicable here? (one line, shown in the playbook)")
            yield TextInput(
                " ".join(self.reason.split()),
                placeholder="e.g. We offer no such visits: patients go to their own primary care.",
                id="reason",
                select_on_focus=False,
            )
            yield Static("", id="reason-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Not applicable", id="reason-save", variant="primary")
                yield Button("Cancel", id="reason-cancel")

    def on_mount(self) -> None:
        """Start in the reason."""
        make_compact(self)
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#reason-save")
    def action_save(self) -> None:
        """Return the reason (one is needed)."""
        reason = " ".join(self.query_one("#reason", Input).value.split())
        if not reason:
            say(self, "#reason-error", "Say why, in a few words: the reviewer reads it.")
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#reason-cancel")
    def action_cancel(self) -> None:
        """Close; the item keeps the status it had."""
        self.dismiss(None)


class KpiOfferScreen(ModalScreen[list[str] | None]):
    """The item's suggested KPIs that fit the chosen approach and are not listed yet, ticked; the ones
    left ticked are added. Returns their lines, or None when cancelled."""

    HELP = """\
## Suggested KPIs

The measures the content suggests for this item that fit the approach you chose and are not in
your list yet, each with its target where a source gives one. Space ticks or unticks one; Enter
or F10 adds the ticked ones (edit their targets to your program's afterwards). Escape adds none.
"""
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="kpis-cancel"),
        Binding("f10", "add", "Add ticked", id="kpis-add"),
    ]

    def __init__(self, item: Item, approach: str, offered: list[KPI]) -> None:
        super().__init__()
        self.item = item
        self.approach = approach
        self.offered = offered

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog kpi-dialog"):
            yield Static(f"Suggested KPIs for {self.item.number} {self.item.title}", classes="dialog-title")
            fit = f"that fit {self.approach!r}" if self.approach else "for this item"
            yield Static(f"Measures {fit}, not in your list yet. Space unticks; Enter adds.", classes="dialog-text")
            yield CheckList([(kpi_line(kpi), str(index), True) for index, kpi in enumerate(self.offered)], id="offered")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add ticked", id="kpis-add", variant="primary")
                yield Button("Cancel", id="kpis-cancel")

    def on_mount(self) -> None:
        """Start in the list."""
        make_compact(self)
        self.query_one("#offered", CheckList).focus()

    def on_key(self, event: events.Key) -> None:
        """Enter in the list adds the ticked measures (Space ticks)."""
        if event.key == "enter" and self.focused is self.query_one("#offered"):
            event.stop()
            event.prevent_default()
            self.action_add()

    @on(Button.Pressed, "#kpis-add")
    def action_add(self) -> None:
        """Return the ticked measures as lines."""
        ticked = {int(value) for value in self.query_one("#offered", CheckList).selected}
        self.dismiss([kpi_line(kpi) for index, kpi in enumerate(self.offered) if index in ticked])

    @on(Button.Pressed, "#kpis-cancel")
    def action_cancel(self) -> None:
        """Add nothing."""
        self.dismiss(None)
