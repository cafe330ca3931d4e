"""The line in an item's decision form that opens the calculator beside it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from wizard.capacity import Calculator, CapacityInputs, calculate
from wizard.tui.widgets.capacity.figures import SHORT_TITLES, headline, stored_inputs


class CapacityLine(Horizontal):
    """The line in an item's decision form that opens its calculator (F8), with its result in a few
    words. Shown only on the items a calculator serves."""

    DEFAULT_CSS = """
    CapacityLine { height: auto; margin: 1 0 0 0; }
    CapacityLine Button { margin: 0 1 0 0; }
    CapacityLine Static { width: 1fr; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        button = Button("Capacity (F8)", id="open-capacity", action="screen.capacity", compact=True)
        button.can_focus = False  # F8 is the keyboard's way; Tab goes from the summary to the rationale as elsewhere
        yield button
        yield Static("", id="capacity-headline")

    def show(self, calculators: Sequence[Calculator], capacity: CapacityInputs | None) -> None:
        """Show the line for an item served by ``calculators`` (hidden when none serves it)."""
        self.display = bool(calculators)
        if not calculators:
            return
        name = calculators[0]
        self.query_one("#open-capacity", Button).label = f"{SHORT_TITLES[name]} · F8"
        inputs = stored_inputs(capacity, name)
        text = headline(calculate(inputs)) if inputs is not None else "no figures yet"
        static = self.query_one("#capacity-headline", Static)
        if static.content != text:
            static.update(text)
