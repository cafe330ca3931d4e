"""A multi-choice list whose choices read without colour: chosen entries say so in words."""

from __future__ import annotations

from textual.widgets import SelectionList

CHOSEN = "✓ "
NOT_CHOSEN = "  "


class CheckList(SelectionList[str]):
    """SelectionList of (label, id) that prefixes chosen labels with a check mark."""

    def __init__(self, choices: list[tuple[str, str, bool]], **kwargs: object) -> None:
        self.labels = {value: label for label, value, _ in choices}
        super().__init__(
            *[(self._prompt(label, chosen), value, chosen) for label, value, chosen in choices],
            **kwargs,  # type: ignore[arg-type]
        )

    @staticmethod
    def _prompt(label: str, chosen: bool) -> str:
        return f"{CHOSEN if chosen else NOT_CHOSEN}{label}"

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        """Rewrite the prompts so the choice is visible in plain text too."""
        chosen = set(self.selected)
        for index in range(self.option_count):
            value = self.get_option_at_index(index).value
            self.replace_option_prompt_at_index(index, self._prompt(self.labels[value], value in chosen))
