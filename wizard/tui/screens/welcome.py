"""The welcome screen: new design, recent designs, open a path, open the example."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Header, Input, Static

from wizard import recent
from wizard.content import DEFAULT_PACK_ID
from wizard.tui.screens.common import make_compact, say, wizard_app
from wizard.tui.widgets.fields import TextInput


class OpenPathScreen(ModalScreen[Path | None]):
    """Ask for the path of a design file."""

    HELP = "Type the path of a design file (.toml), then Enter. A path that does not exist starts a new design."
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="open-cancel")]

    def __init__(self, title: str = "Open a design", value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield TextInput(self.value, placeholder="path/to/design.toml", id="open-path")
            yield Static("", id="open-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open", id="open-ok", variant="primary")
                yield Button("Cancel", id="open-cancel")

    def on_mount(self) -> None:
        """Compact fields."""
        make_compact(self)

    @on(Input.Submitted, "#open-path")
    @on(Button.Pressed, "#open-ok")
    def _submit(self) -> None:
        text = self.query_one("#open-path", Input).value.strip()
        if not text:
            say(self, "#open-error", "Type a path first.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            say(self, "#open-error", f"{path} is a folder; give a .toml file inside it.")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#open-cancel")
    def action_cancel(self) -> None:
        """Close without opening."""
        self.dismiss(None)


class WelcomeScreen(Screen[None]):
    """Start here: a new design, a recent one, a file, or the example."""

    HELP = """\
## Welcome

- **New design** (N): set the clinical context, then walk the 40 items.
- **Open a file** (O): type the path of a design file.
- **Open the example** (E): a worked design for a virtual urgent care program (a copy; the
  original is never changed).
- **Recent designs**: the most recent has the focus when the screen opens, so Enter resumes
  it; Up and Down move, Enter opens the highlighted one; Delete removes it from the list (the
  file itself is not touched). Missing files are marked. Down from the buttons goes to the list,
  Up from its first line back to the buttons.
"""
    BINDINGS = [
        Binding("n", "new", "New", id="welcome-new", tooltip="Start a new design"),
        Binding("o", "open", "Open", id="welcome-open", tooltip="Open a design file by path"),
        Binding("e", "example", "Example", id="welcome-example", tooltip="Open the bundled example"),
        Binding("delete", "forget", "Remove", id="welcome-forget", tooltip="Remove from recent list"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Vertical(*self._body(), id="welcome")
        yield Footer(compact=True)

    def _body(self) -> list[Widget]:
        table: DataTable[object] = DataTable(id="recent", cursor_type="row", zebra_stripes=True)
        table.add_columns("Title", "Progress", "Last change", "Path")
        return [
            Static(
                "Design the clinical workflows of a telehealth service, item by item, with guidance for "
                "your care model, staff and visit types. Every keystroke is saved; export a playbook for sign-off.",
                id="welcome-intro",
            ),
            Horizontal(
                Button("New design", id="new", variant="primary", compact=True),
                Button("Open a file", id="open", compact=True),
                Button("Open the example", id="example", compact=True),
                id="welcome-buttons",
            ),
            Static("Recent designs", classes="section-title"),
            table,
            Static("", id="recent-empty"),
        ]

    def on_mount(self) -> None:
        """Fill the recent list; the most recent design has the focus, so Enter resumes it."""
        self.refresh_recent()
        make_compact(self)
        table = self.query_one("#recent", DataTable)
        if table.row_count:
            table.move_cursor(row=0)
            table.focus()
        else:
            self.query_one("#new", Button).focus()

    def on_key(self, event: events.Key) -> None:
        """Down from the buttons goes to the recent list; Up from its first line back to the buttons;
        Left and Right move along the buttons."""
        table = self.query_one("#recent", DataTable)
        focused = self.focused
        if isinstance(focused, Button):
            buttons = list(self.query("#welcome-buttons Button").results(Button))
            index = buttons.index(focused)
            if event.key == "down" and table.row_count:
                table.focus()
            elif event.key in ("left", "right"):
                buttons[(index + (1 if event.key == "right" else -1)) % len(buttons)].focus()
            else:
                return
        elif focused is table and event.key == "up" and table.cursor_row == 0:
            self.query_one("#new", Button).focus()
        else:
            return
        event.stop()
        event.prevent_default()

    def on_screen_resume(self) -> None:
        """Coming back from a design: its progress changed."""
        self.refresh_recent()

    def refresh_recent(self) -> None:
        """Reload the recent list from disk."""
        table = self.query_one("#recent", DataTable)
        table.clear()
        entries = recent.load_recent()
        for entry in entries:
            title = entry.title or "(untitled)"
            if entry.missing:
                title = f"✗ missing: {title}"
            shown_path = entry.path
            home = str(Path.home())
            if shown_path.startswith(home + "/"):
                shown_path = "~" + shown_path[len(home) :]
            table.add_row(Text(title), entry.progress, entry.last_change_display, Text(shown_path), key=entry.path)
        empty = self.query_one("#recent-empty", Static)
        empty.update("" if entries else "No recent designs yet. Start a new one or open the example.")
        table.display = bool(entries)

    @on(Button.Pressed, "#new")
    def action_new(self) -> None:
        """Start a new design."""
        from wizard.tui.screens.context import ContextScreen

        app = wizard_app(self)
        pack = app.load_pack(DEFAULT_PACK_ID)
        app.push_screen(ContextScreen(pack))

    @on(Button.Pressed, "#open")
    def action_open(self) -> None:
        """Ask for a path, then open it."""

        def opened(path: Path | None) -> None:
            if path is not None:
                wizard_app(self).open_design(path)

        self.app.push_screen(OpenPathScreen(), opened)

    @on(Button.Pressed, "#example")
    def action_example(self) -> None:
        """Open the bundled example (a copy)."""
        wizard_app(self).open_example()

    @on(DataTable.RowSelected, "#recent")
    def _open_recent(self, event: DataTable.RowSelected) -> None:
        path = Path(str(event.row_key.value))
        if not path.exists():
            self.notify(f"{path} is missing. Press Delete to remove it from the list.", severity="warning")
            return
        wizard_app(self).open_design(path)

    def action_forget(self) -> None:
        """Remove the highlighted design from the recent list."""
        table = self.query_one("#recent", DataTable)
        if not table.row_count:
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        recent.forget(str(row_key.value))
        self.refresh_recent()
        self.notify("Removed from the recent list (the file itself was not touched).")
