"""Which field has the focus, without colour: its label (the Label just before it) is shown in reverse
video while it has the focus. The field itself gets a bar at its left edge from ``app.tcss``."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Label, Select

FOCUSED_LABEL = "-focused-label"
"""The class a focused field's label carries (styled in ``app.tcss``)."""


def label_of(widget: Widget) -> Label | None:
    """The Label right before a field (or before the Select whose list is open), if there is one."""
    while isinstance(widget.parent, Select):
        widget = widget.parent
    parent = widget.parent
    if parent is None:
        return None
    siblings = list(parent.children)
    index = siblings.index(widget)
    before = siblings[index - 1] if index > 0 else None
    return before if isinstance(before, Label) else None


def mark_label(widget: Widget, focused: bool) -> None:
    """Show (or stop showing) that the field's label belongs to the focused field."""
    label = label_of(widget)
    if label is not None:
        label.set_class(focused, FOCUSED_LABEL)
