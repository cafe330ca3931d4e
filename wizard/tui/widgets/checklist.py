"""A multi-choice list whose choices read without colour: only chosen entries carry a check mark."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

CHECK = "✓"


class CheckList(SelectionList[str]):
    """SelectionList of (label, id, chosen) whose box shows ✓ for a chosen entry and nothing otherwise.

    Textual's list draws the same "X" in every box and tells chosen from not chosen by colour alone,
    so every entry looked ticked in a terminal without colour (or to someone who cannot tell them
    apart). The lines are drawn as Textual draws them, with the mark in the box replaced.
    """

    def __init__(self, choices: list[tuple[str, str, bool]], **kwargs: object) -> None:
        super().__init__(*choices, **kwargs)  # type: ignore[arg-type]

    def render_line(self, y: int) -> Strip:
        """One line of the list, with ✓ in the box of a chosen entry and a blank in the others."""
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return line
        segments = list(line)
        if len(segments) < 3 or segments[1].text != Checkbox.BUTTON_INNER:  # the list draws a Checkbox's box
            return line  # not a line with a box (Textual drew something else): leave it as it is
        chosen = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment(CHECK if chosen else " ", segments[1].style)
        return Strip(segments, line.cell_length)
