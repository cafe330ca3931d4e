"""Reading a design file: bytes, text, TOML, schema version, validation, and the content pack's ids.

Loading reads with ``tomli``'s compiled parser (the code ``tomllib`` was made from, much faster on a
large file) and validates with pydantic; a file that does not parse is read again by ``tomllib``,
whose messages name the line and column in the standard library's words.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import tomli
from pydantic import ValidationError

from wizard.content import DEFAULT_PACK_ID, TOML_ERROR_AT, ContentError, ContentPack, field_path
from wizard.project.atomic import cleanup_temporary_files
from wizard.project.errors import DesignError, NewerSchemaError, pydantic_message, shown
from wizard.project.file import DesignFile, Fingerprint
from wizard.project.migrations import migrate
from wizard.project.models import (
    CUSTOM_OPTION,
    MAX_FILE_BYTES,
    SCHEMA_VERSION,
    ClinicalContext,
    Design,
    ProjectInfo,
    copy_design,
    overlong_message,
    overlong_text,
    utc_now,
)

_TOML_END = r"^(?P<msg>.*?)\s*\(at end of document\)$"


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
    """Validate parsed data into a Design; DesignError names the first problem's place and holds them all."""
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
        found = [DesignError(path, pydantic_message(err), field_path(err["loc"])) for err in exc.errors()]
        raise several(path, found) from None
    except RecursionError:
        raise DesignError(path, "nesting is too deep") from None
    if too_long := overlong_text(design):
        raise DesignError(path, overlong_message(too_long[1]) + " (shorten it by hand)", too_long[0])
    for index, sign_off in enumerate(design.sign_offs, start=1):
        if sign_off.version != index:
            raise DesignError(
                path,
                f"is {sign_off.version}; sign-offs are numbered 1, 2, 3... in the order they were recorded",
                f"sign_offs[{index - 1}].version",
            )
    return design


def several(path: Path | str, found: list[DesignError]) -> DesignError:
    """One error for several problems: the first one's message counts the others, and ``problems``
    holds them all (``check`` prints every one)."""
    first, more = found[0], len(found) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''}; telewizard check lists them all)" if more else ""
    return DesignError(path, first.detail + suffix, first.place, problems=found)


def check_against_pack(design: Design, pack: ContentPack, path: Path | str) -> None:
    """Unknown item slugs, option ids, safety-net topics and vocabulary ids are errors (all of them are
    collected: see ``several``)."""
    found: list[DesignError] = []

    def problem(message: str, place: str) -> None:
        found.append(DesignError(path, message, place))

    topics = {topic.id for topic in pack.safety_net}
    for slug, decision in design.decisions.items():
        item = pack.items_by_id.get(slug)
        if item is None:
            problem(f"unknown item {shown(slug)} (not in content pack {pack.ref})", f"decisions.{slug}")
            continue
        if decision.option and decision.option != CUSTOM_OPTION and item.option(decision.option) is None:
            known = ", ".join([opt.id for opt in item.options] + [CUSTOM_OPTION])
            problem(f"unknown option {shown(decision.option)}; choose one of {known}", f"decisions.{slug}.option")
        for index, topic_id in enumerate(decision.covers):
            if topic_id not in topics:
                known = ", ".join(sorted(topics)) or "none in this pack"
                problem(
                    f"unknown safety-net topic {shown(topic_id)}; the pack's topics: {known}",
                    f"decisions.{slug}.covers[{index}]",
                )
    ctx = design.context
    if ctx.care_model and ctx.care_model not in {e.id for e in pack.care_models}:
        problem(f"unknown care model {shown(ctx.care_model)}", "context.care_model")
    for name in ("roles", "visit_types"):
        known_ids = {e.id for e in pack.vocabulary(name)}
        for index, value in enumerate(getattr(ctx, name)):
            if value not in known_ids:
                problem(f"unknown id {shown(value)}", f"context.{name}[{index}]")
    if design.project.resume_at and design.project.resume_at not in pack.items_by_id:
        problem(f"unknown item {shown(design.project.resume_at)}", "project.resume_at")
    if found:
        raise several(path, found)


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
        import tomlkit  # upgrading edits the file's own document; reading needs only tomli

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
