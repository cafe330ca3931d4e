"""The approach picker: a Select whose options change with every item, cheaply."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import Select


class ApproachSelect(Select[str]):
    """A Select that swaps its options and value in one step.

    ``Select.set_options`` first clears the value, which toggles the ``-has-value`` class off and on
    again; each toggle restyles the widget and its children. Showing the next item does that on every
    key press, so ``replace`` puts the new options in place and sets the value directly.
    """

    def replace(self, options: Iterable[tuple[str, str]], value: str | None) -> None:
        """Show these options with ``value`` chosen (``None``: nothing chosen)."""
        self._setup_variables_for_options(options)
        self._setup_options_renderables()
        new = Select.NULL if value is None else value
        if new == self.value:
            self.mutate_reactive(Select.value)  # type: ignore[misc]  # same value, new prompt: the label must still change
        else:
            self.value = new
