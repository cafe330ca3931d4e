"""The workspace's command palette entries: go to an item (fuzzy on number and title), and the
workspace's commands."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from wizard.tui.screens.workspace.screen import WorkspaceScreen


class ItemCommands(Provider):
    """Command palette: go to an item, fuzzy on number and title."""

    def _workspace(self) -> WorkspaceScreen | None:
        from wizard.tui.screens.workspace.screen import WorkspaceScreen

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


def workspace_commands(screen: WorkspaceScreen) -> Iterator[SystemCommand]:
    """The workspace's commands in the palette, beside Textual's own."""
    yield SystemCommand("Mark decided (F9)", "The item on screen is decided", screen.action_mark_decided)
    yield SystemCommand(
        "Mark not applicable", "The item on screen does not apply (asks why)", screen.action_not_applicable
    )
    yield SystemCommand(
        "Insert suggested KPIs", "The suggested measures that fit the approach", screen.action_insert_kpis
    )
    yield SystemCommand("Next open item", "Go to the next item that needs attention", screen.action_next_open)
    yield SystemCommand("Warnings (Ctrl+G)", "Every warning of the design; go to its item", screen.action_warnings)
    yield SystemCommand("Edit clinical context (F4)", "Care model, roles, visit types", screen.action_edit_context)
    yield SystemCommand("Record review", "Reviewer's outcome for the current item", screen.action_review)
    yield SystemCommand(
        "Record sign-off (Ctrl+T)", "A sign-off of the whole design: the next version", screen.action_sign_off
    )
    yield SystemCommand("Export playbook", "Write the playbook as Markdown or HTML", screen.action_export)
    yield SystemCommand(
        "Capacity calculator (F8)", "Queue staffing, panel size or overbooking beside this item", screen.action_capacity
    )
    yield SystemCommand(
        "Needs attention filter",
        "Show only open, drafting or changes-requested items",
        screen.action_toggle_attention,
    )
    yield SystemCommand("Toggle navigator", "Hide or show the item list", screen.action_toggle_navigator)
    yield SystemCommand("Close design", "Save and return to the welcome screen", screen.action_close_design)
