"""The Textual application and the one factory that builds it (used by main() and by tests)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen

from wizard import paths
from wizard.content import DEFAULT_PACK_ID, ContentError, ContentPack, load_pack_by_ref
from wizard.project import DesignError, DesignFile, DesignLock, load_design, new_design, utc_now
from wizard.tui.input_order import InputOrder
from wizard.tui.screens.common import TooSmallScreen
from wizard.tui.session import Clock, DesignSession
from wizard.tui.widgets.focus import mark_label

MIN_WIDTH, MIN_HEIGHT = 80, 24


class StartScreen(Screen[None]):
    """The first screen of the stack, never seen: whenever it comes to the top (at start without a
    design, or when a design or an error screen is closed) it puts the welcome screen up.

    A design opened from the command line covers it before it first resumes, so the welcome screen is
    not built at all then: building a screen nobody sees was a large share of the wizard's start.
    """

    def on_screen_resume(self) -> None:
        """Show the welcome screen when this one is on top."""
        if self.app.screen is self:  # not is_current: that is true while a screen above is still coming up
            from wizard.tui.screens.welcome import WelcomeScreen

            self.app.push_screen(WelcomeScreen())


class TeleWizardApp(App[int]):
    """telewizard: design telemedicine clinical workflows item by item."""

    CSS_PATH = "app.tcss"
    TITLE = "telewizard"
    SUB_TITLE = "Telemedicine clinical workflow design"
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", tooltip="How the wizard works and every key"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Save everything and quit"),
    ]

    def __init__(
        self,
        path: Path | None = None,
        *,
        clock: Clock = utc_now,
        stable: bool = False,
    ) -> None:
        super().__init__()
        self.start_path = path
        self.clock = clock
        self.stable = stable
        """Stable pictures for snapshot tests: no cursor blink."""
        self._too_small: TooSmallScreen | None = None
        self.input_order = InputOrder(self, super().on_event)
        """Keys that arrive together are applied one at a time, where the focus is when each one's turn
        comes (see ``wizard.tui.input_order``)."""

    async def on_event(self, event: events.Event) -> None:
        """Input from the terminal goes through ``input_order``; everything else as Textual handles it."""
        if self.input_order.ordered(event):
            await self.input_order.arrived(event)
        else:
            await super().on_event(event)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused field's label is shown in reverse video (it reads without colour)."""
        mark_label(event.widget, True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The field that lost the focus: its label is plain again."""
        mark_label(event.widget, False)

    # -- opening designs -------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The bottom of the stack: it puts the welcome screen up whenever it would be uncovered."""
        return StartScreen(id="_default")

    def on_mount(self) -> None:
        """Open the design given on the command line; without one, the start screen shows the welcome."""
        if self.start_path is not None:
            self.open_design(self.start_path)
        self.call_after_refresh(self._check_size)

    def load_pack(self, ref: str) -> ContentPack:
        """The content pack a design names."""
        return load_pack_by_ref(ref)

    def open_design(self, path: Path) -> None:
        """Open a design file: the workspace on success, the error screen otherwise."""
        from wizard.tui.screens.error import ErrorScreen
        from wizard.tui.screens.workspace import WorkspaceScreen

        path = Path(path).expanduser()
        if not path.exists() and not path.is_symlink():
            from wizard.tui.screens.context import ContextScreen  # imported only for a new design

            try:
                pack = self.load_pack(DEFAULT_PACK_ID)
            except ContentError as exc:
                self.push_screen(ErrorScreen(str(exc)))
                return
            self.push_screen(ContextScreen(pack, new_path=path))
            return
        try:
            loaded = load_design(path, pack_loader=self.load_pack)
            pack = self.load_pack(loaded.design.project.content)
            session = self._session(loaded, pack)
        except (DesignError, ContentError) as exc:
            self.push_screen(ErrorScreen(str(exc)))
            return
        self.push_screen(WorkspaceScreen(session))

    def _session(self, loaded: DesignFile, pack: ContentPack) -> DesignSession:
        lock = DesignLock(loaded.path)
        reason = ""
        if not lock.acquire():
            reason = f"{lock.holder()} has this design open"
            lock = None  # type: ignore[assignment]
        return DesignSession(loaded, pack, lock=lock, read_only_reason=reason, clock=self.clock)

    def create_design(
        self,
        path: Path,
        pack: ContentPack,
        *,
        title: str,
        organization: str,
        lead: str,
        care_model: str,
        care_model_note: str,
        roles: list[str],
        visit_types: list[str],
    ) -> None:
        """Create a new design file from the context screen and open it."""
        from wizard.tui.screens.workspace import WorkspaceScreen

        created = new_design(
            path,
            title=title,
            organization=organization,
            lead=lead,
            care_model=care_model,
            care_model_note=care_model_note,
            roles=roles,
            visit_types=visit_types,
            content=pack.ref,
        )
        now = self.clock()
        created.design.project.created = now
        created.design.project.updated = now
        session = self._session(created, pack)
        session.generation += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        self.push_screen(WorkspaceScreen(session))

    def open_example(self) -> None:
        """Copy the bundled example to the user data folder (once) and open the copy."""
        target = paths.examples_dir() / paths.bundled_example().name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(paths.bundled_example(), target)
        self.open_design(target)

    # -- app-wide actions ----------------------------------------------------------------

    def action_help(self) -> None:
        """Show help for the current screen."""
        from wizard.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Save everything, store the resume point and quit."""
        from wizard.tui.screens.workspace import WorkspaceScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, WorkspaceScreen) and not await screen.flush_before_quit():
                return
        self.exit(0)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: the screen's own commands first, then Textual's."""
        own = getattr(screen, "system_commands", None)
        if callable(own):
            yield from own()
        yield from super().get_system_commands(screen)

    # -- terminal size -----------------------------------------------------------------

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Push a screen; while the terminal is too small its message stays on top."""
        if self._too_small is not None and screen is not self._too_small and self.screen is self._too_small:
            self.pop_screen()
            result = super().push_screen(screen, *args, **kwargs)
            super().push_screen(self._too_small)
            return result
        return super().push_screen(screen, *args, **kwargs)

    def on_resize(self, event: Resize) -> None:
        """Below the minimum size, cover everything with a clear message."""
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int | None = None, height: int | None = None) -> None:
        if width is None or height is None:
            width, height = self.size
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        if too_small and self._too_small is None:
            self._too_small = TooSmallScreen(MIN_WIDTH, MIN_HEIGHT)
            self.push_screen(self._too_small)
        elif too_small and self._too_small is not None:
            self._too_small.update_size(width, height)
        elif not too_small and self._too_small is not None:
            if self.screen is self._too_small:
                self.pop_screen()
            self._too_small = None

    def on_terminate_signal(self, signum: int, frame: object = None) -> None:
        """SIGTERM or SIGHUP (terminal closed): save every open design now, then exit."""
        from wizard.tui.screens.workspace import WorkspaceScreen

        for screen in self.screen_stack:
            if isinstance(screen, WorkspaceScreen):
                screen.save_now_blocking()
                screen.session.close()
        self.exit(128 + signum)

    def today(self) -> dt.date:
        """Today by the app's clock (fixed in tests)."""
        return self.clock().date()


def make_app(path: Path | None = None, *, clock: Clock = utc_now, stable: bool = False) -> TeleWizardApp:
    """Build the app from command-line arguments; main() and the tests both call this."""
    return TeleWizardApp(path, clock=clock, stable=stable)
