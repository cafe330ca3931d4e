"""The workspace, where the items are decided.

- ``screen``: the screen; what it shows follows one ``DesignChanged`` message per change.
- ``form``: the decision form and how a decision fills it.
- ``status_bar``: progress, warning count, save state.
- ``saving``: autosave in a worker thread, retries, and the dialog when the file changed on disk.
- ``commands``: the command palette's "go to item".
"""

from wizard.tui.screens.workspace.saving import RETRY_DELAY, SAVE_DELAY
from wizard.tui.screens.workspace.screen import WorkspaceScreen

__all__ = ["RETRY_DELAY", "SAVE_DELAY", "WorkspaceScreen"]
