"""The guidance pane: one item's guidance, Markdown drawn by Rich into lines that scroll.

Textual's Markdown widget mounts a widget for every block (about 140 for an item's guidance), which
took most of a second per item. Here the Markdown is rendered once by Rich, at the pane's width, into a
list of lines; the pane shows the lines in view (Textual's line API), and a small cache keeps the
lines of the items shown last so going back and forth renders nothing. Links are written out with
their address, since a terminal reader cannot click them.
"""

from __future__ import annotations

from collections import OrderedDict

from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

CACHED_RENDERS = 24
"""Rendered guidance kept (by Markdown and width): more than a screen's worth of back and forth."""


class GuidanceView(ScrollView, can_focus=True):
    """Shows Markdown, scrolled with the usual keys; ``source`` is the Markdown last shown."""

    DEFAULT_CSS = """
    GuidanceView {
        overflow-x: hidden;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.source = ""
        self._lines: list[Strip] = []
        self._width = 0
        self._renders: OrderedDict[tuple[str, int], list[Strip]] = OrderedDict()

    def show(self, markdown: str) -> None:
        """Replace what is shown and go back to the top."""
        self.source = markdown
        self._lay_out()
        self.scroll_home(animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        """Lay the guidance out again when the width changed."""
        if self.scrollable_content_region.width != self._width:
            self._lay_out()

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        self._width = width
        self._lines = self._rendered(self.source, width) if width > 0 and self.source else []
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def _rendered(self, markdown: str, width: int) -> list[Strip]:
        key = (markdown, width)
        lines = self._renders.get(key)
        if lines is not None:
            self._renders.move_to_end(key)
            return lines
        console = self.app.console
        options = console.options.update(width=width, height=None)
        rendered = console.render_lines(RichMarkdown(markdown, hyperlinks=False), options, pad=False)
        lines = [Strip(Segment.simplify(line)).adjust_cell_length(width) for line in rendered]
        self._renders[key] = lines
        if len(self._renders) > CACHED_RENDERS:
            self._renders.popitem(last=False)
        return lines

    def render_line(self, y: int) -> Strip:
        """One line of the pane (line API)."""
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(0, width, style).apply_style(style)
