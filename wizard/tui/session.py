"""The open design as the wizard holds it: the live model, its file, the lock, and saving.

The live model changes on every keystroke; saving works on a copy, in a worker thread, through
the core's atomic save. A failed save leaves the live model untouched, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wizard import recent
from wizard.content import ContentPack
from wizard.project import (
    Decision,
    Design,
    DesignFile,
    DesignLock,
    SaveConflictError,
    SaveError,
    copy_design,
    progress,
    utc_now,
)

Clock = Callable[[], dt.datetime]


@dataclass
class SaveOutcome:
    """What one save attempt did."""

    ok: bool
    when: dt.datetime
    message: str = ""
    conflict: bool = False


class DesignSession:
    """One design open in the wizard."""

    def __init__(
        self,
        file: DesignFile,
        pack: ContentPack,
        *,
        lock: DesignLock | None = None,
        read_only_reason: str = "",
        clock: Clock = utc_now,
    ) -> None:
        self.file = file
        self.pack = pack
        self.lock = lock
        self.read_only_reason = read_only_reason
        self.clock = clock
        self.design: Design = copy_design(file.design)
        self.generation = 0
        """Bumped on every change; a save records the generation it wrote."""
        self.saved_generation = 0 if file.exists else -1
        self.last_outcome: SaveOutcome | None = None
        self._save_lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The design file."""
        return self.file.path

    @property
    def read_only(self) -> bool:
        """True when another wizard holds the file: nothing is written."""
        return bool(self.read_only_reason)

    @property
    def dirty(self) -> bool:
        """True when there are changes not yet on disk."""
        return self.saved_generation != self.generation

    def decision(self, slug: str) -> Decision:
        """The live decision of an item, created on first use."""
        if slug not in self.design.decisions:
            self.design.decisions[slug] = Decision()
        return self.design.decisions[slug]

    def touch(self, slug: str | None = None) -> None:
        """Record that something changed (and when)."""
        now = self.clock()
        if slug is not None:
            self.decision(slug).updated = now
        self.design.project.updated = now
        self.generation += 1

    def set_resume_point(self, slug: str) -> None:
        """Remember the item on screen; saved with the next save."""
        if self.design.project.resume_at != slug:
            self.design.project.resume_at = slug
            self.generation += 1

    def save(self, *, force: bool = False) -> SaveOutcome:
        """Write the live design (thread-safe; one save at a time)."""
        now = self.clock()
        if self.read_only:
            return SaveOutcome(False, now, f"read-only: {self.read_only_reason}")
        with self._save_lock:
            generation = self.generation
            if generation == self.saved_generation and not force:
                return self.last_outcome or SaveOutcome(True, now)
            # Decisions unchanged since the last save are shared with the copy that save made (nobody edits
            # it), so the copy costs the changed decisions, not the whole design.
            self.file.design = copy_design(self.design, reuse=self.file.design)
            try:
                self.file.save(force=force)
            except SaveConflictError as exc:
                self.last_outcome = SaveOutcome(False, now, exc.detail, conflict=True)
                return self.last_outcome
            except SaveError as exc:
                self.last_outcome = SaveOutcome(False, now, exc.detail)
                return self.last_outcome
            self.saved_generation = generation
            self.last_outcome = SaveOutcome(True, now)
        self.remember()
        return self.last_outcome

    def remember(self) -> None:
        """Update the recent list with this design's title and progress."""
        counts = progress(self.design, self.pack)
        done = counts["decided"] + counts["not-applicable"]
        recent.remember(self.path, self.design.project.title, done, len(self.pack.items), self.clock())

    def keep_mine(self) -> Path:
        """Save my version under a new name beside theirs and continue editing the copy."""
        target = self.file.mine_copy_path(self.clock().astimezone())
        self.file.design = self.design.model_copy(deep=True)
        copy = self.file.save_as(target)
        if self.lock is not None:
            self.lock.release()
            self.lock = DesignLock(target)
            self.lock.acquire()
        self.file = copy
        self.saved_generation = self.generation
        self.remember()
        return target

    def close(self) -> None:
        """Release the lock."""
        if self.lock is not None:
            self.lock.release()
