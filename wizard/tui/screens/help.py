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
4. **Record reviews** (F3) as the medical director or compliance officer signs items off.
5. **Export the playbook** (F5) as Markdown or HTML for sign-off.

Status marks: ○ open · ◐ drafting · ● decided · – not applicable. Review marks: ✓ approved ·
✗ changes requested.
"""


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
        keys = ["## Keys on this screen", "", "| Key | Does |", "|---|---|"]
        seen = set()
        for key, active in sorted(self.under.active_bindings.items()):
            binding = active.binding
            if not binding.description or (binding.description, key) in seen:
                continue
            seen.add((binding.description, key))
            keys.append(f"| `{self.app.get_key_display(binding)}` | {binding.description} |")
        keys += ["", "Ctrl+P opens the command palette: go to an item by number or title, and more."]
        with VerticalScroll(classes="dialog help-dialog"):
            yield Static("Help (Escape closes)", classes="dialog-title")
            yield Markdown(f"{own}\n\n{GENERAL}\n\n" + "\n".join(keys))

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
