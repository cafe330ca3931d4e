"""F1: how the wizard works and every key of the current screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

GENERAL = """\
## How telewizard works

1. **Set the clinical context** once: care model, staff roles, visit types. Guidance follows it.
2. **Walk the 40 items** of sections 3.1 to 3.5. For each, read the *Guidance* tab, then record
   the decision on the *Decision* tab: approach, summary, rationale, owner, due date, KPIs.
3. **Everything saves itself** within about a second. The bottom line says when it last saved,
   or why it could not (it keeps retrying; nothing typed is lost).
4. **Record reviews** (F3) as the medical director or compliance officer signs items off, and a
   **sign-off** of the whole design (Ctrl+T): each one is a version the playbook names.
5. **Export the playbook** (F5) as Markdown or HTML for sign-off.

Status marks: ○ open · ◐ drafting · ● decided · – not applicable. Review marks: ✓ approved ·
✗ changes requested. ▶ marks the item on screen.

The field that has the focus has a bar at its left edge and its label in reverse video.
"""


def app_bindings(screen: Screen[object]) -> list[Binding]:
    """The wizard's own keys active on a screen (each has an id), in the order the screen and then the
    app declare them: not the keys of the widget that has the focus (Textual's "Page Right", "Scroll
    Left"...), which every text field and list has and which say nothing about the wizard."""
    declared = [
        binding.id
        for owner in (type(screen), type(screen.app))
        for binding in getattr(owner, "BINDINGS", [])
        if isinstance(binding, Binding) and binding.id
    ]
    rank = {binding_id: index for index, binding_id in enumerate(declared)}
    found: dict[str, Binding] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.id in rank and binding.description:
            found.setdefault(binding.id, binding)
    return sorted(found.values(), key=lambda binding: rank[binding.id or ""])


class HelpScreen(ModalScreen[None]):
    """Help for the screen underneath: its own text, then its keys."""

    BINDINGS = [
        Binding("escape,f1", "close", "Close help", id="help-close"),
    ]

    HELP = "This is the help. Escape or F1 closes it."

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        own = getattr(self.under, "HELP", "") or ""
        keys = ["## Keys on this screen", ""]  # a list, one line a key: a table takes two at 80x24
        for binding in app_bindings(self.under):
            keys.append(f"- `{self.app.get_key_display(binding)}` {binding.tooltip or binding.description}")
        keys += ["", "Ctrl+P opens the command palette: go to an item by number or title, and more."]
        with VerticalScroll(classes="dialog help-dialog"):
            yield Static("Help (Escape closes)", classes="dialog-title")
            yield Markdown("\n".join(keys) + f"\n\n{own}\n\n{GENERAL}")  # the keys first: what F1 is pressed for

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
