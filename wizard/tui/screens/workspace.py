"""The workspace: navigator, item guidance, decision form, progress and save status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
    Tree,
)
from textual.worker import Worker, WorkerState

from wizard.checks import check_decision, check_design, counts
from wizard.guidance import CAUTION, RECOMMENDED, guidance_markdown, option_marks, suggested_kpi_lines
from wizard.project import CUSTOM_OPTION, DesignError, Review, progress
from wizard.tui.screens.common import ChoiceScreen, make_compact, wizard_app
from wizard.tui.session import DesignSession, SaveOutcome, SaveSnapshot
from wizard.tui.widgets.approach import ApproachSelect
from wizard.tui.widgets.fields import TextEditor, TextInput
from wizard.tui.widgets.guidance import GuidanceView
from wizard.tui.widgets.navigator import REVIEW_MARKS, STATUS_MARKS, Navigator, needs_attention

SAVE_DELAY = 0.5
"""Seconds between a change and its save: changes are on disk within about a second."""
RETRY_DELAY = 5.0
STATUS_OPTIONS = [
    (f"{STATUS_MARKS['open']} Open", "open"),
    (f"{STATUS_MARKS['drafting']} Drafting", "drafting"),
    (f"{STATUS_MARKS['decided']} Decided", "decided"),
    (f"{STATUS_MARKS['not-applicable']} Not applicable", "not-applicable"),
]
COMMON_OWNERS = [
    "Medical Director",
    "Chief Medical Officer",
    "Chief Nursing Officer",
    "Nursing lead",
    "Director of Virtual Care Operations",
    "Operations lead",
    "Compliance Officer",
    "Privacy Officer",
    "IT lead",
    "Practice manager",
    "Quality lead",
    "Revenue cycle lead",
    "Credentialing coordinator",
    "Behavioral health director",
    "Pharmacy lead",
]
TEXT_FIELDS = ("rationale", "kpis", "notes")


class ItemCommands(Provider):
    """Command palette: go to an item, fuzzy on number and title."""

    def _workspace(self) -> WorkspaceScreen | None:
        screen = self.screen
        return screen if isinstance(screen, WorkspaceScreen) else None

    async def discover(self) -> Hits:
        """Every item, when nothing is typed yet."""
        workspace = self._workspace()
        if workspace is None:
            return
        for item in workspace.session.pack.items:
            yield DiscoveryHit(
                f"Go to {item.number} {item.title}", partial(workspace.show_item, item.id), help=item.summary
            )

    async def search(self, query: str) -> Hits:
        """Items matching what is typed."""
        workspace = self._workspace()
        if workspace is None:
            return
        matcher = self.matcher(query)
        for item in workspace.session.pack.items:
            text = f"Go to {item.number} {item.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(workspace.show_item, item.id),
                    text=text,
                    help=item.summary,
                )


def _update_if_changed(static: Static, text: str) -> None:
    """Update a Static only when its text changes (every update lays the screen out again)."""
    if static.content != text:
        static.update(text)


class WorkspaceScreen(Screen[None]):
    """Decide the 40 items: the navigator on the left, the current item on the right."""

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
    ]

    def __init__(self, session: DesignSession) -> None:
        super().__init__()
        self.session = session
        self.current = ""
        self._guidance_key: tuple[str, str] | None = None
        self._form_key: tuple[str, str] | None = None
        self._save_timer: Timer | None = None
        self._retry_timer: Timer | None = None
        self._conflict_open = False
        self._loading = False

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
                    with (
                        TabPane("Decision", id="tab-decision"),
                        VerticalScroll(id="form", can_focus=False),
                    ):  # its fields are the Tab stops
                        yield Label("Approach")
                        yield ApproachSelect([], prompt="Choose an approach", id="option", compact=True)
                        yield Label("Status")
                        yield Select[str](STATUS_OPTIONS, allow_blank=False, value="open", id="status", compact=True)
                        yield Label("Summary: what was decided, in a sentence or two")
                        yield TextInput(
                            id="summary",
                            placeholder="e.g. Per-diem clinicians staff one shared queue",
                            compact=True,
                            select_on_focus=False,  # typing after Tab must not replace what was written
                        )
                        yield Label("Rationale (Markdown)")
                        yield TextEditor(id="rationale", soft_wrap=True, tab_behavior="focus")
                        with Horizontal(classes="pair"):
                            with Vertical():
                                yield Label("Owner")
                                yield TextInput(
                                    id="owner",
                                    placeholder="Who puts it in place",
                                    suggester=SuggestFromList(self._owner_suggestions(), case_sensitive=False),
                                    compact=True,
                                    select_on_focus=False,
                                )
                            with Vertical():
                                yield Label("Due date")
                                yield TextInput(
                                    id="due",
                                    placeholder="YYYY-MM-DD",
                                    max_length=10,
                                    compact=True,
                                    select_on_focus=False,
                                )
                        yield Static("", id="due-error", classes="field-error")
                        yield Label("KPIs, one per line")
                        yield TextEditor(id="kpis", soft_wrap=True, tab_behavior="focus")
                        yield Button("Insert suggested KPIs", id="insert-kpis", compact=True)
                        yield Label("Notes")
                        yield TextEditor(id="notes", soft_wrap=True, tab_behavior="focus")
                        yield Static("", id="item-warnings")
                    with TabPane("Guidance", id="tab-guidance"):
                        yield GuidanceView(id="guidance")
        with Horizontal(id="statusbar"):
            yield ProgressBar(total=len(pack.items), show_eta=False, id="progress")
            yield Static("", id="progress-text")
            yield Static("", id="findings")
            yield Static("", id="save-status")
        yield Footer(compact=True)

    def _owner_suggestions(self) -> list[str]:
        roles = [entry.label.removesuffix("s") for entry in self.session.pack.roles]
        return COMMON_OWNERS + roles

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
        self._refresh_findings()
        if session.dirty and not session.read_only:
            self._schedule_save()
        elif session.file.exists:
            self._show_save_state("Opened")
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
        if not self.session.read_only:
            self._schedule_save()

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
        decision = session.design.decision(self.current)
        marks = option_marks(item, session.design.context)
        options = []
        for opt in item.options:
            mark = marks[opt.id]
            suffix = " ★" if mark == RECOMMENDED else " ⚠" if mark == CAUTION else ""
            options.append((f"{opt.label}{suffix}", opt.id))
        options.append(("Custom approach (describe it in the summary)", CUSTOM_OPTION))
        self._loading = True
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            self.query_one("#option", ApproachSelect).replace(options, decision.option or None)
            self.query_one("#status", Select).value = decision.status
            self.query_one("#summary", Input).value = decision.summary
            self.query_one("#owner", Input).value = decision.owner
            self.query_one("#due", Input).value = decision.due.isoformat() if decision.due else ""
            for area_id, text in (
                ("#rationale", decision.rationale),
                ("#notes", decision.notes),
                ("#kpis", "\n".join(decision.kpis)),
            ):
                area = self.query_one(area_id, TextArea)
                if area.text != text:  # loading text re-wraps and repaints even when it is the same
                    area.text = text
        self._loading = False
        _update_if_changed(self.query_one("#due-error", Static), "")
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)

    def _refresh_header(self) -> None:
        item = self.session.pack.items_by_id[self.current]
        decision = self.session.design.decision(self.current)
        status = dict((value, label) for label, value in STATUS_OPTIONS)[decision.status]
        text = f"{item.number} {item.title}   {status}"
        if decision.review:
            state = "approved" if decision.review.state == "approved" else "changes requested"
            text += f"   {REVIEW_MARKS[decision.review.state]} {state}"
        _update_if_changed(self.query_one("#item-header", Static), text)

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
        _update_if_changed(self.query_one("#item-warnings", Static), text)

    def _refresh_progress(self) -> None:
        numbers = progress(self.session.design, self.session.pack)
        done = numbers["decided"] + numbers["not-applicable"]
        self.query_one("#progress", ProgressBar).update(progress=done)
        self.query_one("#progress-text", Static).update(f"{done}/{len(self.session.pack.items)} done")

    def _refresh_findings(self) -> None:
        errors, warnings = counts(check_design(self.session.design, self.session.pack, wizard_app(self).today()))
        total = errors + warnings
        self.query_one("#findings", Static).update(
            f"⚠ {total} warning{'s' if total != 1 else ''}" if total else "no warnings"
        )

    # -- editing ---------------------------------------------------------------------------------

    def _changed(self, field: str, value: object) -> None:
        if self._loading or self.session.read_only or not self.current:
            return
        if getattr(self.session.design.decision(self.current), field) == value:
            return  # not a change (e.g. a widget echoing the value we just put in it)
        decision = self.session.decision(self.current)
        setattr(decision, field, value)
        if field != "status" and decision.status == "open" and not decision.is_blank():
            decision.status = "drafting"
            with self.prevent(Select.Changed):
                self.query_one("#status", Select).value = "drafting"
        self.session.touch(self.current)
        self.query_one(Navigator).refresh_item(self.current)
        if field in ("status", "option", "owner", "summary"):
            self._refresh_header()
            self._refresh_progress()
        self._refresh_item_warnings()
        self._schedule_save()

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
            self.query_one(Navigator).refresh_item(slug)
            if slug == self.current:
                self._refresh_header()
                self._refresh_item_warnings()
            self._schedule_save()
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
            self.show_item(self.current)
            self._refresh_findings()
            self.notify("Context saved; the guidance now follows it.")

        self.app.push_screen(ContextScreen(self.session.pack, project=design.project, context=design.context), changed)

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
            "Needs attention filter",
            "Show only open, drafting or changes-requested items",
            self.action_toggle_attention,
        )
        yield SystemCommand("Toggle navigator", "Hide or show the item list", self.action_toggle_navigator)
        yield SystemCommand("Close design", "Save and return to the welcome screen", self.action_close_design)

    # -- saving --------------------------------------------------------------------------------------

    def _schedule_save(self) -> None:
        if self.session.read_only or self._conflict_open:
            return
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save_now)

    def _save_now(self) -> None:
        self._save_timer = None
        if not self.session.dirty or self._conflict_open:
            return
        snapshot = self.session.snapshot()  # here, on the UI thread: the worker never reads the live design
        self.run_worker(partial(self._save_in_thread, snapshot), thread=True, group="save", exit_on_error=False)

    def _save_in_thread(self, snapshot: SaveSnapshot) -> None:
        outcome = self.session.save(snapshot)  # never raises: any failure is an outcome that says why
        self.app.call_from_thread(self._after_save, outcome)

    def _after_save(self, outcome: SaveOutcome) -> None:
        if outcome.ok:
            if self._retry_timer is not None:
                self._retry_timer.stop()
                self._retry_timer = None
            self._show_save_state("Saved")
            self._refresh_findings()
            if self.session.dirty:
                self._schedule_save()
            return
        if outcome.conflict:
            self._on_conflict()
            return
        self._show_not_saved(outcome.message)
        if self._retry_timer is None:
            self.notify(
                f"Could not save {self.session.path}: {outcome.message}. Your edits are kept and saving is retried.",
                severity="error",
                timeout=8,
            )
            self._retry_timer = self.set_interval(RETRY_DELAY, self._save_now)

    @on(Worker.StateChanged)
    def _save_worker_failed(self, event: Worker.StateChanged) -> None:
        """A save worker that failed outside the save itself still shows as not saved, and is retried."""
        if event.worker.group == "save" and event.state == WorkerState.ERROR:
            self._after_save(SaveOutcome(False, self.session.clock(), f"unexpected error: {event.worker.error}"))

    def _show_not_saved(self, message: str) -> None:
        status = self.query_one("#save-status", Static)
        status.update(f"NOT SAVED: {message}; retrying")
        status.add_class("-error")

    def _show_save_state(self, verb: str) -> None:
        when = self.session.last_outcome.when if self.session.last_outcome else self.session.clock()
        status = self.query_one("#save-status", Static)
        status.remove_class("-error")
        status.update(f"{verb} {when.astimezone().strftime('%H:%M:%S')}")

    def _on_conflict(self) -> None:
        if self._conflict_open:
            return
        self._conflict_open = True
        self.query_one("#save-status", Static).update("NOT SAVED: the file changed on disk")
        # The dialog comes up after the keys already typed have reached their fields (and it ignores keys
        # for a moment): an Enter meant for a field never answers it.
        wizard_app(self).input_order.in_turn(self._ask_about_conflict)

    def _ask_about_conflict(self) -> None:
        path = self.session.path

        def chosen(answer: str | None) -> None:
            self._conflict_open = False
            if answer == "reload":
                self._reload_theirs()
            elif answer == "mine":
                self._keep_mine()
            else:
                self.query_one("#save-status", Static).update("NOT SAVED: file changed on disk (choose in the palette)")

        self.app.push_screen(
            ChoiceScreen(
                "The design changed on disk",
                f"{path} was changed by someone else (or another program) since you opened it. "
                "Nothing was overwritten.\n\n"
                "Reload theirs: load the file as it is on disk now; your unsaved changes are dropped.\n"
                f"Keep mine: save your version as a new file beside it ({path.stem}.mine-<time>.toml) "
                "and keep editing that copy; their file is left as it is.",
                [("reload", "Reload theirs"), ("mine", "Keep mine (new file)")],
                default="mine",
            ),
            chosen,
        )

    def _keep_mine(self) -> None:
        try:
            target = self.session.keep_mine()
        except DesignError as exc:
            self._show_not_saved(exc.detail)
            self.notify(f"Could not keep your version: {exc}", severity="error", timeout=10)
            return
        self.notify(f"Your version was saved as {target}; you are now editing that copy.", timeout=10)
        self._show_save_state("Saved")

    def _reload_theirs(self) -> None:
        try:
            self.session.reload_theirs()
        except DesignError as exc:
            self.notify(f"Cannot reload: {exc}", severity="error", timeout=10)
            return
        navigator = self.query_one(Navigator)
        navigator.design = self.session.design
        navigator.rebuild()
        self._guidance_key = None
        self._form_key = None
        self.show_item(self.current)
        self._refresh_progress()
        self._refresh_findings()
        self._show_save_state("Reloaded")

    async def flush_before_quit(self) -> bool:
        """Save now; True when it is safe to leave (saved, read-only, or nothing to save)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        await self.workers.wait_for_complete() if self.workers else None
        session = self.session
        if session.read_only or not session.dirty:
            session.close()
            return True
        outcome = session.save()
        if outcome.ok:
            session.close()
            return True
        self._show_not_saved(outcome.message)

        def answered(answer: str | None) -> None:
            if answer == "quit":
                session.close()
                self.app.exit(0)
            elif outcome.conflict:
                self._on_conflict()

        self.app.push_screen(
            ChoiceScreen(
                "Not saved",
                f"{session.path} could not be saved: {outcome.message}.\n\n"
                "Keep editing: stay here; saving is retried (or fix the folder's permissions).\n"
                "Quit without saving: the changes since the last save are lost.",
                [("stay", "Keep editing"), ("quit", "Quit without saving")],
                default="stay",
            ),
            answered,
        )
        if not outcome.conflict and self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_DELAY, self._save_now)
        return False

    def save_now_blocking(self) -> bool:
        """Save at once on this thread (the terminal is closing); True when on disk."""
        if self.session.read_only or not self.session.dirty:
            return True
        return self.session.save().ok

    def on_unmount(self) -> None:
        """Never leave a lock behind."""
        self.session.close()
