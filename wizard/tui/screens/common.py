"""Small screens shared by the others: the too-small message and a choice dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from wizard.tui.app import TeleWizardApp


def wizard_app(node: DOMNode) -> TeleWizardApp:
    """The running app, typed."""
    return cast("TeleWizardApp", node.app)


class TooSmallScreen(ModalScreen[None]):
    """Covers the app while the terminal is below the minimum size."""

    HELP = "The terminal is too small. Make the window larger; nothing is lost meanwhile."

    def __init__(self, min_width: int, min_height: int) -> None:
        super().__init__()
        self.min_width = min_width
        self.min_height = min_height

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-message")

    def on_mount(self) -> None:
        """Show the current size."""
        self.update_size(*self.app.size)

    def update_size(self, width: int, height: int) -> None:
        """Refresh the message with the terminal's size."""
        self.query_one("#too-small-message", Static).update(
            f"telewizard needs a terminal of at least {self.min_width}x{self.min_height}.\n"
            f"This one is {width}x{height}. Make the window larger; your work is safe."
        )


class ChoiceScreen(ModalScreen[str]):
    """A question with a few labelled answers; returns the id of the answer chosen.

    It can come up while the user is typing (a save found the file changed on disk): for its first
    ``ARMING_DELAY`` seconds no answer has the focus and every key is ignored, so an Enter, a space or an
    Escape meant for a text field never answers it. The mouse works at once.
    """

    HELP = "Choose one of the answers with Tab and Enter. Escape picks the safe default (highlighted)."
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "choose_default", "Cancel", id="choice-cancel")]
    AUTO_FOCUS = ""  # the default answer takes the focus only once the dialog is armed
    ARMING_DELAY = 0.6
    """Seconds the dialog ignores keys after it appears: longer than the gap between a typist's keys."""

    def __init__(self, title: str, text: str, choices: list[tuple[str, str]], default: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.choices = choices
        self.default = default
        self.armed = False
        """False for the first moment on screen, while keys typed for a field may still arrive."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.text, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                for answer, label in self.choices:
                    yield Button(
                        label,
                        id=f"choice-{answer}",
                        variant="primary" if answer == self.default else "default",
                    )

    def on_mount(self) -> None:
        """Arm the dialog after a moment."""
        make_compact(self)
        self.set_timer(self.ARMING_DELAY, self._arm)

    def _arm(self) -> None:
        self.armed = True
        if self.focused is None:  # a click may have chosen already
            self.query_one(f"#choice-{self.default}", Button).focus()

    def on_key(self, event: events.Key) -> None:
        """Ignore every key (and its bindings) until armed."""
        if not self.armed:
            event.stop()
            event.prevent_default()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_choose_default(self) -> None:
        """Escape: the safe default."""
        self.dismiss(self.default)


def say(screen: Screen[Any], selector: str, text: str) -> None:
    """Show a field's error or warning line, or hide it when there is nothing to say (an empty line under
    every field would push a dialog's buttons off an 80x24 screen)."""
    line = screen.query_one(selector, Static)
    line.update(text)
    line.display = bool(text)


def hide_empty_messages(screen: Screen[Any]) -> None:
    """Hide the error and warning lines that say nothing yet (see ``say``)."""
    for line in screen.query(".field-error, .field-warning").results(Static):
        if not str(line.content):
            line.display = False


def make_compact(screen: Screen[Any]) -> None:
    """Borderless inputs, selects and buttons, and no empty message lines: the wizard must fit 80x24."""
    hide_empty_messages(screen)
    for widget in screen.query("Input, Select, Button"):
        widget.compact = True  # type: ignore[attr-defined]
    if getattr(screen.app, "stable", False):
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
