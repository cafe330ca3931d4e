"""A design bound to its file: saving merges only what changed into the file's own TOML document, so
comments, unknown keys and key order survive, and writes it atomically.

The document (tomlkit, and ``merge`` built on it) is imported by the first save: loading reads with
tomli, and the headless commands (export, check, status) never save."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import tomli
from pydantic import BaseModel, ValidationError

from wizard.project.atomic import write_atomic
from wizard.project.errors import SaveConflictError, SaveError
from wizard.project.migrations import migrate
from wizard.project.models import (
    Decision,
    Design,
    copy_design,
    overlong_message,
    overlong_text,
    same_data,
    unchanged_decisions,
)

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

    from wizard.content import ContentPack


@dataclass
class Fingerprint:
    """What the file on disk looked like when loaded or last saved."""

    size: int
    mtime_ns: int
    digest: str
    inode: int = 0

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> Fingerprint:
        """Fingerprint from a stat taken before reading (or after writing) ``data``."""
        return cls(info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest(), info.st_ino)

    @classmethod
    def of_bytes(cls, path: Path, data: bytes) -> Fingerprint:
        """Fingerprint of the bytes just read or written at path."""
        return cls.of(path.stat(), data)

    def matches_disk(self, path: Path) -> bool:
        """True when the file on disk still holds the bytes we loaded or saved.

        The bytes are compared (by digest) whenever the size matches: an edit that keeps the size and
        the modification time (coarse clocks, ``touch -r``, some sync tools) is still caught. A design
        file is small, so this costs far less than the save it guards.
        """
        try:
            info = path.stat()
            if info.st_size != self.size or not stat.S_ISREG(info.st_mode):
                return False
            return hashlib.sha256(path.read_bytes()).hexdigest() == self.digest
        except OSError:
            return False


def _holds(back: BaseModel | None, want: BaseModel | None) -> bool:
    """True when a model read back from a file holds everything ``want`` holds: the same known fields,
    and each of ``want``'s unknown keys with the same value. Unknown keys the file has beyond those
    are fine: a save never deletes a user's unknown keys, even ones the in-memory model dropped."""
    if back is None or want is None:
        return back is None and want is None
    for name in type(want).model_fields:
        mine, theirs = getattr(back, name), getattr(want, name)
        if name == "decisions":
            blank = Decision()
            if not all(_holds(mine.get(slug, blank), theirs.get(slug, blank)) for slug in {*mine, *theirs}):
                return False
        elif isinstance(theirs, BaseModel) or isinstance(mine, BaseModel):
            if not _holds(mine, theirs):
                return False
        elif isinstance(theirs, list) and theirs and isinstance(theirs[0], BaseModel):
            if len(mine) != len(theirs) or not all(_holds(a, b) for a, b in zip(mine, theirs, strict=True)):
                return False
        elif not same_data(mine, theirs):
            return False
    extra = back.model_extra or {}
    return all(key in extra and same_data(extra[key], value) for key, value in (want.model_extra or {}).items())


def read_back(text: str, design: Design) -> Design | None:
    """The design TOML text loads back as, when it holds exactly ``design`` (see ``_holds``), else None."""
    try:
        back = Design.model_validate(tomli.loads(text))
    except (tomli.TOMLDecodeError, ValidationError, RecursionError, ValueError, TypeError):
        return None
    return back if back == design or _holds(back, design) else None


def _encoded(path: Path, text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SaveError(
            path, f"could not be saved: the text holds a character UTF-8 cannot store ({exc.reason})"
        ) from None


@dataclass
class DesignFile:
    """A design bound to its file: the model, the file's own TOML document, and its disk state.

    ``save()`` merges only what changed into the file's own document, so comments, unknown keys and
    key order survive; a save that changes the file's layout (and the first save of a file) is
    read back and compared with the design before anything is written. When someone else changed
    the file, ``save()`` raises SaveConflictError and the caller offers ``reload()`` (take theirs)
    or ``save_mine_as_copy()`` (keep mine under a new name).
    """

    path: Path
    design: Design
    text: str = ""
    fingerprint: Fingerprint | None = None
    migrated_from: int | None = None
    reformatted: bool = False
    """True when the last save had to rewrite the file in standard layout (its comments were not
    kept), because the hand-written layout (dotted keys, inline tables) could not take the change."""
    item_titles: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Each item's number and title by slug ("3.1.1 Provider scheduling and availability"): a decision's
    table gets them as a comment line when it is first written (see ``merge_design``)."""
    _doc: TOMLDocument | None = field(default=None, repr=False)
    _saved: Design | None = field(default=None, repr=False)
    """An independent copy of the design as last loaded or written: decisions the same as in it are
    not merged again."""
    _original: bytes | None = field(default=None, repr=False)
    """The bytes as loaded, kept while a migrated file waits for its first save (its backup)."""
    _doc_checked: bool = field(default=False, repr=False)
    """True once a save of the live document was read back and matched."""

    @property
    def doc(self) -> TOMLDocument:
        """The file's tomlkit document, parsed on first save (headless commands never need it)."""
        if self._doc is None:
            self._doc = self._parse_base()
        return self._doc

    def _parse_base(self) -> TOMLDocument:
        """The document of the text last loaded or saved (migrated again when it is an old format)."""
        import tomlkit

        from wizard.project.merge import new_document

        if not self.text:
            return new_document()
        doc = tomlkit.parse(self.text)
        if self.migrated_from is not None:
            migrate(doc, self.path)
        return doc

    @property
    def exists(self) -> bool:
        """True once the design has a file on disk."""
        return self.fingerprint is not None

    def changed_on_disk(self) -> bool:
        """True when someone else changed (or removed) the file since we loaded or saved it."""
        return self.fingerprint is not None and not self.fingerprint.matches_disk(self.path)

    def conflict(self) -> str:
        """Why saving now would overwrite someone else's work (a sentence), or "" when it would not."""
        if self.fingerprint is None:
            if self.path.exists() or self.path.is_symlink():
                return "was created by someone else after this design was started; not overwriting it"
            return ""
        if self.fingerprint.matches_disk(self.path):
            return ""
        if not self.path.exists():
            return "was deleted or moved since it was opened; not writing it back without asking"
        return "changed on disk since it was opened (someone else saved it); not overwriting it"

    def save(self, *, force: bool = False) -> None:
        """Write the design atomically, keeping the previous file as ``<name>.toml.bak``.

        SaveConflictError when the file changed underneath (unless ``force``); SaveError when it
        cannot be written (read-only folder, full disk...), with the file on disk and this object's
        design left as they were. A migrated file gets its ``.v<N>.bak`` backup before anything else.
        """
        if not force and (reason := self.conflict()):
            raise SaveConflictError(self.path, reason)
        # Decisions the same as last saved were checked by that save (or the load): only the others are
        # checked, merged and copied.
        unchanged = unchanged_decisions(self.design, self._saved)
        if too_long := overlong_text(self.design, unchanged):
            place, length = too_long
            raise SaveError(self.path, f"not saved: {place} {overlong_message(length)}; shorten it")
        text, doc, reformatted, written = self._render(unchanged)
        try:
            data = _encoded(self.path, text)
            if self.migrated_from is not None and self._original is not None:
                self._write_migration_backup(self._original, self.migrated_from)
            info = write_atomic(self.path, data, keep_backup=True)
        except BaseException:
            # The live document holds what was not written, and the next save skips decisions the same as
            # last *written*: one changed back since would keep the unwritten value. Parse the text again.
            self._forget_doc()
            raise
        self._doc = doc
        self._doc_checked = True
        self.text = text
        self.fingerprint = Fingerprint.of(info, data)
        self._saved = written
        self.migrated_from = None
        self._original = None
        self.reformatted = reformatted

    def _render(self, unchanged: AbstractSet[str] = frozenset()) -> tuple[str, TOMLDocument, bool, Design]:
        """The new file text, its document, whether the layout had to be rebuilt, and an independent
        copy of the design as written.

        First the cheap way: merge what changed into the live document (``unchanged`` names the
        decisions the same as last saved, which are skipped). A result whose layout changed (keys or
        tables added or removed, inline or dotted tables touched), and the first save of a document,
        is read back and compared with the design: tomlkit cannot always place a change into
        hand-written layouts, so a failed check retries a full merge into a fresh parse, then a fresh
        standard document. Nothing is written unless the text reads back right.
        """
        from wizard.project.merge import merge_design, new_document

        attempts: list[Callable[[], TOMLDocument]] = [lambda: self.doc, self._parse_base, new_document]
        for index, make_doc in enumerate(attempts):
            try:
                doc = make_doc()
                structural = merge_design(doc, self.design, unchanged if index == 0 else frozenset(), self.item_titles)
                text = doc.as_string()
            except Exception:  # tomlkit raises many kinds on layouts it cannot edit; the next attempt copes
                self._forget_doc()
                continue
            if index == 0 and not structural and self._doc_checked and self._saved is not None:
                # Only values replaced in place in [header] tables, in a document already checked:
                # nothing tomlkit can misplace, so the read-back (as costly as the save) is skipped.
                return text, doc, False, copy_design(self.design, reuse=self._saved)
            if (back := read_back(text, self.design)) is not None:
                return text, doc, index == len(attempts) - 1, back
            self._forget_doc()
        raise SaveError(
            self.path, "could not be saved: the design holds a value TOML cannot store; nothing was written"
        )

    def _forget_doc(self) -> None:
        """Drop the live document: the next save parses the text again."""
        self._doc, self._doc_checked = None, False

    def _write_migration_backup(self, original: bytes, version: int) -> Path:
        """Keep the file as it was before migration: ``<name>.toml.v<N>.bak`` (never overwriting another)."""
        backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
        counter = 1
        while True:
            try:
                if backup.read_bytes() == original:
                    return backup
            except FileNotFoundError:
                try:
                    write_atomic(backup, original, exclusive=True)
                except FileExistsError:
                    continue
                return backup
            except OSError as exc:
                raise SaveError(backup, f"could not be read: {exc.strerror or exc}") from None
            counter += 1
            backup = self.path.with_name(f"{self.path.name}.v{version}.{counter}.bak")

    def save_as(self, path: Path) -> DesignFile:
        """Write a copy of the design to a new path (never overwrites); returns the new file."""
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise SaveError(path, "already exists; not overwriting it")
        if too_long := overlong_text(self.design):
            raise SaveError(path, f"not saved: {too_long[0]} {overlong_message(too_long[1])}; shorten it")
        copy = DesignFile(path=path, design=copy_design(self.design), item_titles=self.item_titles)
        try:
            copy.text = self.doc.as_string()
        except Exception:
            copy.text = ""
        text, doc, reformatted, written = copy._render()
        data = _encoded(path, text)
        try:
            info = write_atomic(path, data, exclusive=True)
        except FileExistsError:
            raise SaveError(path, "already exists; not overwriting it") from None
        copy._doc, copy.text, copy.reformatted = doc, text, reformatted
        copy.fingerprint = Fingerprint.of(info, data)
        copy._saved = written
        return copy

    def mine_copy_path(self, when: dt.datetime | None = None) -> Path:
        """Where ``save_mine_as_copy`` writes: ``<stem>.mine-<YYYYmmdd-HHMMSS>.toml`` beside the design
        (``-2``, ``-3``... appended when that name is taken)."""
        stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        candidate = self.path.with_name(f"{self.path.stem}.mine-{stamp}.toml")
        counter = 1
        while candidate.exists() or candidate.is_symlink():
            counter += 1
            candidate = self.path.with_name(f"{self.path.stem}.mine-{stamp}-{counter}.toml")
        return candidate

    def save_mine_as_copy(self, when: dt.datetime | None = None) -> Path:
        """Keep my version when someone else changed the file: write it beside theirs as
        ``<stem>.mine-<YYYYmmdd-HHMMSS>.toml`` and return that path. Theirs is left untouched and
        this object stays bound to it (call ``reload()`` to continue on theirs, or open the copy)."""
        for _ in range(5):
            target = self.mine_copy_path(when)
            try:
                self.save_as(target)
            except SaveError:
                if target.exists():  # taken in between: pick the next name
                    continue
                raise
            return target
        raise SaveError(self.path, "could not find a free name for a copy beside it")

    def reload(
        self, pack: ContentPack | None = None, *, pack_loader: Callable[[str], ContentPack] | None = None
    ) -> None:
        """Take theirs: load the file again from disk, dropping unsaved edits held here.

        DesignError (this object unchanged) when the file on disk cannot be loaded.
        """
        from wizard.project.reading import load_design  # reading builds DesignFiles: imported when used

        fresh = load_design(self.path, pack, pack_loader=pack_loader)
        self.design = fresh.design
        self.text = fresh.text
        self.fingerprint = fresh.fingerprint
        self.migrated_from = fresh.migrated_from
        self.reformatted = False
        self._doc = fresh._doc
        self._doc_checked = False
        self._saved = fresh._saved
        self._original = fresh._original
