"""The workspace's command palette entries: go to an item, fuzzy on number and title."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

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
