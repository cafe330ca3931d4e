"""Autosave for the workspace: a change is on disk within about a second, written in a worker thread
from a copy taken on the UI thread; a failed save says so and is retried; a file changed on disk by
someone else is never overwritten (the user reloads theirs, or keeps theirs and a copy of mine)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer

from wizard.project import DesignError
from wizard.tui.screens.common import ChoiceScreen, wizard_app
from wizard.tui.screens.workspace.status_bar import StatusBar
from wizard.tui.session import SaveOutcome, SaveSnapshot

if TYPE_CHECKING:
    from wizard.tui.screens.workspace.screen import WorkspaceScreen

SAVE_DELAY = 0.5
"""Seconds between a change and its save: changes are on disk within about a second."""
RETRY_DELAY = 5.0
"""Seconds between attempts while saves fail (a full disk, a read-only folder)."""
SAVE_GROUP = "save"
"""The worker group of saves."""


class Autosave:
    """Saves the workspace's design: after each change, on a retry timer, and before leaving."""

    def __init__(self, screen: WorkspaceScreen) -> None:
        self.screen = screen
        self.session = screen.session
        self._timer: Timer | None = None
        self._retry: Timer | None = None
        self.conflict_open = False
        """True while the user is asked about a file changed on disk: nothing is saved meanwhile."""

    @property
    def status(self) -> StatusBar:
        """The bottom line, where the save state shows."""
        return self.screen.query_one(StatusBar)

    def schedule(self) -> None:
        """Save soon (once for any number of changes within ``SAVE_DELAY``)."""
        if self.session.read_only or self.conflict_open:
            return
        if self._timer is None:
            self._timer = self.screen.set_timer(SAVE_DELAY, self.save_now)

    def save_now(self) -> None:
        """Hand a copy of the design to a worker thread that writes it (what the timers run)."""
        self._timer = None
        if not self.session.dirty or self.conflict_open:
            return
        snapshot = self.session.snapshot()  # here, on the UI thread: the worker never reads the live design
        self.screen.run_worker(
            partial(self._save_in_thread, snapshot), thread=True, group=SAVE_GROUP, exit_on_error=False
        )

    def _save_in_thread(self, snapshot: SaveSnapshot) -> None:
        outcome = self.session.save(snapshot)  # never raises: any failure is an outcome that says why
        self.screen.app.call_from_thread(self.after_save, outcome)

    def after_save(self, outcome: SaveOutcome) -> None:
        """Show what a save did; on failure keep retrying, on a conflict ask the user."""
        if outcome.ok:
            if self._retry is not None:
                self._retry.stop()
                self._retry = None
            self.show_saved("Saved")
            self.screen.show_findings()
            if self.session.dirty:
                self.schedule()
            return
        if outcome.conflict:
            self.on_conflict()
            return
        self.status.show_not_saved(f"{outcome.message}; retrying")
        if self._retry is None:
            self.screen.notify(
                f"Could not save {self.session.path}: {outcome.message}. Your edits are kept and saving is retried.",
                severity="error",
                timeout=8,
            )
            self._retry = self.screen.set_interval(RETRY_DELAY, self.save_now)

    def show_saved(self, verb: str) -> None:
        """The design is on disk as of the last save (or the opening)."""
        outcome = self.session.last_outcome
        self.status.show_saved(verb, outcome.when if outcome else self.session.clock())

    # -- someone else changed the file ----------------------------------------------------------------

    def on_conflict(self) -> None:
        """The file changed on disk: stop saving and ask whether to reload theirs or keep mine."""
        if self.conflict_open:
            return
        self.conflict_open = True
        self.status.show_not_saved("the file changed on disk", error=False)
        # The dialog comes up after the keys already typed have reached their fields (and it ignores keys
        # for a moment): an Enter meant for a field never answers it.
        wizard_app(self.screen).input_order.in_turn(self._ask_about_conflict)

    def _ask_about_conflict(self) -> None:
        path = self.session.path

        def chosen(answer: str | None) -> None:
            self.conflict_open = False
            if answer == "reload":
                self._reload_theirs()
            elif answer == "mine":  # also Escape's answer, the default
                self._keep_mine()

        self.screen.app.push_screen(
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
            self.status.show_not_saved(exc.detail)
            self.screen.notify(f"Could not keep your version: {exc}", severity="error", timeout=10)
            return
        self.screen.notify(f"Your version was saved as {target}; you are now editing that copy.", timeout=10)
        self.show_saved("Saved")

    def _reload_theirs(self) -> None:
        try:
            self.session.reload_theirs()
        except DesignError as exc:
            self.screen.notify(f"Cannot reload: {exc}", severity="error", timeout=10)
            return
        self.screen.design_replaced()
        self.show_saved("Reloaded")

    # -- leaving -----------------------------------------------------------------------------------------

    async def flush_before_quit(self) -> bool:
        """Save now; True when it is safe to leave (saved, read-only, or nothing to save)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._retry is not None:
            self._retry.stop()
            self._retry = None
        screen = self.screen
        await screen.workers.wait_for_complete() if screen.workers else None
        session = self.session
        if session.read_only or not session.dirty:
            session.close()
            return True
        outcome = session.save()
        if outcome.ok:
            session.close()
            return True
        self.status.show_not_saved(f"{outcome.message}; retrying")

        def answered(answer: str | None) -> None:
            if answer == "quit":
                session.close()
                screen.app.exit(0)
            elif outcome.conflict:
                self.on_conflict()

        screen.app.push_screen(
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
        if not outcome.conflict and self._retry is None:
            self._retry = screen.set_interval(RETRY_DELAY, self.save_now)
        return False

    def save_now_blocking(self) -> bool:
        """Save at once on this thread (the terminal is closing); True when on disk."""
        if self.session.read_only or not self.session.dirty:
            return True
        return self.session.save().ok
