"""The design: models, loading and atomic saving of the TOML project file.

Loading reads with ``tomli``'s compiled parser (``tomllib``'s own code, about three times faster on a
large file) and validates with pydantic; a file that does not parse is read again by ``tomllib``,
whose messages name the line and column.
Saving merges the model into the file's own tomlkit document, so comments, unknown keys and key
order survive, then writes atomically (temporary file in the same folder, flush, fsync, rename)
and keeps the previous version as ``<name>.toml.bak``. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import hashlib
import math
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wizard.content import (
    DEFAULT_PACK_ID,
    TOML_ERROR_AT,
    ContentError,
    ContentPack,
    field_path,
    new_dict,
    new_list,
)

if TYPE_CHECKING:
    import tomlkit
    import tomlkit.items
    from tomlkit.container import Container
    from tomlkit.toml_document import TOMLDocument
else:

    class _Tomlkit:
        """tomlkit, imported on first use: only saving (and migrating) edits TOML documents, and its
        import is a large share of the start of the wizard and of every headless command."""

        def __getattr__(self, name: str) -> Any:
            import tomlkit
            import tomlkit.items

            globals()["tomlkit"] = tomlkit  # later uses skip this proxy
            return getattr(tomlkit, name)

    tomlkit = _Tomlkit()

SCHEMA_VERSION = 1
STATUSES = ("open", "drafting", "decided", "not-applicable")
REVIEW_STATES = ("approved", "changes-requested")
CUSTOM_OPTION = "custom"
Status = Literal["open", "drafting", "decided", "not-applicable"]
ReviewState = Literal["approved", "changes-requested"]
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Refuse files larger than this: no real design comes near it."""
MAX_TEXT_CHARS = 100_000
"""The longest text one field may hold (about 15,000 words). Longer text is refused on load and on
save alike, so the wizard never writes a file it would refuse; input widgets should stop there too."""


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
    kpis: list[str] = Field(default_factory=new_list, description="Measures, one per entry.")
    notes: str = Field(default="", description="Anything else.")
    updated: dt.datetime | None = Field(default=None, description="Last change (UTC).")
    review: Review | None = Field(default=None, description="The reviewer's outcome.")

    def is_blank(self) -> bool:
        """True when nothing was ever entered (an item with no table in the file)."""
        return self == _blank_decision()


@functools.cache
def _blank_decision() -> Decision:
    """A Decision with nothing entered, built once (is_blank runs for every item on every save and
    export). Never handed out, so never changed."""
    return Decision()


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
    roles: list[str] = Field(default_factory=new_list, description="Role ids.")
    visit_types: list[str] = Field(default_factory=new_list, description="Visit type ids.")


class Design(_Model):
    """A whole design as the project file holds it."""

    schema_version: int = Field(default=SCHEMA_VERSION, description="File format version.")
    project: ProjectInfo = Field(default_factory=ProjectInfo)
    context: ClinicalContext = Field(default_factory=ClinicalContext)
    decisions: dict[str, Decision] = Field(default_factory=new_dict, description="By item slug.")

    def decision(self, slug: str) -> Decision:
        """The decision for an item (an open, blank one when the file has none)."""
        return self.decisions.get(slug) or Decision()

    def status_of(self, slug: str) -> Status:
        """The status of an item."""
        return self.decision(slug).status


_BLANK_DECISION_DATA = Decision().model_dump()
_M = TypeVar("_M", bound=BaseModel)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


_CONTROL = r"[\x00-\x1f\x7f\u2028\u2029]"  # compiled on first use, like the patterns of errors


def one_line(text: str, limit: int = 300) -> str:
    """Text made safe for a one-line message: control characters escaped, cut short when long."""
    text = re.sub(_CONTROL, lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class DesignError(Exception):
    """A design file that cannot be used. ``str()`` is one line naming the file and place.

    The UI shows ``str(error)`` as it is; ``path``, ``place`` (line and column, or a field path such as
    ``decisions.provider-scheduling.due``) and ``detail`` (the sentence) are there for layouts
    that show them apart.
    """

    def __init__(self, path: Path | str, message: str, place: str = "") -> None:
        self.path = one_line(str(path), 500)
        self.place = one_line(place, 120)
        self.detail = one_line(message)
        super().__init__(f"{self.path}: {self.place + ': ' if self.place else ''}{self.detail}")


class NewerSchemaError(DesignError):
    """The file was written by a newer telewizard; it is never rewritten."""


class SaveConflictError(DesignError):
    """The file changed on disk since it was loaded; saving would overwrite someone's edit."""


class SaveError(DesignError):
    """The file could not be written (read-only folder, full disk...). Edits stay in memory."""


# ---------------------------------------------------------------------------
# Migrations
# ---------------------------------------------------------------------------

Migration = Callable[["TOMLDocument"], None]
MIGRATIONS: dict[int, Migration] = {}
"""Migrations by the version they upgrade from: MIGRATIONS[n] turns version n into n + 1 in place."""


def migrate(doc: TOMLDocument, path: Path | str) -> int:
    """Upgrade a document to SCHEMA_VERSION in place; returns the version it started at."""
    start = doc.get("schema_version")
    version = start
    while isinstance(version, int) and version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DesignError(path, f"is {version}, an old format this telewizard cannot upgrade", "schema_version")
        try:
            step(doc)
        except Exception as exc:
            raise DesignError(
                path, f"could not be upgraded from {version} to {version + 1}: {exc}", "schema_version"
            ) from None
        version += 1
        doc["schema_version"] = version
    return int(start) if isinstance(start, int) else SCHEMA_VERSION


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

# Patterns only errors need, compiled on first use (see ``content.TOML_ERROR_AT``).
_TOML_END = r"^(?P<msg>.*?)\s*\(at end of document\)$"


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message shows it: TOML-like, and cut short so a message stays one short line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        return "a table"
    elif isinstance(value, list):
        return "a list"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 3] + "..." + (text[-1] if isinstance(value, str) else "")


_PYDANTIC_WORDS = {
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
    "string_type": "must be text in quotes",
    "list_type": "must be a list in square brackets",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "date_type": "must be a date like 2027-01-15",
    "date_parsing": "must be a real date like 2027-01-15",
    "date_from_datetime_parsing": "must be a real date like 2027-01-15",
    "date_from_datetime_inexact": "must be a date like 2027-01-15, without a time",
    "datetime_type": "must be a date and time like 2026-11-26T09:14:00Z",
    "datetime_parsing": "must be a real date and time like 2026-11-26T09:14:00Z",
    "datetime_from_date_parsing": "must be a real date and time like 2026-11-26T09:14:00Z",
    "datetime_object_invalid": "must be a real date and time like 2026-11-26T09:14:00Z",
    "missing": "is required",
}


def _pydantic_message(err: Mapping[str, Any]) -> str:
    """One pydantic error as words a person reads ("must be text in quotes (found 5)")."""
    kind = str(err.get("type", ""))
    if kind == "literal_error":
        expected = str((err.get("ctx") or {}).get("expected", ""))
        message = f"must be one of {expected}" if expected else "is not one of the allowed values"
    elif kind in _PYDANTIC_WORDS:
        message = _PYDANTIC_WORDS[kind]
    else:
        message = str(err["msg"]).rstrip(".")
        message = message[0].lower() + message[1:] if message else "invalid value"
    if kind != "missing" and "input" in err:
        message += f" (found {shown(err['input'])})"
    return message


def _decode(data: bytes, path: Path) -> str:
    """A design file's bytes as text (a UTF-8 BOM is allowed), or DesignError."""
    if not data.strip():
        raise DesignError(path, "is empty; a design file needs at least schema_version and [project]")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DesignError(path, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise DesignError(path, "is a binary file, not TOML text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DesignError(path, "is not UTF-8 text (save it as UTF-8)", f"line {line}, column {column}") from None


def read_design_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """A design file's bytes and its stat taken before reading them; DesignError with one sentence.

    Only regular files are opened (a pipe or device would block or never end), and the stat comes
    from the open file before reading, so a change made while we read is noticed at the next save.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise DesignError(path, "is a broken symbolic link (its target does not exist)") from None
        raise DesignError(path, "no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DesignError(path, "cannot be opened: symbolic link loop") from None
        raise DesignError(path, f"cannot be read: {exc.strerror or exc}") from None
    except ValueError as exc:  # an embedded NUL in the path
        raise DesignError(path, f"is not a usable file name ({exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DesignError(path, "is a folder, not a design file")
    if not stat.S_ISREG(info.st_mode):
        raise DesignError(path, "is not a regular file (a pipe, socket or device), not a design file")
    if info.st_size > MAX_FILE_BYTES:
        raise DesignError(path, f"is {info.st_size // (1024 * 1024)} MB, too large to be a design file")
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DesignError(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise DesignError(path, "is too large to be a design file")
    return data, info


def read_text(path: Path) -> str:
    """Read a design file's text, or raise DesignError with one clear sentence."""
    data, _ = read_design_bytes(path)
    return _decode(data, path)


_DATE_LIKE = r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?)?"
_DECLARED_TWICE = r"^cannot declare \((?P<keys>.*)\) twice$"


def _is_toml_date(token: str) -> bool:
    try:
        tomli.loads(f"x = {token}")
    except tomli.TOMLDecodeError:
        return False
    return True


def _toml_message(message: str, text: str, line: int = 0, column: int = 0) -> str:
    """tomllib's message in plain words, naming an impossible date when that is what stopped it."""
    message = message[:1].lower() + message[1:]
    if line:
        source = text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""
        for date in re.finditer(_DATE_LIKE, source):
            if date.start() <= column - 1 <= date.end() + 1 and not _is_toml_date(date.group()):
                return f"{date.group()} is not a real date or time"
    if message == "cannot overwrite a value":
        return "this key is already set above (each key once per table)"
    if match := re.match(_DECLARED_TWICE, message):
        keys = ".".join(part.strip().strip("'\"") for part in match["keys"].split(",") if part.strip())
        return f"the table [{keys}] appears twice; merge the two into one"
    return message


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    """Parse TOML, turning syntax errors into DesignError with line and column.

    ``tomli`` (compiled) reads the file; it is the code ``tomllib`` was made from, pinned to the
    release line that still reads TOML 1.0 (what tomlkit writes back), and reads a 1.2 MB design in
    about a third of tomllib's time. When it fails, ``tomllib`` reads the file again, so the words
    and places of the error are the standard library's (see ``_toml_message``).
    """
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError:
        pass
    except RecursionError:
        raise DesignError(path, "invalid TOML: nesting is too deep") from None
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raw = str(exc)
        if match := re.match(TOML_ERROR_AT, raw):
            line, column = int(match["line"]), int(match["col"])
            message = _toml_message(match["msg"], text, line, column)
            raise DesignError(path, f"invalid TOML: {message}", f"line {line}, column {column}") from None
        if match := re.match(_TOML_END, raw):
            last = text.count("\n") + (0 if text.endswith("\n") else 1)
            message = _toml_message(match["msg"], text)
            raise DesignError(path, f"invalid TOML: {message}", f"end of file (line {last})") from None
        raise DesignError(path, f"invalid TOML: {raw}") from None
    except RecursionError:
        raise DesignError(path, "invalid TOML: nesting is too deep") from None


def check_schema_version(data: Mapping[str, Any], path: Path | str) -> int:
    """The file's schema_version, or DesignError / NewerSchemaError."""
    version = data.get("schema_version")
    if version is None:
        raise DesignError(path, "is missing; add schema_version = 1 at the top", "schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DesignError(path, f"must be a whole number like 1, found {shown(version)}", "schema_version")
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
        design = Design.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        more = exc.error_count() - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise DesignError(path, _pydantic_message(err) + suffix, field_path(err["loc"])) from None
    except RecursionError:
        raise DesignError(path, "nesting is too deep") from None
    if too_long := overlong_text(design):
        raise DesignError(path, _overlong_message(too_long[1]) + " (shorten it by hand)", too_long[0])
    return design


def overlong_text(design: Design, skip: AbstractSet[str] = frozenset()) -> tuple[str, int] | None:
    """The first text field longer than MAX_TEXT_CHARS, as (field path, length), or None.

    ``skip`` names decisions known to be short enough (unchanged since a load or save checked them).
    """

    def fields(prefix: str, model: BaseModel, names: tuple[str, ...]) -> Iterator[tuple[str, str]]:
        for name in names:
            value = getattr(model, name)
            if isinstance(value, str):
                yield f"{prefix}{name}", value
            elif isinstance(value, list):
                yield from ((f"{prefix}{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, str))

    def all_fields() -> Iterator[tuple[str, str]]:
        yield from fields("project.", design.project, ("title", "organization", "lead", "content", "resume_at"))
        yield from fields("context.", design.context, ("care_model", "care_model_note", "roles", "visit_types"))
        for slug, decision in design.decisions.items():
            if slug in skip:
                continue
            place = f"decisions.{slug}."
            yield from fields(place, decision, ("option", "summary", "rationale", "owner", "kpis", "notes"))
            if decision.review is not None:
                yield from fields(place + "review.", decision.review, ("by", "comment"))

    for place, text in all_fields():
        if len(text) > MAX_TEXT_CHARS:
            return place, len(text)
    return None


def _overlong_message(length: int) -> str:
    return f"is {length:,} characters long; a text field holds at most {MAX_TEXT_CHARS:,}"


def check_against_pack(design: Design, pack: ContentPack, path: Path | str) -> None:
    """Unknown item slugs, option ids and vocabulary ids are errors."""
    for slug, decision in design.decisions.items():
        item = pack.items_by_id.get(slug)
        if item is None:
            raise DesignError(
                path,
                f"unknown item {shown(slug)} (not in content pack {pack.ref})",
                f"decisions.{slug}",
            )
        if decision.option and decision.option != CUSTOM_OPTION and item.option(decision.option) is None:
            known = ", ".join([opt.id for opt in item.options] + [CUSTOM_OPTION])
            raise DesignError(
                path,
                f"unknown option {shown(decision.option)}; choose one of {known}",
                f"decisions.{slug}.option",
            )
    ctx = design.context
    if ctx.care_model and ctx.care_model not in {e.id for e in pack.care_models}:
        raise DesignError(path, f"unknown care model {shown(ctx.care_model)}", "context.care_model")
    for name in ("roles", "visit_types"):
        known_ids = {e.id for e in pack.vocabulary(name)}
        for index, value in enumerate(getattr(ctx, name)):
            if value not in known_ids:
                raise DesignError(path, f"unknown id {shown(value)}", f"context.{name}[{index}]")
    if design.project.resume_at and design.project.resume_at not in pack.items_by_id:
        raise DesignError(path, f"unknown item {shown(design.project.resume_at)}", "project.resume_at")


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


def design_data(design: Design) -> dict[str, Any]:
    """The design as plain data, as a save must keep it: unknown keys included, blank decisions left out
    (an item with no table is open, so a blank decision and a missing one are the same design)."""
    data = design.model_dump()
    blank = _BLANK_DECISION_DATA
    data["decisions"] = {slug: d for slug, d in data["decisions"].items() if d != blank}
    return data


def same_data(a: Any, b: Any) -> bool:
    """Equality of plain data where NaN equals NaN (TOML allows ``nan`` in unknown keys)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool | int | float) or isinstance(b, bool | int | float):
        return type(a) is type(b) and a == b  # TOML's true, 1 and 1.0 are different values
    return bool(a == b)


def designs_equal(a: Design, b: Design) -> bool:
    """True when two designs would be the same file content (see ``design_data``)."""
    return same_data(design_data(a), design_data(b))


def copy_design(design: Design, reuse: Design | None = None) -> Design:
    """A deep, independent copy of a design (unknown keys included).

    Dumping and validating again is several times faster than ``model_copy(deep=True)``, whose
    ``copy.deepcopy`` walks every value in Python; it matters because every save copies the design.
    A design holding a value its schema would refuse (mutated in place) is deep-copied instead.

    ``reuse`` is an earlier copy that nobody changes: its decisions that hold the same data as the
    design's (``same_decision``) are shared with the new copy instead of copied again, so a copy after
    one edit costs one decision, not all of them.
    """
    if reuse is None:
        return _copied(design)
    return _copy_reusing(design, reuse, unchanged_decisions(design, reuse))


def _copied(model: _M) -> _M:
    try:
        return type(model).model_validate(model.model_dump(warnings=False))
    except ValidationError:
        return model.model_copy(deep=True)


def _copy_reusing(design: Design, reuse: Design, unchanged: AbstractSet[str]) -> Design:
    """``copy_design(design, reuse)`` where ``unchanged`` names the decisions the same in both."""
    previous = reuse.decisions
    decisions = {
        slug: previous[slug] if slug in unchanged and previous[slug] is not decision else _copied(decision)
        for slug, decision in design.decisions.items()
    }
    shell = design.model_copy(update={"decisions": {}})  # shallow: the rest is copied below
    copy = _copied(shell)
    copy.__dict__["decisions"] = decisions  # already valid decisions: no need to validate them again
    return copy


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
        elif not same_data(mine, theirs):
            return False
    extra = back.model_extra or {}
    return all(key in extra and same_data(extra[key], value) for key, value in (want.model_extra or {}).items())


def _read_back(text: str, design: Design) -> Design | None:
    """The design TOML text loads back as, when it holds exactly ``design`` (see ``_holds``), else None."""
    try:
        back = Design.model_validate(tomli.loads(text))
    except (tomli.TOMLDecodeError, ValidationError, RecursionError, ValueError, TypeError):
        return None
    return back if back == design or _holds(back, design) else None


@dataclass
class DesignFile:
    """A design bound to its file: the model, the file's own TOML document, and its disk state.

    ``save()`` merges only what changed into the file's own document, so comments, unknown keys and
    key order survive; a save that changes the file's layout (and the first save of a file) is
    read back and compared with the design before anything is written. When someone else changed
    the file, ``save()`` raises SaveConflictError and the UI offers ``reload()`` (take theirs) or
    ``save_mine_as_copy()`` (keep mine under a new name).
    """

    path: Path
    design: Design
    text: str = ""
    fingerprint: Fingerprint | None = None
    migrated_from: int | None = None
    reformatted: bool = False
    """True when the last save had to rewrite the file in standard layout (its comments were not
    kept), because the hand-written layout (dotted keys, inline tables) could not take the change."""
    _doc: TOMLDocument | None = field(default=None, repr=False)
    _saved: Design | None = field(default=None, repr=False)
    _original: bytes | None = field(default=None, repr=False)
    """The bytes as loaded, kept while a migrated file waits for its first save (its backup)."""
    _doc_checked: bool = field(default=False, repr=False)
    """True once a save of the live document was read back and matched."""
    _rendering: _Rendering | None = field(default=None, repr=False)
    """The live document's text in pieces (see ``_Rendering``), once it has been saved."""
    _unrenderable: TOMLDocument | None = field(default=None, repr=False)
    """A document whose text cannot be kept in pieces (rendered whole on every save)."""
    _incremental: bool = field(default=True, repr=False)
    """False renders the whole document on every save (the tests compare the two)."""

    @property
    def doc(self) -> TOMLDocument:
        """The file's tomlkit document, parsed on first save (headless commands never need it)."""
        if self._doc is None:
            self._doc = self._parse_base()
        return self._doc

    def _parse_base(self) -> TOMLDocument:
        """The document of the text last loaded or saved (migrated again when it is an old format)."""
        if not self.text:
            return _new_document()
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
            raise SaveError(self.path, f"not saved: {place} {_overlong_message(length)}; shorten it")
        text, doc, reformatted, written = self._render(unchanged)
        try:
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise SaveError(
                    self.path, f"could not be saved: the text holds a character UTF-8 cannot store ({exc.reason})"
                ) from None
            if self.migrated_from is not None and self._original is not None:
                self._write_migration_backup(self._original, self.migrated_from)
            info = _write_atomic(self.path, data, keep_backup=True)
        except BaseException:
            # The live document holds what was not written, and the next save skips decisions the same as
            # last *written*: one changed back since would keep the unwritten value. Parse the text again.
            self._forget_doc()
            raise
        self._doc = doc
        self._doc_checked = True
        self.text = text
        self.fingerprint = Fingerprint.of(info, data)
        self._saved = written  # an independent copy of the design as written, read back from the text
        self.migrated_from = None
        self._original = None
        self.reformatted = reformatted

    def _render(self, unchanged: AbstractSet[str] = frozenset()) -> tuple[str, TOMLDocument, bool, Design]:
        """The new file text, its document, whether the layout had to be rebuilt, and the design read
        back from the text.

        First the cheap way: merge what changed into the live document (``unchanged`` names the
        decisions the same as last saved, which are skipped), and render again only the tables the
        merge changed (see ``_Rendering``). A result whose layout changed (keys or tables added or
        removed, inline or dotted tables touched), and the first save of a document, is read back
        and compared with the design: tomlkit cannot always place a change into hand-written
        layouts, so a failed check retries a full merge into a fresh parse, then a fresh standard
        document. Nothing is written unless the text reads back right.
        """
        attempts: list[Callable[[], TOMLDocument]] = [
            lambda: self.doc,
            self._parse_base,
            lambda: _new_document(),
        ]
        for index, make_doc in enumerate(attempts):
            try:
                doc = make_doc()
                if index == 0:
                    changes = _Changes()
                    structural = _merge_design(doc, self.design, unchanged, changes)
                    text = self._text_of(doc, changes)
                else:
                    structural = _merge_design(doc, self.design, frozenset())
                    text = doc.as_string()
            except Exception:  # tomlkit raises many kinds on layouts it cannot edit; the next attempt copes
                self._forget_doc()
                continue
            if index == 0 and not structural and self._doc_checked and self._saved is not None:
                # Only values replaced in place in [header] tables, in a document already checked:
                # nothing tomlkit can misplace, so skip the read-back (it costs as much as the save).
                return text, doc, False, _copy_reusing(self.design, self._saved, unchanged)
            if (back := _read_back(text, self.design)) is not None:
                return text, doc, index == len(attempts) - 1, back
            self._forget_doc()
        raise SaveError(
            self.path, "could not be saved: the design holds a value TOML cannot store; nothing was written"
        )

    def _forget_doc(self) -> None:
        """Drop the live document (and its text in pieces): the next save parses the text again."""
        self._doc, self._doc_checked, self._rendering, self._unrenderable = None, False, None, None

    def _text_of(self, doc: TOMLDocument, changes: _Changes) -> str:
        """The text of the live document after a merge that made ``changes``: only the tables it changed
        are rendered again, once the document has been saved (and so checked) before."""
        rendering = self._rendering
        if not self._incremental or not self._doc_checked or self._unrenderable is doc:
            return doc.as_string()
        if rendering is not None and rendering.doc is doc:
            if not changes.elsewhere and rendering.refresh(changes.tables):
                return rendering.text()
            known = True
        else:
            known = False
        fresh = _Rendering.build(doc)
        if fresh is not None:
            text = fresh.text()
            # The first rendering in pieces of each document is compared with tomlkit's own.
            whole = text if known else doc.as_string()
            if text == whole:
                self._rendering = fresh
                return text
        else:
            whole = doc.as_string()
        # Not a layout kept in pieces (or a tomlkit that renders it differently): the whole document is
        # rendered, now and on every later save of it.
        self._rendering, self._unrenderable = None, doc
        return whole

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
                    _write_atomic(backup, original, exclusive=True)
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
            raise SaveError(path, f"not saved: {too_long[0]} {_overlong_message(too_long[1])}; shorten it")
        copy = DesignFile(path=path, design=self.design.model_copy(deep=True))
        try:
            base = self.doc.as_string()
        except Exception:
            base = ""
        copy.text = base
        copy._doc = None
        text, doc, reformatted, written = copy._render()
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise SaveError(
                path, f"could not be saved: the text holds a character UTF-8 cannot store ({exc.reason})"
            ) from None
        try:
            info = _write_atomic(path, data, exclusive=True)
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
        fresh = load_design(self.path, pack, pack_loader=pack_loader)
        self.design = fresh.design
        self.text = fresh.text
        self.fingerprint = fresh.fingerprint
        self.migrated_from = fresh.migrated_from
        self.reformatted = False
        self._doc = fresh._doc
        self._doc_checked = False
        self._rendering = self._unrenderable = None
        self._saved = fresh._saved
        self._original = fresh._original


def load_design(
    path: Path | str,
    pack: ContentPack | None = None,
    *,
    pack_loader: Callable[[str], ContentPack] | None = None,
    read_only: bool = False,
) -> DesignFile:
    """Load a design file; raise DesignError (one clear line) for anything wrong with it.

    ``pack`` (or ``pack_loader``, given the file's content ref) validates item slugs and ids.
    ``read_only`` (the headless commands) skips the copy of the design that lets a save merge only
    the decisions changed since (~15 ms at a thousand items); a save still works, merging them all.
    Temporary files a killed save left beside it are removed first; the file itself is never written.
    """
    path = Path(path)
    cleanup_temporary_files(path)
    data, info = read_design_bytes(path)
    text = _decode(data, path)
    parsed = parse_toml(text, path)
    version = check_schema_version(parsed, path)
    migrated_from = None
    doc = None
    if version < SCHEMA_VERSION:
        try:
            doc = tomlkit.parse(text)
        except Exception as exc:
            raise DesignError(path, f"is in an old format that cannot be read for upgrading ({exc})") from None
        migrated_from = migrate(doc, path)
        parsed = doc.unwrap()
    design = validate_design(parsed, path)
    if pack is None and pack_loader is not None:
        pack = _load_pack(pack_loader, design.project.content, path)
    if pack is not None:
        check_against_pack(design, pack, path)
    loaded = DesignFile(path=path, design=design, text=text, migrated_from=migrated_from, _doc=doc)
    loaded.fingerprint = Fingerprint.of(info, data)
    loaded._saved = None if migrated_from is not None or read_only else copy_design(design)
    loaded._original = data if migrated_from is not None else None
    return loaded


def _load_pack(pack_loader: Callable[[str], ContentPack], ref: str, path: Path) -> ContentPack:
    try:
        return pack_loader(ref)
    except ContentError as exc:
        raise DesignError(path, str(exc), "project.content") from None


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


def _escape_multiline(value: str) -> str:
    """The body of a multi-line basic string holding exactly ``value``.

    Backslashes, CR and control characters are escaped; a quote is escaped when it would make a run
    of three (closing the string early) or sits at the very end (next to the closing quotes).
    """
    out: list[str] = []
    run = 0
    trailing = len(value) - len(value.rstrip('"'))
    tail_start = len(value) - trailing
    for index, ch in enumerate(value):
        if ch == '"':
            if run == 2 or index >= tail_start:
                out.append('\\"')
                run = 0
            else:
                out.append('"')
                run += 1
            continue
        run = 0
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\r":
            out.append("\\r")
        elif ch in "\n\t" or (ch >= " " and ch != "\x7f"):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def _to_toml_value(value: Any) -> Any:
    """Plain Python value to what tomlkit should write (multi-line strings where needed)."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        # Multi-line basic strings keep diffs readable; \r is escaped so CRLF survives exactly.
        return tomlkit.items.String(
            tomlkit.items.StringType.MLB, value, "\n" + _escape_multiline(value), tomlkit.items.Trivia()
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


def _is_plain_table(container: Any) -> bool:
    """A ``[header]`` table or the document itself: where tomlkit replaces values in place, reliably."""
    return isinstance(container, tomlkit.TOMLDocument | tomlkit.items.Table) and not isinstance(
        container, tomlkit.items.InlineTable
    )


def _merge(
    container: Container | Any,
    values: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
    written: list[Any] | None = None,
) -> bool:
    """Write values into a tomlkit table, touching only what changed; unknown keys stay.

    ``None`` removes a key; mappings are merged into sub-tables (written after plain keys). A key
    the table lacks is not added while its value is the field's default (``defaults``): a hand-
    written file without ``notes = ""`` keeps its shape (and its git diff small). Returns True
    when the layout changed (a key or table added or removed, or a value replaced inside an
    inline or dotted layout): the cases where tomlkit may misplace something. Every container
    written to (this one or a sub-table) is appended to ``written``: what the text cache re-renders.
    """
    structural = False
    plain = _is_plain_table(container)
    ordered = sorted(values.items(), key=lambda pair: isinstance(pair[1], Mapping))
    for key, value in ordered:
        if isinstance(value, Mapping):
            if key not in container or not isinstance(container[key], Mapping):
                _note(written, container)
                container[key] = tomlkit.table()
                structural = True
            structural = _merge(container[key], value, None, written) or structural
            continue
        if value is None:
            if key in container:
                _note(written, container)
                del container[key]
                structural = True
            continue
        present = key in container
        if present and same_data(_plain(container[key]), value):
            continue  # unchanged: keep the user's formatting and comments
        if not present and defaults is not None and key in defaults and same_data(value, defaults[key]):
            continue  # absent means the default: nothing to add
        _note(written, container)
        if present and _edit_array(container[key], value):
            structural = True  # edited in place, so comments on kept entries stay; read back to be sure
            continue
        structural = structural or not present or not plain
        container[key] = _to_toml_value(value)
    return structural


def _note(written: list[Any] | None, container: Any) -> None:
    if written is not None:
        written.append(container)


def _edit_array(array: Any, value: Any) -> bool:
    """Turn a tomlkit array of plain values into ``value`` in place: the common beginning (and the
    comments beside it) stays, the rest is removed and the new entries appended. False when the
    array or the value is not a simple list of scalars (the caller replaces it whole)."""
    if not isinstance(array, tomlkit.items.Array) or not isinstance(value, list):
        return False
    old = array.unwrap()
    scalar = (str, int, float, bool, dt.date, dt.datetime, dt.time)
    if not all(isinstance(v, scalar) for v in [*old, *value]):
        return False
    keep = 0
    while keep < min(len(old), len(value)) and same_data(old[keep], value[keep]):
        keep += 1
    for index in range(len(old) - 1, keep - 1, -1):
        del array[index]
    for entry in value[keep:]:
        array.append(entry)
    return True


def _field_defaults(model: type[BaseModel]) -> dict[str, Any]:
    """Each field's default value, as the file leaves it out."""
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if not info.is_required()
    }


def _with_extra(values: dict[str, Any], model: BaseModel) -> dict[str, Any]:
    """Schema fields (in file order) followed by the model's unknown keys."""
    for key, value in (model.model_extra or {}).items():
        values.setdefault(key, value)
    return values


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
    return _with_extra(values, decision)


def merge_design(doc: TOMLDocument, design: Design, saved: Design | None = None) -> bool:
    """Merge the model into the document; ``saved`` (the last saved state) skips unchanged items.

    Only values that differ are replaced, so comments, unknown keys and formatting elsewhere
    survive; decisions no longer in the design lose their table. Returns True when the layout
    changed (see ``_merge``).
    """
    return _merge_design(doc, design, unchanged_decisions(design, saved))


@dataclass
class _Changes:
    """What one merge wrote, for the text cache: the tables changed in place, and whether anything
    else in the document changed (keys of the document itself, or tables added or removed)."""

    tables: list[Any] = field(default_factory=list)
    elsewhere: bool = False


def _merge_design(
    doc: TOMLDocument, design: Design, unchanged: AbstractSet[str], changes: _Changes | None = None
) -> bool:
    """``merge_design`` skipping the decisions named in ``unchanged`` (the same as last saved) when they
    have a table; ``changes`` (when given) records what was written."""
    changes = _Changes() if changes is None else changes
    written: list[Any] = []
    structural = _merge(doc, _with_extra({"schema_version": design.schema_version}, design), None, written)
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
    sections = (
        ("project", project_values, info, _PROJECT_DEFAULTS),
        ("context", context_values, context, _CONTEXT_DEFAULTS),
    )
    for name, values, model, known_defaults in sections:
        defaults: Mapping[str, Any] | None = known_defaults
        if name not in doc or not isinstance(doc[name], Mapping):
            written.append(doc)
            doc[name] = tomlkit.table()
            structural, defaults = True, None
        changes.elsewhere = changes.elsewhere or bool(written)
        written.clear()
        section = doc[name]
        structural = _merge(section, _with_extra(values, model), defaults, written) or structural
        if written:
            changes.tables.append(section)
            written.clear()
    existing = doc.get("decisions")
    present: set[str] = set()
    if isinstance(existing, MutableMapping):
        for slug in [slug for slug in existing if slug not in design.decisions]:
            del existing[slug]
            structural = changes.elsewhere = True
        present = set(existing)
    # A decision is written when it has a table, or when it is not blank (an item with no table is open).
    if present:
        decisions: Iterable[tuple[str, Decision]] = design.decisions.items()
    else:
        decisions = [(slug, d) for slug, d in design.decisions.items() if not d.is_blank()]
        if not decisions:
            return structural
    if "decisions" not in doc:
        doc["decisions"] = tomlkit.table(is_super_table=True)
        structural = changes.elsewhere = True
    table = doc["decisions"]
    structural = structural or not _is_plain_table(table)
    for slug, decision in decisions:
        if slug in present:
            if slug in unchanged:
                continue
        elif decision.is_blank():
            continue
        item_defaults: dict[str, Any] | None = _DECISION_DEFAULTS
        if slug not in present:
            table[slug] = tomlkit.table()
            present.add(slug)
            structural, item_defaults = True, None
            changes.elsewhere = True
        item_table = table[slug]
        structural = _merge(item_table, _decision_values(decision), item_defaults, written) or structural
        if decision.review is None:
            if "review" in item_table:
                written.append(item_table)
                del item_table["review"]
                structural = True
        else:
            review = decision.review
            review_defaults: dict[str, Any] | None = _REVIEW_DEFAULTS
            if "review" not in item_table or not isinstance(item_table["review"], Mapping):
                written.append(item_table)
                item_table["review"] = tomlkit.table()
                structural, review_defaults = True, None
            review_values = {"state": review.state, "by": review.by, "on": review.on, "comment": review.comment}
            review_values = _with_extra(review_values, review)
            structural = _merge(item_table["review"], review_values, review_defaults, written) or structural
        if written:
            changes.tables.append(item_table)
            written.clear()
    return structural


def unchanged_decisions(design: Design, saved: Design | None) -> set[str]:
    """The slugs whose decision is the same as in ``saved`` (see ``same_decision``)."""
    if saved is None:
        return set()
    before = saved.decisions
    return {slug for slug, decision in design.decisions.items() if same_decision(before.get(slug), decision)}


def same_decision(a: Decision | None, b: Decision | None) -> bool:
    """True when two decisions hold the same data (as ``same_data`` compares it): the model's equality,
    except that unknown keys are compared as TOML values (``1``, ``1.0`` and ``true`` differ, ``nan``
    equals ``nan``)."""
    if a is None or b is None:
        return a is b
    if a is b:
        return True
    if a.__pydantic_extra__ or b.__pydantic_extra__ or _review_extra(a) or _review_extra(b):
        return same_data(a.model_dump(), b.model_dump())
    # Without unknown keys, the fields are all there is to compare (what the model's own equality does
    # last, after checks that cannot fail here; this runs for every decision on every save).
    return type(a) is type(b) and a.__dict__ == b.__dict__


def _review_extra(decision: Decision) -> bool:
    review = decision.review
    return review is not None and bool(review.__pydantic_extra__)


_DECISION_DEFAULTS = _field_defaults(Decision)
_REVIEW_DEFAULTS = _field_defaults(Review)
_PROJECT_DEFAULTS = _field_defaults(ProjectInfo)
_CONTEXT_DEFAULTS = _field_defaults(ClinicalContext)


def render_document(design: Design) -> TOMLDocument:
    """A fresh document in the standard layout holding the whole design (unknown keys included)."""
    doc = _new_document()
    merge_design(doc, design)
    return doc


class _Piece:
    """One entry of a document's body (or of a ``[decisions.*]`` super table's body) and its text as
    tomlkit renders it there."""

    __slots__ = ("is_table", "item", "key", "last", "prefix", "text")

    def __init__(self, key: Any, item: Any, prefix: str | None, is_table: bool) -> None:
        self.key, self.item, self.prefix, self.is_table = key, item, prefix, is_table
        self.text = ""
        self.last = ""
        """The last character of ``text`` that is not a space ("" when there is none)."""

    def render(self, doc: TOMLDocument) -> None:
        if self.is_table:
            text = doc._render_table(self.key, self.item, prefix=self.prefix)
        else:
            text = doc._render_simple_item(self.key, self.item)
        self.text = text
        stripped = text.rstrip(" ")
        self.last = stripped[-1] if stripped else ""


class _Group:
    """A super table that renders as nothing but its children (``[decisions.a]``, ``[decisions.b]``...)."""

    __slots__ = ("children", "item", "lead")

    def __init__(self, item: Any, lead: str, children: list[_Piece]) -> None:
        self.item, self.lead, self.children = item, lead, children


def _newline_before(last: str, item: Any) -> bool:
    """tomlkit's rule: a table starts on a new line when the text so far, without its trailing spaces,
    ends in something else than a newline (``last`` is its last character that is not a space)."""
    return last not in ("", "\n") and "\n" not in item.trivia.indent


class _Rendering:
    """A document's text kept in pieces, so that a save re-renders only the tables it changed.

    ``TOMLDocument.as_string()`` renders every table of the document on every call, which is most of
    the cost of a save and grows faster than the document. Here each entry of the document's body
    is rendered once, by the very tomlkit calls ``as_string()`` makes for it, and kept; the entries
    of a super table (the ``[decisions.<slug>]`` tables) are pieces of their own. ``refresh()``
    renders again the tables a merge changed in place, and ``text()`` joins the pieces with the
    newlines ``as_string()`` would put between them. Only layouts whose rendering this mirrors
    exactly are kept in pieces (no arrays of tables at the top, no headers over dotted keys...);
    ``build()`` returns None for the others, and the first rendering of each document is compared
    with ``as_string()`` by the caller.
    """

    def __init__(self, doc: TOMLDocument, entries: list[_Piece | _Group]) -> None:
        self.doc = doc
        self.entries = entries
        self.tables: dict[int, _Piece] = {}
        """The pieces that are whole tables, by the id of their tomlkit table."""
        for entry in entries:
            for piece in entry.children if isinstance(entry, _Group) else [entry]:
                piece.render(doc)
                if piece.is_table and not piece.item.is_super_table():
                    self.tables[id(piece.item)] = piece

    @classmethod
    def build(cls, doc: TOMLDocument) -> _Rendering | None:
        """The document in pieces, or None when its layout is not one kept in pieces."""
        from tomlkit import container as tk_container
        from tomlkit.items import AoT, Null, Table, Whitespace

        header_less = getattr(tk_container, "_header_less_aots", None)
        emits_header = getattr(tk_container, "_emits_header", None)
        if header_less is None or emits_header is None or header_less(doc.body):
            return None  # a tomlkit whose as_string() this does not mirror, or emptied arrays of tables
        entries: list[_Piece | _Group] = []
        for key, item in doc.body:
            if isinstance(item, AoT):
                return None
            if key is None or not isinstance(item, Table):
                entries.append(_Piece(key, item, None, False))
                continue
            children: list[_Piece] | None = None
            if item.is_super_table() and not key.is_dotted() and not emits_header(key, item):
                prefix = item.display_name if item.display_name is not None else key.as_string()
                children = []
                for child_key, child in item.value.body:
                    if child_key is None and isinstance(child, Whitespace | Null):
                        children.append(_Piece(None, child, None, False))
                    elif (
                        child_key is not None
                        and isinstance(child, Table)
                        and not child.is_super_table()
                        and not child_key.is_dotted()
                    ):
                        children.append(_Piece(child_key, child, prefix, True))
                    else:
                        children = None
                        break
            if children is None:
                entries.append(_Piece(key, item, None, True))
            else:
                entries.append(_Group(item, "\n" if item.trivia.indent == "\n" else "", children))
        return cls(doc, entries)

    def refresh(self, tables: Iterable[Any]) -> bool:
        """Render again the given tables (changed in place); False when one is not a piece of its own.

        Only ``[header]`` tables are pieces that can change alone: what happens inside them changes
        nothing around them (a super table, which renders as its children, may no longer be one).
        """
        pieces = []
        for table in tables:
            piece = self.tables.get(id(table))
            if piece is None or piece.item is not table or table.is_super_table():
                return False
            pieces.append(piece)
        for piece in pieces:
            piece.render(self.doc)
        return True

    def text(self) -> str:
        """The document's text: what ``as_string()`` returns."""
        out: list[str] = []
        last = ""
        for entry in self.entries:
            if isinstance(entry, _Group):
                group: list[str] = [entry.lead]
                inner = "\n" if entry.lead else ""
                for piece in entry.children:
                    if piece.is_table and _newline_before(inner, piece.item):
                        group.append("\n")
                        inner = "\n"
                    group.append(piece.text)
                    inner = piece.last or inner
                if _newline_before(last, entry.item):
                    out.append("\n")
                    last = "\n"
                out.extend(group)
                last = inner or last
                continue
            if entry.is_table and _newline_before(last, entry.item):
                out.append("\n")
                last = "\n"
            out.append(entry.text)
            last = entry.last or last
        return "".join(out)


TEMP_PREFIX = ".tw-"
TEMP_MAX_AGE = 3600
"""A temporary file older than this (seconds) is stale whoever made it."""


def _temp_name(path: Path) -> Path:
    """``.tw-<name>.<pid>-<random>.tmp`` beside path: the pid tells a live save from a killed one."""
    return path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_ERRNO_WORDS = {
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied (the folder or file is read-only)",
    errno.EPERM: "permission denied (the folder or file is read-only)",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENOENT: "its folder does not exist",
    errno.ENOTDIR: "part of its folder path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


def _save_failure(path: Path, exc: OSError) -> SaveError:
    reason = _ERRNO_WORDS.get(exc.errno or 0) or str(exc.strerror or exc)
    return SaveError(path, f"could not be saved: {reason}; the file on disk was not changed")


def _write_atomic(path: Path, data: bytes, *, keep_backup: bool = False, exclusive: bool = False) -> os.stat_result:
    """Write data to path so that a crash leaves the old or the new file, whole; returns its stat.

    ``keep_backup`` keeps the file being replaced as ``<name>.bak``; ``exclusive`` never replaces an
    existing file (FileExistsError). Any other failure is a SaveError, with nothing left behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
                info = os.fstat(handle.fileno())
            if exclusive:
                _link_new(tmp, path)
            else:
                if keep_backup and path.exists():
                    _backup(path)
                with contextlib.suppress(OSError):
                    os.chmod(tmp, _mode_of(path))
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _fsync_dir(folder)
    except FileExistsError:
        if exclusive:
            raise
        raise SaveError(path, "could not be saved: a temporary file name was taken; try again") from None
    except OSError as exc:
        raise _save_failure(path, exc) from None
    return info


def _link_new(tmp: Path, path: Path) -> None:
    """Give tmp the name path only when path does not exist (FileExistsError otherwise)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network and FAT folders): check, then rename. A tiny window.
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(tmp, path)


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
        try:
            os.link(path, staging)
        except OSError:
            staging.write_bytes(path.read_bytes())
        os.replace(staging, backup)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(staging)


_TEMP_PID = r"\.(?P<pid>\d+)-[0-9a-f]+\.tmp$"  # compiled on first use: only a killed save leaves one


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def cleanup_temporary_files(path: Path) -> list[Path]:
    """Remove temporary files a killed save left beside path; returns what was removed.

    A temporary file of a save still running (its process alive, and less than an hour old) stays.
    """
    removed: list[Path] = []
    folder = path.parent
    pattern = f"{TEMP_PREFIX}{path.name}."
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if not (entry.name.startswith(pattern) and entry.name.endswith(".tmp")):
                continue
            match = re.search(_TEMP_PID, entry.name)
            with contextlib.suppress(OSError):
                fresh = now - entry.lstat().st_mtime < TEMP_MAX_AGE
                if match and fresh and _pid_alive(int(match["pid"])):
                    continue
                entry.unlink()
                removed.append(entry)
    return removed


# ---------------------------------------------------------------------------
# Lock file: two wizards never both write one design
# ---------------------------------------------------------------------------


@dataclass
class DesignLock:
    """An exclusive lock beside the design (``<name>.toml.lock``); stale locks are recovered.

    On POSIX the lock is an advisory ``flock`` on the lock file, which the kernel drops when the
    holder exits or is killed, so a lock left by a dead process (even one whose pid was reused) is
    never in the way. The file also names the holder (pid, host, time) for messages. Elsewhere the
    lock is the file's exclusive creation, and a lock whose process is gone is recovered.
    """

    path: Path
    held: bool = False
    _handle: IO[str] | None = field(default=None, repr=False)

    @property
    def lock_path(self) -> Path:
        """Where the lock lives."""
        return self.path.with_name(self.path.name + ".lock")

    def acquire(self) -> bool:
        """Take the lock; False when a live process (this one included, through another lock) holds it.

        True without holding anything when the folder cannot take a lock file (read-only): saving will
        fail there and say so, so there is nothing to guard.
        """
        if self.held:
            return True
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            return self._acquire_by_creation()
        import fcntl

        for _ in range(5):
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return not self._held_elsewhere_read_only()
            handle = os.fdopen(fd, "r+", encoding="utf-8")
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                return False
            try:
                same_file = os.fstat(handle.fileno()).st_ino == os.stat(self.lock_path).st_ino
            except OSError:
                same_file = False
            if not same_file:  # the previous holder removed it between our open and flock
                handle.close()
                continue
            handle.seek(0)
            handle.truncate()
            handle.write(self._describe())
            handle.flush()
            self._handle = handle
            self.held = True
            return True
        return False

    def _held_elsewhere_read_only(self) -> bool:
        """In a folder we cannot write: True when the lock file exists and someone holds it."""
        import fcntl

        try:
            fd = os.open(self.lock_path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    @staticmethod
    def _describe() -> str:
        return f"{os.getpid()}\n{_hostname()}\n{utc_now().isoformat()}\n"

    def _acquire_by_creation(self) -> bool:  # pragma: no cover - Windows
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
                return True
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self._describe())
            self.held = True
            return True
        return False

    def holder(self) -> str:
        """Who holds the lock, for messages ("process 4242 on host ops-laptop since 2026-11-26T10:01:00+00:00")."""
        try:
            pid, host, since, *_ = self.lock_path.read_text(encoding="utf-8").split("\n")
            int(pid)
        except (OSError, ValueError, UnicodeDecodeError):
            return "another process"
        return one_line(f"process {pid} on {host}" + (f" since {since}" if since else ""), 200)

    def _holder_alive(self) -> bool:  # pragma: no cover - Windows
        try:
            pid_text, host, *_ = self.lock_path.read_text(encoding="utf-8").split("\n")
            pid = int(pid_text)
        except (OSError, ValueError, UnicodeDecodeError):
            return False
        if host != _hostname():
            return True  # cannot tell across machines: assume alive
        if pid == os.getpid():
            return False
        return _pid_alive(pid)

    def release(self) -> None:
        """Drop the lock if we hold it."""
        if not self.held:
            return
        handle, self._handle = self._handle, None
        with contextlib.suppress(OSError):
            if handle is None or os.fstat(handle.fileno()).st_ino == os.stat(self.lock_path).st_ino:
                self.lock_path.unlink()
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        self.held = False

    @contextlib.contextmanager
    def holding(self) -> Iterator[bool]:
        """Context manager form."""
        try:
            yield self.acquire()
        finally:
            self.release()


def _hostname() -> str:
    import socket

    return socket.gethostname()


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
