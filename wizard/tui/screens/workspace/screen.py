"""The workspace screen: the navigator on the left, the current item on the right (a header, the
decision form and the guidance), and the status line; each change to the design is one DesignChanged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Select, Static, TabbedContent, TabPane, TextArea, Tree
from textual.worker import Worker, WorkerState

from wizard.checks import check_decision, check_design, counts
from wizard.guidance import guidance_markdown, suggested_kpi_lines
from wizard.project import Review, progress
from wizard.tui.screens.common import make_compact, wizard_app
from wizard.tui.screens.workspace.commands import ItemCommands
from wizard.tui.screens.workspace.form import STATUS_OPTIONS, TEXT_FIELDS, DecisionForm, update_if_changed
from wizard.tui.screens.workspace.saving import SAVE_GROUP, Autosave
from wizard.tui.screens.workspace.status_bar import StatusBar
from wizard.tui.session import DesignSession, SaveOutcome
from wizard.tui.widgets.guidance import GuidanceView
from wizard.tui.widgets.navigator import REVIEW_MARKS, Navigator, needs_attention


class WorkspaceScreen(Screen[None]):
    """Decide the 40 items: the navigator on the left, the current item on the right."""

    @dataclass
    class DesignChanged(Message):
        """The live design changed: the navigator, the item's header and warnings and the progress are
        brought up to date (one handler, ``_design_changed``), and a save is scheduled."""

        slug: str | None = None
        """The item whose decision changed; None when the project or the clinical context did."""

    COMMANDS = {ItemCommands}
    HELP = """\
## Workspace

- The **navigator** (left) lists sections with their progress and items with a status mark.
  Enter or a click opens an item. F6 hides it to give the item more room.
- The **Decision** tab holds the form: approach (★ recommended for your context, ⚠ use with
  caution), status, summary, rationale, owner, due date (YYYY-MM-DD), KPIs (one per line;
  the button inserts the suggested ones), notes. Typing in an open item makes it *drafting*.
- The **Guidance** tab (F2) shows what matters for your context first, then why the item
  matters, key questions, the options and their trade-offs, compliance notes, KPIs, references.
- Ctrl+N / Ctrl+R move to the next / previous item, Ctrl+O to the next item still open.
  These work while you type. Ctrl+P opens the command palette: type a number or a title.
- F3 records a review, F4 changes the clinical context, F5 exports the playbook,
  F7 shows only the items that need attention (open, drafting, changes requested).
- F8 opens the capacity calculator beside the items it serves (queue staffing: 3.1.1, 3.1.2,
  3.3.2, 3.3.4, 3.3.8; panel size: 3.3.3; overbooking: 3.3.6), also from the button on the form.
"""
    BINDINGS = [
        # Every key is a priority binding: checked before the focused field sees the key, so it does the
        # same from every field and never edits text (the text areas bind F6 and F7 to select a line and
        # all the text, which the next character typed would replace).
        Binding("ctrl+n", "next_item", "Next", id="next-item", priority=True, tooltip="Next item"),
        Binding("ctrl+r", "previous_item", "Prev", id="previous-item", priority=True, tooltip="Previous item"),
        Binding("ctrl+o", "next_open", "Open", id="next-open", priority=True, tooltip="Next item that needs attention"),
        Binding(
            "f2", "toggle_tab", "Guide", id="toggle-tab", priority=True, tooltip="Switch between decision and guidance"
        ),
        Binding("f3", "review", "Review", id="review", priority=True, tooltip="Record the reviewer's outcome"),
        Binding(
            "f4", "edit_context", "Context", id="edit-context", show=False, priority=True, tooltip="Edit the context"
        ),
        Binding("f5", "export", "Export", id="export", priority=True, tooltip="Export the playbook"),
        Binding(
            "f6",
            "toggle_navigator",
            "Nav",
            id="toggle-navigator",
            show=False,
            priority=True,
            tooltip="Hide/show navigator",
        ),
        Binding(
            "f7",
            "toggle_attention",
            "Attention",
            id="attention",
            show=False,
            priority=True,
            tooltip="Needs attention filter",
        ),
        Binding(
            "f8",
            "capacity",
            "Capacity",
            id="capacity",
            show=False,
            priority=True,
            tooltip="The capacity calculator beside this item",
        ),
    ]

    def __init__(self, session: DesignSession) -> None:
        super().__init__()
        self.session = session
        self.current = ""
        self._guidance_key: tuple[str, str] | None = None
        self._form_key: tuple[str, str] | None = None
        self.autosave = Autosave(self)

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        pack = self.session.pack
        yield Header()
        yield Static("", id="banner")
        with Horizontal(id="main"):
            yield Navigator(pack, self.session.design, id="navigator")
            with Vertical(id="item-pane"):
                yield Static("", id="item-header")
                with TabbedContent(initial="tab-decision", id="tabs"):
                    with TabPane("Decision", id="tab-decision"):
                        yield DecisionForm(pack, id="form")
                    with TabPane("Guidance", id="tab-guidance"):
                        yield GuidanceView(id="guidance")
        yield StatusBar(len(pack.items), id="statusbar")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Show the resume point (or the first item) and the design's state."""
        session = self.session
        self.sub_title = session.design.project.title
        banner = self.query_one("#banner", Static)
        if session.read_only:
            banner.update(f"Opened read-only: {session.read_only_reason}. Changes here are not saved.")
            self.query_one("#form").disabled = True
        else:
            banner.display = False
        make_compact(self)  # the form's widgets are built compact (restyling them after mount is slow)
        resume = session.design.project.resume_at
        first = resume if resume in session.pack.items_by_id else session.pack.items[0].id
        self.show_item(first)
        self._refresh_progress()
        self.show_findings()
        if session.dirty and not session.read_only:
            self.autosave.schedule()
        elif session.file.exists:
            self.autosave.show_saved("Opened")
        session.remember() if session.file.exists and not session.read_only else None

    # -- showing an item ----------------------------------------------------------------------

    def show_item(self, slug: str) -> None:
        """Put an item on screen: header, guidance, the form filled with its decision."""
        self.current = slug
        self.session.set_resume_point(slug)
        self._refresh_form()
        self._refresh_header()
        self._refresh_guidance()
        self._refresh_item_warnings()
        self.call_after_refresh(self.query_one(Navigator).highlight, slug)
        self.autosave.schedule()  # the resume point

    def _shown_key(self) -> tuple[str, str]:
        """What the form and the guidance show depends on: the item and the clinical context."""
        return self.current, self.session.design.context.model_dump_json()

    def _refresh_form(self) -> None:
        """Fill the decision form with the current item's decision, when the decision tab is showing.

        Items passed on the guidance tab skip it: the hidden form is filled when its tab is opened
        (``_tab_opened``), so paging through guidance does not pay for the form's widgets.
        """
        session = self.session
        key = self._shown_key()
        if key == self._form_key or self.query_one("#tabs", TabbedContent).active != "tab-decision":
            return
        self._form_key = key
        item = session.pack.items_by_id[self.current]
        self.query_one(DecisionForm).fill(item, session.design.decision(self.current), session.design.context)

    def _refresh_header(self) -> None:
        item = self.session.pack.items_by_id[self.current]
        decision = self.session.design.decision(self.current)
        status = dict((value, label) for label, value in STATUS_OPTIONS)[decision.status]
        text = f"{item.number} {item.title}   {status}"
        if decision.review:
            state = "approved" if decision.review.state == "approved" else "changes requested"
            text += f"   {REVIEW_MARKS[decision.review.state]} {state}"
        update_if_changed(self.query_one("#item-header", Static), text)

    def _refresh_guidance(self) -> None:
        """Render the current item's guidance for the context, when the guidance tab is showing.

        Items passed on the decision tab skip it: their out-of-date guidance is hidden, and the
        guidance tab renders what it shows when it is opened (``_tab_opened``).
        """
        key = self._shown_key()
        if key == self._guidance_key:
            return
        guidance = self.query_one("#guidance", GuidanceView)
        if self.query_one("#tabs", TabbedContent).active != "tab-guidance":
            guidance.display = False
            return
        self._guidance_key = key
        item = self.session.pack.items_by_id[self.current]
        guidance.show(guidance_markdown(item, self.session.design.context, self.session.pack))

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_opened(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-decision":
            self._refresh_form()
            return
        self._refresh_guidance()
        self.query_one("#guidance", GuidanceView).display = True

    def _refresh_item_warnings(self) -> None:
        item = self.session.pack.items_by_id[self.current]
        found = check_decision(
            item, self.session.design.decision(self.current), self.session.design, wizard_app(self).today()
        )  # type: ignore[attr-defined]
        text = "\n".join(f"⚠ {finding.message}" for finding in found)
        update_if_changed(self.query_one("#item-warnings", Static), text)

    def _refresh_progress(self) -> None:
        numbers = progress(self.session.design, self.session.pack)
        self.query_one(StatusBar).show_progress(numbers["decided"] + numbers["not-applicable"])

    def show_findings(self) -> None:
        """Count the design's errors and warnings (after each save: it checks every item)."""
        errors, warnings = counts(check_design(self.session.design, self.session.pack, wizard_app(self).today()))
        self.query_one(StatusBar).show_findings(errors + warnings)

    # -- editing ---------------------------------------------------------------------------------

    def _changed(self, field: str, value: object) -> None:
        if self.query_one(DecisionForm).filling or self.session.read_only or not self.current:
            return
        if getattr(self.session.design.decision(self.current), field) == value:
            return  # not a change (e.g. a widget echoing the value we just put in it)
        decision = self.session.decision(self.current)
        setattr(decision, field, value)
        if field != "status" and decision.status == "open" and not decision.is_blank():
            decision.status = "drafting"
            self.query_one(DecisionForm).show_status("drafting")
        self.session.touch(self.current)
        self.post_message(self.DesignChanged(self.current))

    @on(DesignChanged)
    def _design_changed(self, event: DesignChanged) -> None:
        """Bring what shows the design up to date, and save."""
        if event.slug is None:  # the project or the context: the form and the guidance follow it
            self.show_item(self.current)
            self.show_findings()
        else:
            self.query_one(Navigator).refresh_item(event.slug)
            if event.slug == self.current:
                self._refresh_header()
                self._refresh_item_warnings()
        self._refresh_progress()
        self.autosave.schedule()

    def design_replaced(self) -> None:
        """The session holds another design now (theirs, reloaded): show it all again."""
        navigator = self.query_one(Navigator)
        navigator.design = self.session.design
        navigator.rebuild()
        self._guidance_key = None
        self._form_key = None
        self.post_message(self.DesignChanged())

    @on(Input.Changed, "#summary")
    @on(Input.Changed, "#owner")
    def _input_changed(self, event: Input.Changed) -> None:
        if event.value != event.input.value:
            return  # a stale echo: the widget has moved on
        self._changed(event.input.id or "", event.value)

    @on(Input.Changed, "#due")
    def _due_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        error = self.query_one("#due-error", Static)
        if not text:
            error.update("")
            self._changed("due", None)
            return
        try:
            due = dt.date.fromisoformat(text)
        except ValueError:
            if len(text) >= 10:
                error.update(f"{text!r} is not a valid date: use YYYY-MM-DD (the last valid date is kept).")
            else:
                error.update("Due date: YYYY-MM-DD")
            return
        error.update("")
        self._changed("due", due)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        field = event.text_area.id or ""
        if field not in TEXT_FIELDS:
            return
        text = event.text_area.text
        if field == "kpis":
            self._changed("kpis", [line.strip() for line in text.split("\n") if line.strip()])
        else:
            self._changed(field, text)

    @on(Select.Changed, "#option")
    def _option_changed(self, event: Select.Changed) -> None:
        if event.value != event.select.value:
            return  # a stale echo (e.g. the value set at mount), not the user's choice
        self._changed("option", "" if event.value is Select.NULL else str(event.value))

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        if event.value != event.select.value:
            return  # a stale echo (e.g. the value set at mount), not the user's choice
        if event.value is not Select.NULL:
            self._changed("status", str(event.value))

    @on(Button.Pressed, "#insert-kpis")
    def _insert_kpis(self) -> None:
        item = self.session.pack.items_by_id[self.current]
        area = self.query_one("#kpis", TextArea)
        present = {line.strip() for line in area.text.split("\n")}
        new = [line for line in suggested_kpi_lines(item) if line not in present]
        if not new:
            self.notify("The suggested KPIs are already in the list.")
            return
        lines = [line for line in area.text.split("\n") if line.strip()] + new
        area.text = "\n".join(lines)
        self.notify(f"Inserted {len(new)} suggested KPI(s); edit the targets to your program's.")

    @on(Tree.NodeSelected, "#navigator")
    def _navigator_selected(self, event: Tree.NodeSelected[str]) -> None:
        slug = event.node.data
        if slug:
            self.show_item(slug)

    # -- moving ------------------------------------------------------------------------------------

    def _move(self, step: int) -> None:
        items = self.session.pack.items
        index = next(i for i, item in enumerate(items) if item.id == self.current)
        self.show_item(items[(index + step) % len(items)].id)

    def action_next_item(self) -> None:
        """Next item (wraps around)."""
        self._move(1)

    def action_previous_item(self) -> None:
        """Previous item (wraps around)."""
        self._move(-1)

    def action_next_open(self) -> None:
        """The next item that needs attention (open, drafting or changes requested)."""
        items = self.session.pack.items
        index = next(i for i, item in enumerate(items) if item.id == self.current)
        for step in range(1, len(items) + 1):
            candidate = items[(index + step) % len(items)]
            if needs_attention(self.session.design, candidate.id):
                self.show_item(candidate.id)
                return
        self.notify("Every item is decided or not applicable, with no changes requested.")

    def action_toggle_tab(self) -> None:
        """Switch between the decision form and the guidance."""
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.active = "tab-guidance" if tabs.active == "tab-decision" else "tab-decision"
        # Focus follows, so the arrow and page keys scroll the guidance, or typing goes to the form.
        self.query_one("#guidance" if tabs.active == "tab-guidance" else "#option").focus()

    def action_toggle_navigator(self) -> None:
        """Hide or show the navigator (more room at 80 columns)."""
        navigator = self.query_one(Navigator)
        navigator.display = not navigator.display

    def action_toggle_attention(self) -> None:
        """Show only the items that need attention, or all."""
        navigator = self.query_one(Navigator)
        navigator.only_attention = not navigator.only_attention
        navigator.rebuild()
        navigator.highlight(self.current)
        self.notify("Showing items that need attention." if navigator.only_attention else "Showing all items.")

    # -- review, context, export ---------------------------------------------------------------------

    def action_review(self) -> None:
        """Record the reviewer's outcome for this item."""
        from wizard.tui.screens.review import CLEAR, ReviewScreen

        if self.session.read_only:
            self.notify("Read-only: reviews cannot be recorded here.", severity="warning")
            return
        slug = self.current
        item = self.session.pack.items_by_id[slug]

        def recorded(result: Review | str | None) -> None:
            if result is None:
                return
            decision = self.session.decision(slug)
            decision.review = None if result == CLEAR else result  # type: ignore[assignment]
            self.session.touch(slug)
            self.post_message(self.DesignChanged(slug))
            self.notify("Review cleared." if result == CLEAR else f"Review recorded for {item.number}.")

        self.app.push_screen(
            ReviewScreen(item, self.session.design.decision(slug).review, wizard_app(self).today()),
            recorded,
        )

    def action_edit_context(self) -> None:
        """Change the clinical context; the guidance follows."""
        from wizard.tui.screens.context import ContextResult, ContextScreen

        design = self.session.design

        def changed(result: ContextResult | None) -> None:
            if result is None:
                return
            design.project.title = result.title
            design.project.organization = result.organization
            design.project.lead = result.lead
            design.context.care_model = result.care_model
            design.context.care_model_note = result.care_model_note
            design.context.roles = result.roles
            design.context.visit_types = result.visit_types
            self.sub_title = result.title
            self.session.touch()
            self.post_message(self.DesignChanged())
            self.notify("Context saved; the guidance now follows it.")

        self.app.push_screen(ContextScreen(self.session.pack, project=design.project, context=design.context), changed)

    def action_capacity(self) -> None:
        """Open the capacity calculator beside this item (wizard.tui.screens.capacity)."""
        from wizard.tui.screens.capacity import open_calculator

        open_calculator(self)

    def action_export(self) -> None:
        """Export the playbook: format, path, preview, write."""
        from wizard.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.session))

    async def action_close_design(self) -> None:
        """Save and go back to the welcome screen (not in a worker: the flush waits for the workers)."""
        if await self.flush_before_quit():
            self.dismiss()

    def system_commands(self) -> Iterable[SystemCommand]:
        """Workspace commands for the command palette."""
        yield SystemCommand("Next open item", "Go to the next item that needs attention", self.action_next_open)
        yield SystemCommand("Edit clinical context", "Care model, roles, visit types, title", self.action_edit_context)
        yield SystemCommand("Record review", "Reviewer's outcome for the current item", self.action_review)
        yield SystemCommand("Export playbook", "Write the playbook as Markdown or HTML", self.action_export)
        yield SystemCommand(
            "Capacity calculator", "Queue staffing, panel size or overbooking beside this item", self.action_capacity
        )
        yield SystemCommand(
            "Needs attention filter",
            "Show only open, drafting or changes-requested items",
            self.action_toggle_attention,
        )
        yield SystemCommand("Toggle navigator", "Hide or show the item list", self.action_toggle_navigator)
        yield SystemCommand("Close design", "Save and return to the welcome screen", self.action_close_design)

    # -- saving (wizard.tui.screens.workspace.saving) ------------------------------------------------

    @on(Worker.StateChanged)
    def _save_worker_failed(self, event: Worker.StateChanged) -> None:
        """A save worker that failed outside the save itself still shows as not saved, and is retried."""
        if event.worker.group == SAVE_GROUP and event.state == WorkerState.ERROR:
            self.autosave.after_save(
                SaveOutcome(False, self.session.clock(), f"unexpected error: {event.worker.error}")
            )

    async def flush_before_quit(self) -> bool:
        """Save now; True when it is safe to leave (saved, read-only, or nothing to save)."""
        return await self.autosave.flush_before_quit()

    def save_now_blocking(self) -> bool:
        """Save at once on this thread (the terminal is closing); True when on disk."""
        return self.autosave.save_now_blocking()

    def on_unmount(self) -> None:
        """Save what the autosave has not yet written, then let go of the lock.

        An app told to exit from outside (textual-serve does so when a browser tab closes or the server
        stops) closes its screens without the wizard's own quit: this is where those edits reach disk.
        """
        if self.session.lock is not None and self.session.lock.held:  # not after "Quit without saving"
            self.save_now_blocking()
        self.session.close()
