"""The workspace screen: the navigator on the left, the current item on the right (a header, the item's
warnings, the decision form and the guidance), and the status line; each change to the design is one
DesignChanged. Its dialogs and one-key changes are in ``actions``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Select, Static, TabbedContent, TabPane, Tabs, TextArea, Tree
from textual.worker import Worker, WorkerState

from wizard.checks import check_design, counts
from wizard.guidance import guidance_markdown
from wizard.project import progress
from wizard.tui.screens.common import make_compact, wizard_app
from wizard.tui.screens.workspace.actions import WorkspaceActions
from wizard.tui.screens.workspace.alerts import item_warnings, review_line, version_text
from wizard.tui.screens.workspace.commands import ItemCommands, workspace_commands
from wizard.tui.screens.workspace.form import FIRST_FIELD, STATUS_OPTIONS, TEXT_FIELDS, DecisionForm, update_if_changed
from wizard.tui.screens.workspace.keys import WORKSPACE_BINDINGS, WORKSPACE_HELP
from wizard.tui.screens.workspace.saving import SAVE_GROUP, Autosave
from wizard.tui.screens.workspace.status_bar import StatusBar
from wizard.tui.session import DesignSession, SaveOutcome
from wizard.tui.widgets.checklist import CheckList
from wizard.tui.widgets.guidance import GuidanceView
from wizard.tui.widgets.navigator import REVIEW_MARKS, Navigator, needs_attention

HEADER_MARGIN = 22
"""Columns of the header line that are not the title and the version: its icon, clock space and " — "."""


class WorkspaceScreen(Screen[None]):
    """Decide the 40 items: the navigator on the left, the current item on the right."""

    @dataclass
    class DesignChanged(Message):
        """The live design changed: the navigator, the item's header and warnings and the progress are
        brought up to date (one handler, ``_design_changed``), and a save is scheduled."""

        slug: str | None = None
        """The item whose decision changed; None when the project, the context or the sign-offs did."""

    COMMANDS = {ItemCommands}
    HELP = WORKSPACE_HELP
    BINDINGS = WORKSPACE_BINDINGS

    def __init__(self, session: DesignSession) -> None:
        super().__init__()
        self.session = session
        self.current = ""
        self.invalid_due: dict[str, str] = {}
        """Due dates typed that are not dates, by item: a warning, and shown again in the field."""
        self._guidance_key: tuple[str, str] | None = None
        self._form_key: tuple[str, str] | None = None
        self._findings_key: tuple[int, dt.date] | None = None
        self._findings = 0
        """The design's errors and warnings, counted when the design or the date last changed."""
        self.autosave = Autosave(self)
        self.actions = WorkspaceActions(self)

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        pack = self.session.pack
        yield Header()
        yield Static("", id="banner")
        with Horizontal(id="main"):
            with Vertical(id="nav-pane"):
                yield Static("Filter: needs attention (F7 shows all)", id="nav-filter")
                yield Navigator(pack, self.session.design, id="navigator")
            with Vertical(id="item-pane"):
                yield Static("", id="item-header")
                with TabbedContent(initial="tab-decision", id="tabs"):
                    with TabPane("Decision", id="tab-decision"):
                        yield Static("", id="item-warnings")
                        yield DecisionForm(pack, id="form")
                    with TabPane("Guidance", id="tab-guidance"):
                        yield GuidanceView(id="guidance")
        yield StatusBar(len(pack.items), id="statusbar")
        yield Footer(compact=True)

    @property
    def form(self) -> DecisionForm:
        """The decision form."""
        return self.query_one(DecisionForm)

    def on_mount(self) -> None:
        """Show the resume point (or the first item) and the design's state; the focus on its approach."""
        session = self.session
        banner = self.query_one("#banner", Static)
        if session.read_only:
            banner.update(f"Opened read-only: {session.read_only_reason}. Changes here are not saved.")
            self.query_one("#form").disabled = True
        else:
            banner.display = False
        self.query_one("#nav-filter").display = False
        # The tab bar is no Tab stop (F2 switches tabs): Tab goes from the navigator straight to the form.
        self.query_one("#tabs").query_one(Tabs).can_focus = False
        make_compact(self)  # the form's widgets are built compact (restyling them after mount is slow)
        resume = session.design.project.resume_at
        first = resume if resume in session.pack.items_by_id else session.pack.items[0].id
        self.show_item(first)
        self._refresh_title()
        self._refresh_progress()
        self.show_findings()
        if session.dirty and not session.read_only:
            self.autosave.schedule()
        elif session.file.exists:
            self.autosave.show_saved("Opened")
        session.remember() if session.file.exists and not session.read_only else None

    # -- the focus ------------------------------------------------------------------------------

    def focus_first_field(self) -> None:
        """The focus where a new item starts: its approach (the guidance on the Guidance tab; the
        navigator when the design is read-only)."""
        if self.session.read_only:
            self.query_one(Navigator).focus()
        elif self.query_one("#tabs", TabbedContent).active == "tab-guidance":
            self.query_one("#guidance", GuidanceView).focus()
        else:
            self.query_one(FIRST_FIELD).focus()

    def keep_focus(self) -> None:
        """After a dialog, a resize or a hidden pane: the focus stays where it was if that can still take
        it, or goes to the first field; never nowhere, where a typed character would vanish."""
        if not self.is_current:
            return
        focused = self.focused
        if focused is None or focused not in self.focus_chain:
            self.focus_first_field()

    def on_screen_resume(self) -> None:
        """Back from a dialog or another screen."""
        self.call_after_refresh(self.keep_focus)

    def on_resize(self, event: events.Resize) -> None:
        """The terminal changed size."""
        self._refresh_title()
        if self.current:
            self.call_after_refresh(self._refresh_header)
        self.call_after_refresh(self.keep_focus)

    # -- showing an item ----------------------------------------------------------------------

    def show_item(self, slug: str) -> None:
        """Put an item on screen: header, warnings, guidance, the form filled with its decision.

        Going to another item keeps the focus in the field it was in (the same field of the new item:
        what is typed next goes there, as it would without the move), or puts it on the first field
        when it was not in a field (the navigator, the start)."""
        moved = slug != self.current
        self.current = slug
        self.session.set_resume_point(slug)
        self._refresh_form()
        self._refresh_header()
        self._refresh_guidance()
        self._refresh_item_warnings()
        navigator = self.query_one(Navigator)
        if navigator.size.height:  # laid out: mark the item now, painted with the rest of the pane
            navigator.highlight(slug)
        else:  # opening: once the tree has its size, so it can scroll to the item
            self.call_after_refresh(navigator.highlight, slug)
        if moved and not self._focus_in_item_pane():
            self.focus_first_field()
        self.autosave.schedule()  # the resume point

    def _focus_in_item_pane(self) -> bool:
        """True when a field of the form (or the guidance) has the focus and can keep it."""
        focused = self.focused
        if focused is None or focused not in self.focus_chain:
            return False
        pane = self.query_one("#item-pane")
        return any(node is pane for node in focused.ancestors)

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
        self.form.fill(item, decision, session.design.context, self.invalid_due.get(self.current))
        self._show_due_error(self.invalid_due.get(self.current, ""))

    def _refresh_header(self) -> None:
        item = self.session.pack.items_by_id[self.current]
        decision = self.session.design.decision(self.current)
        status = dict((value, label) for label, value in STATUS_OPTIONS)[decision.status]
        if decision.review:
            state = "approved" if decision.review.state == "approved" else "changes requested"
            status += f"   {REVIEW_MARKS[decision.review.state]} {state}"
        title = f"{item.number} {item.title}"
        # The status on the title's line when both fit, on its own line otherwise: wrapped, a mark was left
        # at the end of one line and its word at the start of the next.
        pane = self.query_one("#item-pane").size.width or self.app.size.width - 28
        text = f"{title}   {status}" if len(title) + 3 + len(status) <= pane - 2 else f"{title}\n{status}"
        update_if_changed(self.query_one("#item-header", Static), text)

    def _refresh_title(self) -> None:
        """The title line: the design's title and the version it is a draft of. A long title is cut, not
        the version (the header cuts the end of the line)."""
        design = self.session.design
        version = version_text(design, self.session.pack)
        title = " ".join(design.project.title.split()) or "Untitled design"
        room = max(self.app.size.width - HEADER_MARGIN - len(version), 12)
        self.title = title if len(title) <= room else title[: room - 1].rstrip() + "…"
        self.sub_title = version

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
        """The item's warnings and the reviewer's comment, at the top of the Decision tab."""
        item = self.session.pack.items_by_id[self.current]
        decision = self.session.design.decision(self.current)
        today = wizard_app(self).today()
        invalid = self.invalid_due.get(item.id, "")
        lines = [f"⚠ {text}" for text in item_warnings(item, decision, self.session.design, today, invalid)]
        if comment := review_line(decision):
            lines.insert(0, comment)
        alerts = self.query_one("#item-warnings", Static)
        update_if_changed(alerts, "\n".join(lines))
        alerts.display = bool(lines)

    def _refresh_progress(self) -> None:
        numbers = progress(self.session.design, self.session.pack)
        self.query_one(StatusBar).show_progress(numbers["decided"] + numbers["not-applicable"])

    def show_findings(self) -> None:
        """Show the count of the design's errors and warnings. They are counted again (every item is
        checked) only when the design or the date changed since the last count: a save that only
        stored the resume point, while paging through items, checks nothing."""
        key = (self.session.edits, wizard_app(self).today())
        if key != self._findings_key:
            self._findings_key = key
            errors, warnings = counts(check_design(self.session.design, self.session.pack, key[1]))
            self._findings = errors + warnings
        self.query_one(StatusBar).show_findings(self._findings + len(self.invalid_due))

    @on(StatusBar.WarningsClicked)
    def _warnings_clicked(self) -> None:
        self.actions.warnings()

    # -- editing ---------------------------------------------------------------------------------

    def _changed(self, field: str, value: object) -> None:
        if self.form.filling or self.session.read_only or not self.current:
            return
        if getattr(self.session.design.decision(self.current), field) == value:
            return  # not a change (e.g. a widget echoing the value we just put in it)
        decision = self.session.decision(self.current)
        setattr(decision, field, value)
        if field != "status" and decision.status == "open" and not decision.is_blank():
            decision.status = "drafting"
            self.form.show_status("drafting")
        self.session.touch(self.current)
        self.post_message(self.DesignChanged(self.current))

    def set_status(self, status: str, *, summary: str | None = None, slug: str | None = None) -> None:
        """Set an item's status (and its summary: a not-applicable item's reason), as an edit does."""
        slug = slug or self.current
        decision = self.session.decision(slug)
        decision.status = status  # type: ignore[assignment]
        if summary is not None:
            decision.summary = summary
        self.session.touch(slug)
        if slug == self.current:
            self._form_key = None  # the form shows the new status and summary
            self._refresh_form()
        self.post_message(self.DesignChanged(slug))

    def add_kpis(self, slug: str, lines: list[str]) -> None:
        """Append measures to an item's KPI list, as typing them would."""
        decision = self.session.decision(slug)
        decision.kpis = [*decision.kpis, *lines]
        if decision.status == "open":
            decision.status = "drafting"
        self.session.touch(slug)
        if slug == self.current:
            self._form_key = None
            self._refresh_form()
        self.post_message(self.DesignChanged(slug))

    @on(DesignChanged)
    def _design_changed(self, event: DesignChanged) -> None:
        """Bring what shows the design up to date, and save."""
        if event.slug is None:  # the project, the context or a sign-off: the form and the guidance follow
            self.show_item(self.current)
            self.show_findings()
            self._refresh_title()
        else:
            self.query_one(Navigator).refresh_item(event.slug)
            if event.slug == self.current:
                self._refresh_header()
                self._refresh_item_warnings()
                item = self.session.pack.items_by_id[event.slug]
                self.form.show_summary_hint(item, self.session.design.decision(event.slug), self.session.design.context)
            if self.session.design.sign_offs:
                self._refresh_title()  # the count of items changed since the last sign-off
        self._refresh_progress()
        self.autosave.schedule()

    def design_replaced(self) -> None:
        """The session holds another design now (theirs, reloaded): show it all again."""
        navigator = self.query_one(Navigator)
        navigator.design = self.session.design
        navigator.rebuild()
        self.invalid_due.clear()
        self._guidance_key = None
        self._form_key = None
        self.post_message(self.DesignChanged())

    @on(Input.Changed, "#owner")
    def _input_changed(self, event: Input.Changed) -> None:
        if event.value != event.input.value:
            return  # a stale echo: the widget has moved on
        self._changed(event.input.id or "", event.value)

    @on(Input.Changed, "#due")
    def _due_changed(self, event: Input.Changed) -> None:
        if self.form.filling:
            return
        text = event.value.strip()
        if not text:
            self._due_invalid("")
            self._changed("due", None)
            return
        try:
            due = dt.date.fromisoformat(text)
        except ValueError:
            # Still typing: a gentle hint. A whole date that is not one: a warning until it is fixed.
            self._due_invalid(text if len(text) >= 10 else "", typing=text)
            return
        self._due_invalid("")
        self._changed("due", due)

    @on(Input.Blurred, "#due")
    def _due_left(self, event: Input.Blurred) -> None:
        """Leaving the due date with something that is not a date: a warning, and the text is kept."""
        text = event.value.strip()
        if text and self.current:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                self._due_invalid(text)

    def _due_invalid(self, text: str, *, typing: str = "") -> None:
        """Record (or clear) the current item's due date typed that is not a date."""
        before = self.invalid_due.get(self.current, "")
        if text:
            self.invalid_due[self.current] = text
        else:
            self.invalid_due.pop(self.current, None)
        self._show_due_error(text, typing)
        if before != text:
            self._refresh_item_warnings()
            self.show_findings()

    def _show_due_error(self, invalid: str, typing: str = "") -> None:
        error = self.query_one("#due-error", Static)
        if invalid:
            update_if_changed(error, f"{invalid!r} is not a valid date: use YYYY-MM-DD (the last valid date is kept).")
        else:
            update_if_changed(error, "Due date: YYYY-MM-DD" if typing else "")
        error.display = bool(invalid or typing)  # an empty line costs a row at 80x24

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
        if event.value != event.select.value or self.form.filling:
            return  # a stale echo (e.g. the value set at mount), not the user's choice
        if event.value == "not-applicable" and self.session.design.status_of(self.current) != "not-applicable":
            self.actions.not_applicable()  # asks why first
        elif event.value is not Select.NULL:
            self._changed("status", str(event.value))

    @on(CheckList.SelectedChanged, "#covers")
    def _covers_changed(self) -> None:
        if self.form.filling or not self.current:
            return
        self._changed("covers", self.form.covered(self.session.design.decision(self.current)))

    @on(Button.Pressed, "#insert-kpis")
    def _insert_kpis_pressed(self) -> None:
        self.actions.insert_kpis()

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
        self.query_one("#guidance" if tabs.active == "tab-guidance" else FIRST_FIELD).focus()

    def action_toggle_navigator(self) -> None:
        """Hide or show the navigator (more room at 80 columns)."""
        pane = self.query_one("#nav-pane")
        pane.display = not pane.display
        self.call_after_refresh(self.keep_focus)

    def action_toggle_attention(self) -> None:
        """Show only the items that need attention, or all."""
        navigator = self.query_one(Navigator)
        navigator.only_attention = not navigator.only_attention
        self.query_one("#nav-filter").display = navigator.only_attention
        navigator.rebuild()
        navigator.highlight(self.current)
        self.call_after_refresh(self.keep_focus)

    # -- dialogs and one-key changes (wizard.tui.screens.workspace.actions) ------------------------------

    def action_mark_decided(self) -> None:
        """F9: the item on screen is decided."""
        self.actions.mark_decided()

    def action_not_applicable(self) -> None:
        """The item on screen does not apply (asks why)."""
        self.actions.not_applicable()

    def action_insert_kpis(self) -> None:
        """Offer the suggested KPIs that fit the chosen approach."""
        self.actions.insert_kpis()

    def action_review(self) -> None:
        """F3: record the reviewer's outcome for this item."""
        self.actions.review()

    def action_sign_off(self) -> None:
        """Ctrl+T: record a sign-off of the whole design."""
        self.actions.sign_off()

    def action_warnings(self) -> None:
        """Ctrl+G: every warning of the design, to jump from."""
        self.actions.warnings()

    def action_edit_context(self) -> None:
        """F4: change the clinical context."""
        self.actions.edit_context()

    def action_capacity(self) -> None:
        """Open the capacity calculator beside this item (wizard.tui.screens.capacity)."""
        from wizard.tui.screens.capacity import open_calculator

        open_calculator(self)

    def action_export(self) -> None:
        """F5: export the playbook."""
        self.actions.export()

    async def action_close_design(self) -> None:
        """Save and go back to the welcome screen (not in a worker: the flush waits for the workers)."""
        if await self.flush_before_quit():
            self.dismiss()

    def system_commands(self) -> Iterable[SystemCommand]:
        """Workspace commands for the command palette (``commands.workspace_commands``)."""
        return workspace_commands(self)

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
