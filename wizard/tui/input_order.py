"""Keys that arrive together are applied one at a time, each where the focus is when its turn comes.

Textual's ``App.on_event`` hands a key to the widget focused at that moment by posting it to that
widget's queue, and goes on with the next key at once. A key that moves the focus acts later: Tab
moves it only when the key has gone up from the widget to the screen's binding, Enter in a select's
list refocuses the select a few messages later, a key that opens a screen leaves the focus unset
until that screen is mounted. Keys that arrive together (a fast typist who knows the form, a paste
across fields, a filler program, a screen reader, a slow SSH link) were all posted to the widget
focused before the first of them: "Tab alpha Tab beta" typed in one go lost both words.

``InputOrder`` holds each key (and paste, and mouse button) that arrives while an earlier one is still
being handled, and hands them on one at a time. One is done when no message queue of the app or of a
screen on its stack holds anything (its bubbling up, the bindings it ran, the focus changes and the
messages these posted have all been handled). The next one then goes to the widget focused at that
time, as if it had been typed after a pause. Nothing waits inside a message handler: each check runs
as a callback in the queues it waits for, so a key coming back up to the app is never blocked.

A character typed right after another into the same text field only waits for that field: typing
moves no focus, and a burst of typing stays as fast as the field.

No upstream Textual issue was found for this (each key is delivered as designed; the order across a
focus change is left to the app). Only public Textual API is used: ``App.on_event``,
``Event.is_forwarded``, ``MessagePump.message_queue_size``, ``call_later``, ``set_interval`` and the
DOM walk; the README's "check on upgrade" list names this module, since it relies on how
``App.on_event`` hands keys on.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

ORDERED = (events.Key, events.Paste, events.MouseDown, events.MouseUp, events.MouseScrollDown, events.MouseScrollUp)
"""What a person does that must be applied in order (mouse moves only hover, and are not held)."""

CHECK_AGAIN = 0.2
"""Seconds after which a check that did not come back (a widget removed with it queued) starts anew."""

LONGEST_HOLD = 3.0
"""Seconds after which held input is handed on even if the app never went quiet (an endless animation),
so typing can be late but never stalls; long enough for a screen as large as the workspace to open."""

TEXT_FIELDS = (Input, TextArea)

Handler = Callable[[events.Event], Awaitable[None]]


def _typed(item: object) -> bool:
    """A printable character (not a key that could move the focus: Tab, Enter, arrows, F-keys...)."""
    return isinstance(item, events.Key) and item.is_printable


class InputOrder:
    """The app's input, applied one event at a time in the order it arrived (see the module doc)."""

    def __init__(self, app: App[Any], handle: Handler) -> None:
        self.app = app
        self.handle = handle
        """Textual's own handling of one input event (``App.on_event``)."""
        self.held: deque[events.Event | Callable[[], object]] = deque()
        self.busy = False
        """True from the moment an event is handed on until everything it caused has been handled."""
        self._round = 0
        self._since = 0.0
        self._watch: Timer | None = None
        self._typing_into: Widget | None = None
        """The text field the last event typed a character into (None if it was anything else)."""

    def ordered(self, event: events.Event) -> bool:
        """True for input this class must put in order (events coming back up from a widget are not)."""
        return isinstance(event, ORDERED) and not event.is_forwarded

    async def arrived(self, event: events.Event | Callable[[], object]) -> None:
        """An input event arrived from the terminal (or a callback its turn, see ``in_turn``): apply it
        now, or after those before it."""
        if self.busy or self.held:
            self.held.append(event)
            return
        await self._apply(event)

    def in_turn(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the input that arrived before it has been applied, and apply the input
        that arrives after it only once what it did has settled. A dialog that comes up on its own (a
        save found the file changed) thus takes no key typed before it appeared. Safe from any task of
        the app: the callback joins the input through the app's own queue."""
        self.app.call_later(self.arrived, callback)

    async def _apply(self, item: events.Event | Callable[[], object]) -> None:
        self.busy = True
        self._since = time.monotonic()
        self._typing_into = None
        try:
            if isinstance(item, events.Event):
                focused = self.app.focused
                await self.handle(item)
                if _typed(item) and isinstance(focused, TEXT_FIELDS) and self.app.focused is focused:
                    self._typing_into = focused
            else:
                item()
        finally:
            self._watching(True)
            self._check()

    def _check(self) -> None:
        """Hand on the next event if every queue is empty; otherwise look again once each has run."""
        self._round += 1
        this_round = self._round
        # A character typed right after another into the same text field moves no focus: it only has to
        # follow the one before it through the field itself.
        pumps = [self._typing_into] if self._typing_on() and self._typing_into else self._pumps()
        waiting = [pump for pump in pumps if pump.message_queue_size]
        left = 0

        def ran() -> None:
            nonlocal left
            left -= 1
            if left == 0 and this_round == self._round and self.busy:
                self._check()

        if time.monotonic() - self._since <= LONGEST_HOLD:
            for pump in waiting:
                if pump.call_later(ran):  # False when it is closing: it will run nothing more
                    left += 1
        if left == 0:
            self.busy = False
            self._watching(False)
            if self.held:
                self.app.call_later(self._next)

    def _typing_on(self) -> bool:
        """True when the last event and the next one are characters typed into the same text field."""
        return (
            self._typing_into is not None
            and bool(self.held)
            and _typed(self.held[0])
            and self.app.focused is self._typing_into
        )

    def _pumps(self) -> list[MessagePump]:
        """The app and every node of every screen on the stack."""
        pumps: list[MessagePump] = [self.app]
        for screen in self.app.screen_stack:
            pumps.extend(screen.walk_children(with_self=True))
        return pumps

    async def _next(self) -> None:
        if self.busy or not self.held:
            return
        await self._apply(self.held.popleft())

    def _watching(self, on: bool) -> None:
        """A slow timer that starts a fresh check while one is under way, in case a callback was lost."""
        if self._watch is None:
            if not on:
                return
            self._watch = self.app.set_interval(CHECK_AGAIN, self._look_again, pause=True)
        if on:
            self._watch.reset()
            self._watch.resume()
        else:
            self._watch.pause()

    def _look_again(self) -> None:
        if self.busy:
            self._check()
