"""The capacity calculator beside an item (F8 in the workspace): the lead types the figures, the
results follow, and a button puts the result's sentence into the decision's rationale or KPIs.

The figures are kept in the design under the item through the session, as every change is (the
autosave writes them); results are recomputed from them, never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static, TabbedContent, TextArea

from wizard.capacity import CALCULATOR_ITEMS, Calculator, calculators_for, result_sentence
from wizard.content import Item
from wizard.tui.screens.common import make_compact
from wizard.tui.widgets.capacity import TITLES, CapacityLine, Inputs, stored_inputs, with_inputs
from wizard.tui.widgets.capacity.form import CapacityForm

if TYPE_CHECKING:
    from wizard.tui.screens.workspace import WorkspaceScreen

Target = Literal["rationale", "kpis"]


@dataclass(frozen=True)
class Insert:
    """What the calculator hands back to put into the decision: the result's sentence, and where."""

    target: Target
    text: str


class CapacityScreen(Screen[Insert | None]):
    """One calculator for one item: its figures, its results as they are typed, and the buttons that
    put the result into the decision. A whole screen, not a dialog over the workspace: it needs every
    line at 80x24, and a workspace drawn beneath it would be drawn again on every key."""

    DEFAULT_CSS = """
    CapacityScreen { align: center middle; }
    CapacityScreen .capacity-dialog {
        width: 100%; max-width: 100; height: 100%; max-height: 44;
        background: $surface; padding: 0 1;
    }
    CapacityScreen .capacity-title { text-style: bold; color: $accent; }
    CapacityScreen #capacity-read-only { color: $warning; height: auto; }
    CapacityScreen .dialog-buttons { margin: 0; }
    """
    HELP = """\
## Capacity calculator

Type the figures; the results follow as you type, and the figures are saved in the design under
this item (the results are recomputed from them, never stored). A figure the calculator cannot use
shows why on the red line, and the last figures that worked stay saved.

- **Queue staffing** (Erlang C; items 3.1.1, 3.1.2, 3.3.2, 3.3.4, 3.3.8): visit length and the
  answer target (the percent of patients answered within so many minutes), shrinkage (the percent
  of paid time not on visits), and the arrivals an hour: one figure, or one for each hour of the
  day (a blank hour is 0; paste a column of 24 figures into 00:00 to fill the day). Each hour shows
  the clinicians on shift and scheduled, the percent answered in time, the chance of waiting at
  all, the average wait and the occupancy.
- **Panel size** (3.3.3): visits a clinician offers a day, working days a year, visits a patient
  needs a year.
- **Overbooking** (3.3.6): slots in a session, the no-show rate, and the overflow risk you accept.

*Insert into rationale* (F10) and *Insert into KPIs* add the result's sentence to the decision
and show it there. *Remove figures* takes the calculator's figures off the item. Escape closes.
"""
    BINDINGS = [
        Binding("escape", "close", "Close", id="capacity-close", tooltip="Close the calculator"),
        Binding(
            "f10",
            "insert('rationale')",
            "Into rationale",
            id="capacity-insert-rationale",
            tooltip="Put the result's sentence into the decision's rationale",
        ),
    ]

    def __init__(
        self,
        item: Item,
        calculator: Calculator,
        stored: Inputs | None,
        store: Callable[[Inputs | None], None] | None,
    ) -> None:
        """``store`` keeps new figures in the design (None: read-only, nothing is kept)."""
        super().__init__()
        self.item = item
        self.calculator = calculator
        self.stored = stored
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical(classes="capacity-dialog"):
            yield Static(f"{self.item.number} {self.item.title}: {TITLES[self.calculator]}", classes="capacity-title")
            if self.store is None:
                yield Static("Read-only: the figures are not saved.", id="capacity-read-only")
            yield CapacityForm(self.calculator, self.stored, id="capacity-form")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Into rationale (F10)", id="capacity-insert-rationale", variant="primary", compact=True)
                yield Button("Into KPIs", id="capacity-insert-kpis", compact=True)
                yield Button("Remove figures", id="capacity-remove", variant="warning", compact=True)
                yield Button("Close", id="capacity-close", compact=True)

    def on_mount(self) -> None:
        """Start on the first figure."""
        make_compact(self)
        self._enable_buttons()
        self.query_one("#capacity-form").query("FigureInput").first().focus()

    def _enable_buttons(self) -> None:
        form = self.query_one(CapacityForm)
        writable = self.store is not None
        for button_id in ("#capacity-insert-rationale", "#capacity-insert-kpis"):
            self.query_one(button_id, Button).disabled = not writable or form.result is None
        self.query_one("#capacity-remove", Button).disabled = not writable or form.stored is None

    @on(CapacityForm.Calculated)
    def _calculated(self, event: CapacityForm.Calculated) -> None:
        """New figures that read into inputs are kept in the design; the last that did stay kept while
        the figures on screen cannot be read."""
        if self.store is not None and event.inputs is not None and event.inputs != event.form.stored:
            self.store(event.inputs)
            event.form.stored = event.inputs
        self._enable_buttons()

    def action_insert(self, target: Target) -> None:
        """Hand the result's sentence back, to go into the rationale or the KPIs."""
        form = self.query_one(CapacityForm)
        if self.store is None:
            self.notify("Read-only: nothing can be inserted here.", severity="warning")
            return
        if form.result is None:
            self.notify(form.problem or "Type the figures first.", severity="warning")
            return
        self.dismiss(Insert(target, result_sentence(form.result)))

    @on(Button.Pressed, "#capacity-insert-rationale")
    def _insert_rationale(self) -> None:
        self.action_insert("rationale")

    @on(Button.Pressed, "#capacity-insert-kpis")
    def _insert_kpis(self) -> None:
        self.action_insert("kpis")

    @on(Button.Pressed, "#capacity-remove")
    def _remove(self) -> None:
        if self.store is None:
            return
        self.store(None)
        self.query_one(CapacityForm).clear()
        self._enable_buttons()
        self.notify(f"The {TITLES[self.calculator].lower()} figures were removed from {self.item.number}.")
        self.query_one("#capacity-form").query("FigureInput").first().focus()

    @on(Button.Pressed, "#capacity-close")
    def action_close(self) -> None:
        """Close (the figures are already kept)."""
        self.dismiss(None)


# ---------------------------------------------------------------------------
# The workspace's side: open the calculator of the item on screen, keep its figures, insert its result
# ---------------------------------------------------------------------------


def served_items_text(workspace: WorkspaceScreen) -> str:
    """The numbers of the items some calculator serves, for a message."""
    items = workspace.session.pack.items_by_id
    slugs = {slug for serves in CALCULATOR_ITEMS.values() for slug in serves}
    return ", ".join(item.number for item in workspace.session.pack.items if item.id in slugs and item.id in items)


def open_calculator(workspace: WorkspaceScreen) -> None:
    """Open the calculator beside the item on screen (a message when none serves it)."""
    session, slug = workspace.session, workspace.current
    item = session.pack.items_by_id[slug]
    calculators = calculators_for(slug)
    if not calculators:
        workspace.notify(f"No capacity calculator serves {item.number}; they serve {served_items_text(workspace)}.")
        return
    calculator = calculators[0]

    def store(inputs: Inputs | None) -> None:
        decision = session.decision(slug)
        decision.capacity = with_inputs(decision.capacity, calculator, inputs)
        _mark_drafting(workspace, slug)
        session.touch(slug)
        workspace.post_message(workspace.DesignChanged(slug))

    def done(insert: Insert | None) -> None:
        if workspace.current != slug:
            return
        workspace.query_one(CapacityLine).show(calculators, session.design.decision(slug).capacity)
        if insert is not None:
            insert_result(workspace, insert)

    stored = stored_inputs(session.design.decision(slug).capacity, calculator)
    screen = CapacityScreen(item, calculator, stored, None if session.read_only else store)
    workspace.app.push_screen(screen, done)


def _mark_drafting(workspace: WorkspaceScreen, slug: str) -> None:
    """A change to an open item makes it drafting, as typing in its form does."""
    from wizard.tui.screens.workspace.form import DecisionForm

    decision = workspace.session.decision(slug)
    if decision.status == "open" and not decision.is_blank():
        decision.status = "drafting"
        if workspace.current == slug:
            workspace.query_one(DecisionForm).show_status("drafting")


def insert_result(workspace: WorkspaceScreen, insert: Insert) -> None:
    """Add the sentence to the decision of the item on screen (once), then show it in the form."""
    from wizard.tui.screens.workspace.form import DecisionForm

    session, slug = workspace.session, workspace.current
    decision = session.decision(slug)
    if insert.target == "rationale":
        if insert.text in decision.rationale:
            workspace.notify("The sentence is already in the rationale.")
            return
        kept = decision.rationale.rstrip()
        decision.rationale = f"{kept}\n\n{insert.text}" if kept else insert.text
    else:
        if insert.text in decision.kpis:
            workspace.notify("The sentence is already among the KPIs.")
            return
        decision.kpis = [*decision.kpis, insert.text]
    _mark_drafting(workspace, slug)
    session.touch(slug)
    workspace.post_message(workspace.DesignChanged(slug))
    workspace.query_one("#tabs", TabbedContent).active = "tab-decision"
    item = session.pack.items_by_id[slug]
    workspace.query_one(DecisionForm).fill(item, decision, session.design.context)
    area = workspace.query_one("#rationale" if insert.target == "rationale" else "#kpis", TextArea)

    def show_it() -> None:
        area.focus()
        area.move_cursor(area.document.end)

    workspace.call_after_refresh(show_it)
    where = "rationale" if insert.target == "rationale" else "KPIs"
    workspace.notify(f"Inserted the result into the {where} of {item.number}.")
