"""Export the playbook from the wizard: format, path, preview, write."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from wizard.paths import default_export_path
from wizard.playbook import render
from wizard.project import DesignError, write_export
from wizard.tui.screens.common import make_compact
from wizard.tui.session import DesignSession
from wizard.tui.widgets.fields import TextInput

PREVIEW_LABELS = {
    "markdown": "Preview: the Markdown file, as it will be written",
    "html": "Preview: the text the HTML file shows, laid out for screen and print",
}
"""What the preview is, for each format (the preview is the Markdown the HTML is rendered from)."""


class ExportScreen(ModalScreen[Path | None]):
    """Pick a format and a path, read the preview, write the file."""

    HELP = """\
## Export the playbook

The playbook is the document a medical director or compliance officer reviews and signs:
context, a summary table, every decision, open items, design principles, temporary rules
(check before use), a sign-off table and references.

Choose **Markdown** or **HTML** (one self-contained file for people who will not read
Markdown), check the path (default: `exports/` beside the design file), read the preview,
then **Write** (F10). An existing file at the path is replaced.
"""
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="export-cancel"),
        Binding("f10", "write", "Write", id="export-write"),
    ]

    def __init__(self, session: DesignSession) -> None:
        super().__init__()
        self.session = session
        self.fmt = "markdown"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog export-dialog"):
            yield Static("Export the playbook", classes="dialog-title")
            with Horizontal(id="export-options"):
                with Vertical(id="export-format-box"):
                    yield Label("Format")
                    yield Select[str](
                        [("Markdown (.md)", "markdown"), ("HTML (.html)", "html")],
                        value="markdown",
                        allow_blank=False,
                        id="export-format",
                    )
                with Vertical():
                    yield Label("Write to")
                    yield TextInput(str(default_export_path(self.session.path, "markdown")), id="export-path")
            yield Static("", id="export-target")
            yield Label(PREVIEW_LABELS["markdown"], id="export-preview-label")
            yield TextArea("", id="export-preview", read_only=True, soft_wrap=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write", id="export-write", variant="primary")
                yield Button("Close", id="export-cancel")

    def on_mount(self) -> None:
        """Render the preview."""
        self.query_one("#export-preview", TextArea).text = render(self.session.design, self.session.pack, "markdown")
        self.query_one("#export-format", Select).focus()
        make_compact(self)
        self._show_target()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.fmt:
            return
        self.fmt = str(event.value)
        path_input = self.query_one("#export-path", Input)
        path_input.value = str(default_export_path(self.session.path, self.fmt))
        self.query_one("#export-preview-label", Label).update(PREVIEW_LABELS[self.fmt])

    @on(Input.Changed, "#export-path")
    def _show_target(self) -> None:
        """The whole path written, in full (the field is narrower than most paths)."""
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.query_one("#export-target", Static).update("Give a path to write to.")
            return
        target = Path(text).expanduser().absolute()
        home = Path.home()
        shown = f"~/{target.relative_to(home)}" if target.is_relative_to(home) else str(target)
        self.query_one("#export-target", Static).update(f"Writes {shown}")

    @on(Button.Pressed, "#export-write")
    def action_write(self) -> None:
        """Write the playbook in a worker; say where."""
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.notify("Give a path to write the playbook to.", severity="warning")
            return
        self._write(Path(text).expanduser(), self.fmt)

    @work(exclusive=True, thread=True)
    def _write(self, path: Path, fmt: str) -> None:
        try:
            write_export(path, render(self.session.design, self.session.pack, fmt))
        except (DesignError, ValueError) as exc:
            self.app.call_from_thread(self.notify, f"Not written: {exc}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self._written, path)

    def _written(self, path: Path) -> None:
        self.app.notify(f"Playbook written to {path}", title="Exported", timeout=10)
        self.dismiss(path)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)
