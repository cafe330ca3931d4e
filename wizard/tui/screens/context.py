"""The clinical context: title, organization, lead, file path, care model, roles, visit types."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static

from wizard.content import ContentPack
from wizard.project import ClinicalContext, ProjectInfo, slugify
from wizard.tui.screens.common import make_compact, wizard_app
from wizard.tui.widgets.checklist import CheckList
from wizard.tui.widgets.fields import TextInput


@dataclass
class ContextResult:
    """What the context screen returns when editing an open design."""

    title: str
    organization: str
    lead: str
    care_model: str
    care_model_note: str
    roles: list[str]
    visit_types: list[str]


class ContextScreen(Screen[ContextResult | None]):
    """Set (or change) the design's clinical context; guidance follows it."""

    HELP = """\
## Clinical context

The context makes the guidance specific: the notes for your care model, roles and visit types
come first, and options recommended for it are marked ★ (⚠ marks options to use with caution).

- **Title** is required; **organization** and **operations lead** appear on the playbook's title
  block; the **file path** defaults to a name made from the title (new designs only).
- **Care model**: choose one; *Other* needs a short note.
- **Roles** and **visit types**: choose at least one each (Space toggles, arrows move); a chosen
  one shows ✓ in its box.

F10 (or the button, or Enter in a text field) saves; Escape cancels.
"""
    BINDINGS = [
        Binding("f10", "done", "Save context", id="context-done", tooltip="Validate and continue"),
        Binding("escape", "cancel", "Cancel", id="context-cancel"),
    ]

    def __init__(
        self,
        pack: ContentPack,
        *,
        new_path: Path | None = None,
        project: ProjectInfo | None = None,
        context: ClinicalContext | None = None,
    ) -> None:
        super().__init__()
        self.pack = pack
        self.is_new = project is None
        self.new_path = new_path
        self.project = project or ProjectInfo()
        self.context = context or ClinicalContext()
        self._path_edited = new_path is not None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="context-form"):
            yield Static(
                "New design: clinical context" if self.is_new else "Clinical context",
                classes="screen-title",
            )
            yield Label("Title (required)")
            yield TextInput(
                self.project.title,
                placeholder="e.g. Riverbend Virtual Urgent Care",
                id="title",
                select_on_focus=False,  # typing after Tab must not replace what was written
            )
            yield Static("", id="title-error", classes="field-error")
            with Horizontal(classes="pair"):
                with Vertical():
                    yield Label("Organization")
                    yield TextInput(
                        self.project.organization,
                        placeholder="e.g. Riverbend Health",
                        id="organization",
                        select_on_focus=False,
                    )
                with Vertical():
                    yield Label("Operations lead (name, role)")
                    yield TextInput(
                        self.project.lead,
                        placeholder="e.g. Dana Ortiz, Director of Virtual Care",
                        id="lead",
                        select_on_focus=False,
                    )
            if self.is_new:
                yield Label("File path (where the design is saved)")
                default = str(self.new_path) if self.new_path else ""
                yield TextInput(default, placeholder="design.toml", id="path")
                yield Static("", id="path-error", classes="field-error")
            yield Label("Care model (one)")
            options = [(entry.label, entry.id) for entry in self.pack.care_models]
            yield Select(
                options,
                value=self.context.care_model or Select.NULL,
                prompt="Choose the care delivery model",
                id="care-model",
            )
            yield TextInput(
                self.context.care_model_note,
                placeholder="Describe the care model (required for Other)",
                id="care-model-note",
                select_on_focus=False,
            )
            yield Static("", id="care-model-error", classes="field-error")
            yield Label("Clinical staff roles (one or more; Space toggles)")
            yield CheckList([(e.label, e.id, e.id in self.context.roles) for e in self.pack.roles], id="roles")
            yield Static("", id="roles-error", classes="field-error")
            yield Label("Visit types (one or more; Space toggles)")
            yield CheckList(
                [(e.label, e.id, e.id in self.context.visit_types) for e in self.pack.visit_types], id="visit-types"
            )
            yield Static("", id="visit-types-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create design" if self.is_new else "Save context", id="context-done", variant="primary")
                yield Button("Cancel", id="context-cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Focus the title; show the note field only for Other."""
        self._clear_errors()
        self.query_one("#title", Input).focus()
        self._sync_note()
        make_compact(self)

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        if self.is_new and not self._path_edited:
            self.query_one("#path", Input).value = f"{slugify(event.value)}.toml" if event.value.strip() else ""

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        if self.focused is event.input:
            self._path_edited = True

    @on(Select.Changed, "#care-model")
    def _sync_note(self) -> None:
        value = self.query_one("#care-model", Select).value
        self.query_one("#care-model-note", Input).display = value == "other"

    @on(Input.Submitted)
    @on(Button.Pressed, "#context-done")
    def action_done(self) -> None:
        """Validate; create the design (new) or return the new context (editing)."""
        result = self._validate()
        if result is None:
            return
        if not self.is_new:
            self.dismiss(result)
            return
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        self.app.pop_screen()
        wizard_app(self).create_design(
            path,
            self.pack,
            title=result.title,
            organization=result.organization,
            lead=result.lead,
            care_model=result.care_model,
            care_model_note=result.care_model_note,
            roles=result.roles,
            visit_types=result.visit_types,
        )

    def _error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(message)
        error.display = bool(message)  # an empty line under every field would push the form off screen

    def _clear_errors(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
            error.display = False

    def _validate(self) -> ContextResult | None:
        self._clear_errors()
        ok = True
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self._error("title", "A title is required.")
            ok = False
        if self.is_new:
            raw = self.query_one("#path", Input).value.strip()
            path = Path(raw).expanduser() if raw else None
            if path is None:
                self._error("path", "A file path is required.")
                ok = False
            elif path.suffix != ".toml":
                self._error("path", "The file name must end in .toml.")
                ok = False
            elif path.exists():
                self._error("path", f"{path} already exists; choose another name or open it from the welcome screen.")
                ok = False
            elif path.parent.exists() and not path.parent.is_dir():
                self._error("path", f"{path.parent} is not a folder.")
                ok = False
        care = self.query_one("#care-model", Select).value
        note = self.query_one("#care-model-note", Input).value.strip()
        if care is Select.NULL or not isinstance(care, str):
            self._error("care-model", "Choose a care model.")
            ok = False
        elif care == "other" and not note:
            self._error("care-model", "Describe the care model in a few words.")
            ok = False
        roles = list(self.query_one("#roles", SelectionList).selected)
        visits = list(self.query_one("#visit-types", SelectionList).selected)
        if not roles:
            self._error("roles", "Choose at least one role.")
            ok = False
        if not visits:
            self._error("visit-types", "Choose at least one visit type.")
            ok = False
        if not ok:
            self.notify("Some fields need attention.", severity="warning")
            return None
        order = {name: [e.id for e in self.pack.vocabulary(name)] for name in ("roles", "visit_types")}
        return ContextResult(
            title=title,
            organization=self.query_one("#organization", Input).value.strip(),
            lead=self.query_one("#lead", Input).value.strip(),
            care_model=str(care),
            care_model_note=note if care == "other" else "",
            roles=[r for r in order["roles"] if r in roles],
            visit_types=[v for v in order["visit_types"] if v in visits],
        )

    @on(Button.Pressed, "#context-cancel")
    def action_cancel(self) -> None:
        """Leave without changing anything."""
        self.dismiss(None)
