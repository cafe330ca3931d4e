"""The approach picker: a Select whose options change with every item."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import Select


class ApproachSelect(Select[str]):
    """A Select that swaps its options and its value in one call."""

    def replace(self, options: Iterable[tuple[str, str]], value: str | None) -> None:
        """Show these options with ``value`` chosen (``None``: nothing chosen)."""
        self.set_options(options)
        self.value = Select.NULL if value is None else value
