"""What the workspace's keys and commands do beyond moving: review (F3), context (F4), export (F5), mark
decided (F9), not applicable, the suggested KPIs, the warnings list (Ctrl+G) and the sign-off (Ctrl+T).

Each dialog returns a value; the change it makes goes through the screen like any edit (the session is
touched, one ``DesignChanged`` posted, the autosave does the rest). After a dialog closes the focus is
back in the field it left (Textual restores it; ``WorkspaceScreen.keep_focus`` makes sure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.project import ClinicalContext, Review, items_owned_by, next_version, record_sign_off
from wizard.tui.screens.common import wizard_app
from wizard.tui.screens.workspace.alerts import context_mismatches, design_warnings

if TYPE_CHECKING:
    from wizard.tui.screens.workspace.screen import WorkspaceScreen


class WorkspaceActions:
    """The workspace's dialogs and one-key changes; the screen's ``action_*`` methods call these."""

    def __init__(self, screen: WorkspaceScreen) -> None:
        self.screen = screen
        self.session = screen.session

    def notify(self, message: str, **kwargs: Any) -> None:
        """A notification from the workspace."""
        self.screen.notify(message, **kwargs)

    def _refuse_read_only(self, what: str) -> bool:
        if self.session.read_only:
            self.notify(f"Read-only: {what} cannot be recorded here.", severity="warning")
            return True
        return False

    # -- the decision's status ---------------------------------------------------------------------------

    def mark_decided(self) -> None:
        """F9: the item on screen is decided (its warnings, if any, show at the top)."""
        if self._refuse_read_only("a decision"):
            return
        item = self.session.pack.items_by_id[self.screen.current]
        if self.session.design.status_of(self.screen.current) == "decided":
            self.notify(f"{item.number} is already decided.")
            return
        self.screen.set_status("decided")
        self.notify(f"{item.number} {item.title}: decided.")

    def not_applicable(self) -> None:
        """The item does not apply: ask why (one line, shown in the playbook), then mark it."""
        from wizard.tui.screens.decision_dialogs import NotApplicableScreen

        if self._refuse_read_only("a decision"):
            return
        slug = self.screen.current
        item = self.session.pack.items_by_id[slug]
        decision = self.session.design.decision(slug)
        previous = decision.status

        def answered(reason: str | None) -> None:
            if reason is None:
                self.screen.form.show_status(previous)  # the list may show the choice that was cancelled
                return
            self.screen.set_status("not-applicable", summary=reason, slug=slug)

        self.screen.app.push_screen(NotApplicableScreen(item, decision.summary), answered)

    # -- suggested KPIs -----------------------------------------------------------------------------------

    def insert_kpis(self) -> None:
        """Offer the suggested KPIs that fit the chosen approach and are not listed yet."""
        from wizard.tui.screens.decision_dialogs import KpiOfferScreen

        if self._refuse_read_only("KPIs"):
            return
        slug = self.screen.current
        item = self.session.pack.items_by_id[slug]
        decision = self.session.design.decision(slug)
        # A measure is listed when a line starts with its name (the target after the colon may be edited).
        listed = {line.split(":")[0].strip().casefold() for line in decision.kpis}
        offered = [kpi for kpi in item.kpis_for(decision.option) if kpi.name.strip().casefold() not in listed]
        if not offered:
            self.notify("Every suggested KPI that fits this approach is already in the list.")
            return
        option = item.option(decision.option)

        def chosen(lines: list[str] | None) -> None:
            if not lines:
                return
            self.screen.add_kpis(slug, lines)
            self.notify(f"Added {len(lines)} suggested KPI(s); edit the targets to your program's.")

        self.screen.app.push_screen(KpiOfferScreen(item, option.label if option else "", offered), chosen)

    # -- review, sign-off ----------------------------------------------------------------------------------

    def review(self) -> None:
        """F3: record the reviewer's outcome for this item."""
        from wizard.tui.screens.review import CLEAR, ReviewScreen

        if self._refuse_read_only("reviews"):
            return
        slug = self.screen.current
        item = self.session.pack.items_by_id[slug]
        decision = self.session.design.decision(slug)

        def recorded(result: Review | str | None) -> None:
            if result is None:
                return
            self.session.decision(slug).review = None if result == CLEAR else result  # type: ignore[assignment]
            self.session.touch(slug)
            self.screen.post_message(self.screen.DesignChanged(slug))
            self.notify("Review cleared." if result == CLEAR else f"Review recorded for {item.number}.")

        screen = ReviewScreen(item, decision.review, wizard_app(self.screen).today(), owner=decision.owner)
        self.screen.app.push_screen(screen, recorded)

    def items_owned_by(self, signer: str) -> list[str]:
        """The numbers of the items whose owner is the signer (by name or role)."""
        return items_owned_by(self.session.design, self.session.pack, signer)

    def sign_off(self) -> None:
        """Ctrl+T: record a sign-off of the whole design (the next version)."""
        from wizard.tui.screens.sign_off import SignOffResult, SignOffScreen

        if self._refuse_read_only("a sign-off"):
            return
        design = self.session.design
        version = next_version(design)

        def recorded(result: SignOffResult | None) -> None:
            if result is None:
                return
            sign_off = record_sign_off(
                design,
                [item.id for item in self.session.pack.items],
                by=result.by,
                role=result.role,
                outcome=result.outcome,
                on=result.on,
                conditions=result.conditions,
                effective=result.effective,
                next_review=result.next_review,
            )
            self.session.touch()
            self.screen.post_message(self.screen.DesignChanged())
            self.notify(f"Recorded version {sign_off.version}.", title="Sign-off", timeout=8)
            owned = self.items_owned_by(f"{result.by}, {result.role}")
            if owned:
                self.notify(
                    f"{result.by} owns {len(owned)} of the items signed off ({', '.join(owned)}): "
                    "someone who is not their owner should review those.",
                    severity="warning",
                    timeout=12,
                )

        today = wizard_app(self.screen).today()
        self.screen.app.push_screen(SignOffScreen(version, today, self.items_owned_by), recorded)

    # -- lists you can jump from -------------------------------------------------------------------------

    def warnings(self) -> None:
        """Ctrl+G (or a click on the warning count): every warning of the design; Enter goes to its item."""
        from wizard.tui.screens.jump_list import JumpListScreen

        today = wizard_app(self.screen).today()
        found = design_warnings(self.session.design, self.session.pack, today, self.screen.invalid_due)
        if not found:
            self.notify("No warnings.")
            return
        lines = [(alert.slug, alert.text) for alert in found]
        intro = f"{len(found)} warning{'s' if len(found) != 1 else ''}. Enter goes to the item; Escape closes."
        self.screen.app.push_screen(JumpListScreen("Warnings", intro, lines), self._jump_to)

    def _jump_to(self, slug: str | None) -> None:
        if slug is not None:
            self.screen.show_item(slug)

    def show_context_mismatches(self, before: ClinicalContext) -> None:
        """After a context change, list the decided items that no longer follow the recommendation."""
        from wizard.tui.screens.jump_list import JumpListScreen

        design = self.session.design
        found = context_mismatches(design, self.session.pack, before, design.context)
        if not found:
            self.notify("Context saved; the guidance now follows it. Every decided approach still fits.")
            return
        intro = (
            f"Context saved; the guidance now follows it. {len(found)} decided "
            f"item{'s' if len(found) != 1 else ''} no longer follow the recommendation for the new context. "
            "Enter goes to the item."
        )
        lines = [(alert.slug, alert.text) for alert in found]
        self.screen.app.push_screen(JumpListScreen("Decisions to look at again", intro, lines), self._jump_to)

    def edit_context(self) -> None:
        """F4: change the clinical context; the guidance follows."""
        from wizard.tui.screens.context import ContextResult, ContextScreen

        design = self.session.design

        def changed(result: ContextResult | None) -> None:
            if result is None:
                return
            before = design.context.model_copy(deep=True)
            design.project.title = result.title
            design.project.organization = result.organization
            design.project.lead = result.lead
            design.context.care_model = result.care_model
            design.context.care_model_note = result.care_model_note
            design.context.roles = result.roles
            design.context.visit_types = result.visit_types
            self.session.touch()
            self.screen.post_message(self.screen.DesignChanged())
            self.show_context_mismatches(before)

        screen = ContextScreen(self.session.pack, project=design.project, context=design.context)
        self.screen.app.push_screen(screen, changed)

    def export(self) -> None:
        """F5: export the playbook (format, path, preview, write)."""
        from wizard.tui.screens.export import ExportScreen

        self.screen.app.push_screen(ExportScreen(self.session))
