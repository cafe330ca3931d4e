"""Text fields that apply keys in the order they were typed.

Textual's Input and TextArea insert a typed character in their own key handler, but run their editing
keys (backspace, delete, arrows, home, end...) as bindings, after the key has gone up to the app. When
keys arrive together (a fast typist, a laggy SSH link, a key macro), a character typed after a
backspace is inserted first: "ba", backspace, "c" gave "ba" instead of "bc" (Textual issue 6605,
fix proposed upstream in pull request 6631). These fields run their own bindings in their key handler,
so every key is applied in turn. Bindings of the screen and the app, and priority bindings (checked
before the key reaches the field), are left to the app as before.

Across fields (a Tab, then more characters) the order is kept by the app (``wizard.tui.input_order``),
which also hands a key on only once the one before it has been handled; these fields keep the order
even where that does not apply (held input handed on after ``LONGEST_HOLD``, an app of the tests).
This is one of the README's "check on upgrade" places.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, TextArea


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run the widget's own (non-priority) binding for this key at once; True when one ran."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False


class TextInput(Input):
    """An Input whose editing keys are applied in typing order, and whose cursor is at the end of
    what is written when the focus comes to it (typing after a Tab adds to the text)."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)

    def on_focus(self, event: events.Focus) -> None:
        """Put the cursor at the end (a click then puts it where it points, after this)."""
        if not event.from_app_focus:  # the terminal window coming back keeps the cursor where it was
            self.cursor_position = len(self.value)


class TextEditor(TextArea):
    """A TextArea whose editing keys are applied in typing order, and whose cursor is at the end of
    the text when the focus comes to it (typing after a Tab adds to the text)."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)

    def on_focus(self, event: events.Focus) -> None:
        """Put the cursor at the end (a click then puts it where it points, after this)."""
        if not event.from_app_focus:
            self.move_cursor(self.document.end)


class LineEditor(TextEditor):
    """A short text that wraps over two or three lines but stays one paragraph: Enter goes on to the
    next field, as it does in a one-line field (a pasted line break is kept)."""

    BINDINGS = [Binding("enter", "next_field", "Next field", show=False)]

    def action_next_field(self) -> None:
        """Enter: on to the next field."""
        self.screen.focus_next()
