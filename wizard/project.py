"""The design: models, loading and atomic saving of the TOML project file.

Loading reads with ``tomllib`` (fast, precise line/column errors) and validates with pydantic.
Saving merges the model into the file's own tomlkit document, so comments, unknown keys and key
order survive, then writes atomically (temporary file in the same folder, flush, fsync, rename)
and keeps the previous version as ``<name>.toml.bak``. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import secrets
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomlkit
import tomlkit.items
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tomlkit.container import Container
from tomlkit.toml_document import TOMLDocument

from wizard.content import DEFAULT_PACK_ID, ContentPack

SCHEMA_VERSION = 1
STATUSES = ("open", "drafting", "decided", "not-applicable")
REVIEW_STATES = ("approved", "changes-requested")
CUSTOM_OPTION = "custom"
Status = Literal["open", "drafting", "decided", "not-applicable"]
ReviewState = Literal["approved", "changes-requested"]
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Refuse files larger than this: no real design comes near it."""


def utc_now() -> dt.datetime:
    """The current time in UTC, to the second (what the file stores)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class _Model(BaseModel):
    """Base for project models: unknown keys are kept (and reported by checks as warnings)."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, strict=False)


class Review(_Model):
    """A reviewer's outcome for one item."""

    state: ReviewState = Field(description="approved or changes-requested.")
    by: str = Field(default="", description="Who reviewed.")
    on: dt.date | None = Field(default=None, description="When.")
    comment: str = Field(default="", description="What the reviewer said.")


class Decision(_Model):
    """The lead's decision for one checklist item."""

    status: Status = Field(default="open", description="open, drafting, decided or not-applicable.")
    option: str = Field(default="", description="An option id of the item, or 'custom'.")
    summary: str = Field(default="", description="One or two sentences: what was decided.")
    rationale: str = Field(default="", description="Why (Markdown).")
    owner: str = Field(default="", description="Who owns putting it in place.")
    due: dt.date | None = Field(default=None, description="When it is due.")
    kpis: list[str] = Field(default_factory=list, description="Measures, one per entry.")
    notes: str = Field(default="", description="Anything else.")
    updated: dt.datetime | None = Field(default=None, description="Last change (UTC).")
    review: Review | None = Field(default=None, description="The reviewer's outcome.")

    def is_blank(self) -> bool:
        """True when nothing was ever entered (an item with no table in the file)."""
        return self == Decision()


class ProjectInfo(_Model):
    """Who and what the design is for, and where to resume."""

    title: str = Field(default="", description="Title of the design.")
    organization: str = Field(default="", description="The organization.")
    lead: str = Field(default="", description="The operations lead.")
    content: str = Field(default=f"{DEFAULT_PACK_ID}@1", description="Content pack id@major.")
    created: dt.datetime | None = Field(default=None, description="When the design was created.")
    updated: dt.datetime | None = Field(default=None, description="Last save.")
    resume_at: str = Field(default="", description="Item slug shown on reopen.")


class ClinicalContext(_Model):
    """The three context variables that make guidance specific."""

    care_model: str = Field(default="", description="A care model id, or 'other'.")
    care_model_note: str = Field(default="", description="What 'other' means here.")
    roles: list[str] = Field(default_factory=list, description="Role ids.")
    visit_types: list[str] = Field(default_factory=list, description="Visit type ids.")


class Design(_Model):
    """A whole design as the project file holds it."""

    schema_version: int = Field(default=SCHEMA_VERSION, description="File format version.")
    project: ProjectInfo = Field(default_factory=ProjectInfo)
    context: ClinicalContext = Field(default_factory=ClinicalContext)
    decisions: dict[str, Decision] = Field(default_factory=dict, description="By item slug.")

    def decision(self, slug: str) -> Decision:
        """The decision for an item (an open, blank one when the file has none)."""
        return self.decisions.get(slug) or Decision()

    def status_of(self, slug: str) -> Status:
        """The status of an item."""
        return self.decision(slug).status


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class DesignError(Exception):
    """A design file that cannot be used. ``str()`` is one line naming the file and place."""

    def __init__(self, path: Path | str, message: str, place: str = "") -> None:
        self.path = str(path)
        self.place = place
        self.detail = message
        super().__init__(f"{self.path}: {place + ': ' if place else ''}{message}")


class NewerSchemaError(DesignError):
    """The file was written by a newer telewizard; it is never rewritten."""


class SaveConflictError(DesignError):
    """The file changed on disk since it was loaded; saving would overwrite someone's edit."""


class SaveError(DesignError):
    """The file could not be written (read-only folder, full disk...). Edits stay in memory."""


# ---------------------------------------------------------------------------
# Migrations
# ---------------------------------------------------------------------------

Migration = Callable[[TOMLDocument], None]
MIGRATIONS: dict[int, Migration] = {}
"""Migrations by the version they upgrade from: MIGRATIONS[n] turns version n into n + 1 in place."""


def migrate(doc: TOMLDocument, path: Path | str) -> int:
    """Upgrade a document to SCHEMA_VERSION in place; returns the version it started at."""
    start = doc.get("schema_version")
    version = start
    while isinstance(version, int) and version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DesignError(path, f"schema_version {version} is too old and cannot be upgraded", "schema_version")
        step(doc)
        version += 1
        doc["schema_version"] = version
    return int(start) if isinstance(start, int) else SCHEMA_VERSION


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _pydantic_message(err: Mapping[str, Any]) -> str:
    message = str(err["msg"]).rstrip(".")
    message = message[0].lower() + message[1:] if message else "invalid value"
    value = err.get("input")
    if isinstance(value, str | int | float | bool) and len(repr(value)) <= 40:
        message += f" (found {value!r})"
    return message


def read_text(path: Path) -> str:
    """Read a design file's text, or raise DesignError with one clear sentence."""
    try:
        if path.is_dir():
            raise DesignError(path, "is a folder, not a design file")
        size = path.stat().st_size
    except FileNotFoundError:
        raise DesignError(path, "no such file") from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: a symlink loop
            raise DesignError(path, "cannot be opened: symbolic link loop") from None
        raise DesignError(path, f"cannot be read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise DesignError(path, f"is {size // (1024 * 1024)} MB, too large to be a design file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DesignError(path, f"cannot be read: {exc.strerror or exc}") from None
    if not data.strip():
        raise DesignError(path, "is empty; a design file needs at least schema_version and [project]")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise DesignError(path, "is a binary file, not TOML text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DesignError(path, "is not UTF-8 text", f"line {line}") from None


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    """Parse TOML with tomllib, turning syntax errors into DesignError with line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raw = str(exc)
        if match := _TOML_POSITION.match(raw):
            place = f"line {match['line']}, column {match['col']}"
            raise DesignError(path, f"invalid TOML: {match['msg'].lower()}", place) from None
        if match := _TOML_END.match(raw):
            raise DesignError(path, f"invalid TOML: {match['msg'].lower()}", "end of file") from None
        raise DesignError(path, f"invalid TOML: {raw}") from None
    except RecursionError:
        raise DesignError(path, "invalid TOML: nesting is too deep") from None


def check_schema_version(data: Mapping[str, Any], path: Path | str) -> int:
    """The file's schema_version, or DesignError / NewerSchemaError."""
    version = data.get("schema_version")
    if version is None:
        raise DesignError(path, "is missing; add schema_version = 1 at the top", "schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DesignError(path, f"must be a whole number, found {version!r}", "schema_version")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            path,
            f"is {version}, written by a newer telewizard (this one reads up to {SCHEMA_VERSION}); "
            "the file is left untouched",
            "schema_version",
        )
    if version < 0:
        raise DesignError(path, f"must not be negative, found {version}", "schema_version")
    return version


def validate_design(data: Mapping[str, Any], path: Path | str) -> Design:
    """Validate parsed data into a Design; the first error names its place."""
    decisions = data.get("decisions")
    if decisions is not None and not isinstance(decisions, dict):
        raise DesignError(path, "must be a table of item decisions", "decisions")
    if isinstance(decisions, dict):
        for slug, value in decisions.items():
            if not isinstance(value, dict):
                raise DesignError(path, "must be a table", f"decisions.{slug}")
    try:
        return Design.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        more = exc.error_count() - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise DesignError(path, _pydantic_message(err) + suffix, _field_path(err["loc"])) from None
    except RecursionError:
        raise DesignError(path, "nesting is too deep") from None


def check_against_pack(design: Design, pack: ContentPack, path: Path | str) -> None:
    """Unknown item slugs, option ids and vocabulary ids are errors."""
    for slug, decision in design.decisions.items():
        item = pack.items_by_id.get(slug)
        if item is None:
            raise DesignError(path, f"unknown item {slug!r} (not in content pack {pack.ref})", f"decisions.{slug}")
        if decision.option and decision.option != CUSTOM_OPTION and item.option(decision.option) is None:
            known = ", ".join([opt.id for opt in item.options] + [CUSTOM_OPTION])
            raise DesignError(
                path, f"unknown option {decision.option!r}; choose one of {known}", f"decisions.{slug}.option"
            )
    ctx = design.context
    if ctx.care_model and ctx.care_model not in {e.id for e in pack.care_models}:
        raise DesignError(path, f"unknown care model {ctx.care_model!r}", "context.care_model")
    for name in ("roles", "visit_types"):
        known_ids = {e.id for e in pack.vocabulary(name)}
        for index, value in enumerate(getattr(ctx, name)):
            if value not in known_ids:
                raise DesignError(path, f"unknown id {value!r}", f"context.{name}[{index}]")
    if design.project.resume_at and design.project.resume_at not in pack.items_by_id:
        raise DesignError(path, f"unknown item {design.project.resume_at!r}", "project.resume_at")


@dataclass
class Fingerprint:
    """What the file on disk looked like when loaded or last saved."""

    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of_bytes(cls, path: Path, data: bytes) -> Fingerprint:
        """Fingerprint of the bytes just read or written at path."""
        stat = path.stat()
        return cls(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def matches_disk(self, path: Path) -> bool:
        """True when the file on disk still holds what we loaded (cheap stat first)."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return False
        if stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns:
            return True
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest() == self.digest
        except OSError:
            return False


@dataclass
class DesignFile:
    """A design bound to its file: the model, the file's own TOML document, and its disk state."""

    path: Path
    design: Design
    text: str = ""
    fingerprint: Fingerprint | None = None
    migrated_from: int | None = None
    _doc: TOMLDocument | None = field(default=None, repr=False)
    _saved: Design | None = field(default=None, repr=False)

    @property
    def doc(self) -> TOMLDocument:
        """The file's tomlkit document, parsed on first save (headless commands never need it)."""
        if self._doc is None:
            self._doc = tomlkit.parse(self.text) if self.text else _new_document()
        return self._doc

    @property
    def exists(self) -> bool:
        """True once the design has a file on disk."""
        return self.fingerprint is not None

    def changed_on_disk(self) -> bool:
        """True when someone else changed (or removed) the file since we loaded or saved it."""
        return self.fingerprint is not None and not self.fingerprint.matches_disk(self.path)

    def save(self, *, force: bool = False) -> None:
        """Write the design atomically; SaveConflictError when the file changed underneath."""
        if not force and self.changed_on_disk():
            raise SaveConflictError(
                self.path, "the file changed on disk since it was opened; not overwriting it"
            )
        if self.migrated_from is not None and self.fingerprint is not None:
            backup = self.path.with_name(f"{self.path.name}.v{self.migrated_from}.bak")
            if not backup.exists():
                _write_atomic(backup, self.text.encode("utf-8"))
        merge_design(self.doc, self.design, self._saved)
        text = self.doc.as_string()
        data = text.encode("utf-8")
        _write_atomic(self.path, data, keep_backup=self.fingerprint is not None)
        self.text = text
        self.fingerprint = Fingerprint.of_bytes(self.path, data)
        self._saved = self.design.model_copy(deep=True)
        self.migrated_from = None

    def save_as(self, path: Path) -> DesignFile:
        """Write a copy of the design to a new path (never overwrites); returns the new file."""
        copy = DesignFile(path=path, design=self.design.model_copy(deep=True), text=self.doc.as_string())
        if path.exists():
            raise SaveError(path, "already exists; not overwriting it")
        copy._doc = tomlkit.parse(copy.text)
        copy.save()
        return copy


def load_design(
    path: Path | str, pack: ContentPack | None = None, *, pack_loader: Callable[[str], ContentPack] | None = None
) -> DesignFile:
    """Load a design file; raise DesignError (one clear line) for anything wrong with it.

    ``pack`` (or ``pack_loader``, given the file's content ref) validates item slugs and ids.
    """
    path = Path(path)
    cleanup_temporary_files(path)
    text = read_text(path)
    data = parse_toml(text, path)
    version = check_schema_version(data, path)
    migrated_from = None
    doc = None
    if version < SCHEMA_VERSION:
        doc = tomlkit.parse(text)
        migrated_from = migrate(doc, path)
        data = doc.unwrap()
    design = validate_design(data, path)
    if pack is None and pack_loader is not None:
        pack = pack_loader(design.project.content)
    if pack is not None:
        check_against_pack(design, pack, path)
    loaded = DesignFile(path=path, design=design, text=text, migrated_from=migrated_from, _doc=doc)
    loaded.fingerprint = Fingerprint.of_bytes(path, text.encode("utf-8"))
    loaded._saved = None if migrated_from is not None else design.model_copy(deep=True)
    # The fingerprint must be of the raw bytes on disk (BOM included), not the decoded text.
    with contextlib.suppress(OSError):
        loaded.fingerprint = Fingerprint.of_bytes(path, path.read_bytes())
    return loaded


def new_design(
    path: Path | str,
    *,
    title: str,
    care_model: str = "",
    roles: list[str] | None = None,
    visit_types: list[str] | None = None,
    organization: str = "",
    lead: str = "",
    content: str = f"{DEFAULT_PACK_ID}@1",
    care_model_note: str = "",
) -> DesignFile:
    """A new, unsaved design bound to path."""
    now = utc_now()
    design = Design(
        project=ProjectInfo(
            title=title, organization=organization, lead=lead, content=content, created=now, updated=now
        ),
        context=ClinicalContext(
            care_model=care_model,
            care_model_note=care_model_note,
            roles=list(roles or []),
            visit_types=list(visit_types or []),
        ),
    )
    return DesignFile(path=Path(path), design=design)


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------

HEADER = """\
# Telemedicine clinical workflow design, written by telewizard.
# Plain TOML: edit by hand, keep it in git. Comments and unknown keys survive every save.
# Each item is a [decisions.<slug>] table; an item with no table is open.
"""


def _new_document() -> TOMLDocument:
    doc = tomlkit.parse(HEADER)
    doc["schema_version"] = SCHEMA_VERSION
    return doc


def _to_toml_value(value: Any) -> Any:
    """Plain Python value to what tomlkit should write (multi-line strings where needed)."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        # Multi-line basic strings keep diffs readable; \r is escaped so CRLF survives exactly.
        body = value.replace("\\", "\\\\").replace('"""', '""\\"').replace("\r", "\\r")
        body = "".join(ch if ch in "\n\t" or ch >= " " and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in body)
        if body.endswith('"'):
            body = body[:-1] + "\\u0022"
        return tomlkit.items.String(
            tomlkit.items.StringType.MLB, value, "\n" + body, tomlkit.items.Trivia()
        )
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(value)
        if sum(len(str(v)) for v in value) > 60:
            array.multiline(True)
        return array
    return value


def _plain(value: Any) -> Any:
    unwrap = getattr(value, "unwrap", None)
    return unwrap() if callable(unwrap) else value


def _merge(container: Container | Any, values: Mapping[str, Any]) -> None:
    """Write values into a tomlkit table, touching only what changed; unknown keys stay."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            if key not in container or not isinstance(container[key], Mapping):
                container[key] = tomlkit.table()
            _merge(container[key], value)
            continue
        if value is None or (value == "" and key in container and _plain(container[key]) == ""):
            if value is None and key in container:
                del container[key]
            continue
        if key in container and _plain(container[key]) == value:
            continue  # unchanged: keep the user's formatting and comments
        container[key] = _to_toml_value(value)


def _decision_values(decision: Decision) -> dict[str, Any]:
    """The fields of a decision in file order (schema order; None means 'remove the key')."""
    values: dict[str, Any] = {
        "status": decision.status,
        "option": decision.option,
        "summary": decision.summary,
        "rationale": decision.rationale,
        "owner": decision.owner,
        "due": decision.due,
        "kpis": list(decision.kpis),
        "notes": decision.notes,
        "updated": decision.updated,
    }
    return values


def merge_design(doc: TOMLDocument, design: Design, saved: Design | None = None) -> None:
    """Merge the model into the document; ``saved`` (the last saved state) skips unchanged items."""
    doc["schema_version"] = design.schema_version
    info = design.project
    project_values = {
        "title": info.title,
        "organization": info.organization,
        "lead": info.lead,
        "content": info.content,
        "created": info.created,
        "updated": info.updated,
        "resume_at": info.resume_at,
    }
    context = design.context
    context_values = {
        "care_model": context.care_model,
        "care_model_note": context.care_model_note,
        "roles": list(context.roles),
        "visit_types": list(context.visit_types),
    }
    for name, values in (("project", project_values), ("context", context_values)):
        if name not in doc or not isinstance(doc[name], Mapping):
            doc[name] = tomlkit.table()
        _merge(doc[name], values)
    decisions = {slug: d for slug, d in design.decisions.items() if not d.is_blank() or _has_table(doc, slug)}
    if not decisions:
        return
    if "decisions" not in doc:
        doc["decisions"] = tomlkit.table(is_super_table=True)
    table = doc["decisions"]
    for slug, decision in decisions.items():
        if saved is not None and saved.decisions.get(slug) == decision and slug in table:
            continue
        if slug not in table:
            table[slug] = tomlkit.table()
        _merge(table[slug], _decision_values(decision))
        item_table = table[slug]
        if decision.review is None:
            if "review" in item_table:
                del item_table["review"]
        else:
            review = decision.review
            _merge(
                item_table.setdefault("review", tomlkit.table()),
                {"state": review.state, "by": review.by, "on": review.on, "comment": review.comment},
            )


def _has_table(doc: TOMLDocument, slug: str) -> bool:
    decisions = doc.get("decisions")
    return isinstance(decisions, Mapping) and slug in decisions


TEMP_PREFIX = ".tw-"


def _temp_name(path: Path) -> Path:
    return path.with_name(f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(4)}.tmp")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_atomic(path: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """Write data to path so that a crash leaves the old or the new file, whole."""
    folder = path.parent if str(path.parent) else Path(".")
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        if keep_backup and path.exists():
            _backup(path)
        with contextlib.suppress(OSError):
            os.chmod(tmp, _mode_of(path))
        os.replace(tmp, path)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SaveError(path, f"could not be saved: {exc.strerror or exc}") from None


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _backup(path: Path) -> None:
    """Keep the current file as <name>.bak: a hard link (atomic, no copy), else a copy."""
    backup = path.with_name(path.name + ".bak")
    staging = _temp_name(backup)
    try:
        os.link(path, staging)
    except OSError:
        staging.write_bytes(path.read_bytes())
    os.replace(staging, backup)


def cleanup_temporary_files(path: Path) -> list[Path]:
    """Remove temporary files a killed save left beside path; returns what was removed."""
    removed = []
    folder = path.parent
    pattern = f"{TEMP_PREFIX}{path.name}."
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(pattern) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


# ---------------------------------------------------------------------------
# Lock file: two wizards never both write one design
# ---------------------------------------------------------------------------


@dataclass
class DesignLock:
    """An exclusive lock beside the design (``<name>.toml.lock``); stale locks are recovered."""

    path: Path
    held: bool = False

    @property
    def lock_path(self) -> Path:
        """Where the lock lives."""
        return self.path.with_name(self.path.name + ".lock")

    def acquire(self) -> bool:
        """Take the lock; False when a live process holds it."""
        for _ in range(2):
            try:
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                if self._holder_alive():
                    return False
                with contextlib.suppress(OSError):
                    self.lock_path.unlink()
                continue
            except OSError:
                return True  # a read-only folder: saving will fail and say so; nothing to guard
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{os.getpid()}\n{os.uname().nodename}\n{utc_now().isoformat()}\n")
            self.held = True
            return True
        return False

    def holder(self) -> str:
        """Who holds the lock, for messages."""
        try:
            pid, host, *_ = self.lock_path.read_text().split("\n")
        except (OSError, ValueError):
            return "another process"
        return f"process {pid} on {host}"

    def _holder_alive(self) -> bool:
        try:
            pid_text, host, *_ = self.lock_path.read_text().split("\n")
            pid = int(pid_text)
        except (OSError, ValueError):
            return False
        if host != os.uname().nodename:
            return True  # cannot tell across machines: assume alive
        if pid == os.getpid():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def release(self) -> None:
        """Drop the lock if we hold it."""
        if self.held:
            with contextlib.suppress(OSError):
                self.lock_path.unlink()
            self.held = False

    @contextlib.contextmanager
    def holding(self) -> Iterator[bool]:
        """Context manager form."""
        try:
            yield self.acquire()
        finally:
            self.release()


# ---------------------------------------------------------------------------
# Small helpers used by the commands and the wizard
# ---------------------------------------------------------------------------


def slugify(text: str) -> str:
    """A file-name-safe slug of a title."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "design"


def progress(design: Design, pack: ContentPack) -> dict[str, int]:
    """Counts of items by status, for every item of the pack."""
    counts = dict.fromkeys(STATUSES, 0)
    for item in pack.items:
        counts[design.status_of(item.id)] += 1
    return counts


def write_export(path: Path, text: str) -> None:
    """Write an exported document atomically, creating its folder; DesignError on failure."""
    if path.is_dir():
        raise SaveError(path, "is a folder; give a file name to write the playbook to")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(path.parent, f"cannot be created: {exc.strerror or exc}") from None
    _write_atomic(path, text.encode("utf-8"))
