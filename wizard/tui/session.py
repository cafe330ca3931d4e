"""The open design as the wizard holds it: the live model, its file, the lock, and saving.

The live model changes on every keystroke, on the UI thread. A save works on a copy taken there
(``snapshot``) and handed to a worker thread, which writes it through the core's atomic save; the
worker never reads the live model. A failed save, whatever the reason, leaves the live model
untouched and the design dirty, so nothing typed is lost and the next save writes it.
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
    load_design,
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


@dataclass(frozen=True)
class SaveSnapshot:
    """The design as it was when a save was asked for: an independent copy, taken on the UI thread."""

    design: Design
    generation: int
    """The session's generation the copy holds: the design is clean once this generation is written."""


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
        file.item_titles = self.item_titles = {item.id: f"{item.number} {item.title}" for item in pack.items}
        """Each item's number and title: a decision's table is labelled with them when first written."""
        self.generation = 0
        """Bumped on every change; a save records the generation it wrote."""
        self.edits = 0
        """Bumped on every change to what the design says (not the resume point): what was worked out
        from the design (its warnings) is up to date while this has not moved."""
        self.saved_generation = 0 if file.exists else -1
        self.last_outcome: SaveOutcome | None = None
        self._save_lock = threading.Lock()
        self._last_copy = file.design
        """The copy made last (nobody edits it): the next copy shares its unchanged decisions."""

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
        self.edits += 1

    def set_resume_point(self, slug: str) -> None:
        """Remember the item on screen; saved with the next save."""
        if self.design.project.resume_at != slug:
            self.design.project.resume_at = slug
            self.generation += 1

    def snapshot(self) -> SaveSnapshot:
        """Copy the live design for a save. Call it on the UI thread, where the design changes: a copy
        taken in the worker could read a decision table while a keystroke adds to it."""
        # Decisions unchanged since the last copy are shared with it (nobody edits a copy), so a copy
        # after one edit costs that decision, not the whole design.
        self._last_copy = copy_design(self.design, reuse=self._last_copy)
        return SaveSnapshot(self._last_copy, self.generation)

    def save(self, snapshot: SaveSnapshot | None = None, *, force: bool = False) -> SaveOutcome:
        """Write ``snapshot`` (taken now when not given: only on the UI thread) atomically; one save at a
        time, from any thread. Any failure is an outcome that says why, never an exception: the live
        design stays dirty and the next save writes it."""
        now = self.clock()
        if self.read_only:
            return SaveOutcome(False, now, f"read-only: {self.read_only_reason}")
        if snapshot is None:
            if self.generation == self.saved_generation and not force:
                return self.last_outcome or SaveOutcome(True, now)
            snapshot = self.snapshot()
        with self._save_lock:
            if snapshot.generation <= self.saved_generation and not force:
                return self.last_outcome or SaveOutcome(True, now)
            self.file.design = snapshot.design
            try:
                self.file.save(force=force)
            except SaveConflictError as exc:
                self.last_outcome = SaveOutcome(False, now, exc.detail, conflict=True)
                return self.last_outcome
            except SaveError as exc:
                self.last_outcome = SaveOutcome(False, now, exc.detail)
                return self.last_outcome
            except Exception as exc:  # a fault of ours must not pass for a save, nor lose the edits
                self.last_outcome = SaveOutcome(False, now, f"unexpected error: {type(exc).__name__}: {exc}")
                return self.last_outcome
            self.saved_generation = max(self.saved_generation, snapshot.generation)
            self.last_outcome = SaveOutcome(True, now)
        self.remember(snapshot.design)
        return self.last_outcome

    def remember(self, design: Design | None = None) -> None:
        """Update the recent list with the title and progress of ``design`` (the live one by default:
        a worker passes the copy it saved)."""
        design = self.design if design is None else design
        counts = progress(design, self.pack)
        done = counts["decided"] + counts["not-applicable"]
        recent.remember(self.path, design.project.title, done, len(self.pack.items), self.clock())

    def keep_mine(self) -> Path:
        """Someone else changed the file: save my version beside theirs (``DesignFile.save_mine_as_copy``)
        and continue editing that copy. SaveError or DesignError when it cannot be written or read back."""
        snapshot = self.snapshot()
        with self._save_lock:
            self.file.design = snapshot.design
            target = self.file.save_mine_as_copy(self.clock().astimezone())
            copy = load_design(target, self.pack)
        if self.lock is not None:
            self.lock.release()
            self.lock = DesignLock(target)
            self.lock.acquire()
        copy.item_titles = self.item_titles
        self.file = copy
        self._last_copy = copy.design
        self.saved_generation = snapshot.generation
        self.last_outcome = SaveOutcome(True, self.clock())
        self.remember()
        return target

    def reload_theirs(self) -> None:
        """Someone else changed the file: take theirs (``DesignFile.reload``), dropping unsaved edits.
        DesignError (nothing changed here) when the file on disk cannot be loaded."""
        with self._save_lock:
            self.file.reload(self.pack)
        self.design = copy_design(self.file.design)
        self._last_copy = self.file.design
        self.edits += 1
        self.saved_generation = self.generation
        self.last_outcome = SaveOutcome(True, self.clock())

    def close(self) -> None:
        """Release the lock."""
        if self.lock is not None:
            self.lock.release()
