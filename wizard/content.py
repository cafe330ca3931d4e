"""Content pack models and loading.

A content pack is a folder of data: ``pack.toml`` (identity, vocabularies, principles, the
register of temporary rules, the sections and their item order) and ``items/<slug>.toml``
(one file per checklist item). Nothing here imports Textual.
"""

# No ``from __future__ import annotations`` in this module: pydantic would then compile and evaluate
# the text of every model field's annotation at import (60 fields; 4M of the 704M instructions of a
# 40-item export).

import contextlib
import datetime as dt
import gc
import hashlib
import marshal
import os
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_PACK_ID = "telemedicine-clinical-workflows"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PACK_ENV = "TELEWIZARD_CONTENT_PATH"
"""Environment variable: extra folders (os.pathsep-separated) searched for content packs."""


def new_list() -> list[Any]:
    """``list`` as a default factory of the models here and in project.py, written in Python: pydantic
    reads each factory's signature when it builds a validator, and the signature of a builtin is parsed
    from its text (the first one compiles the tokenizer's pattern): ~5 ms of every start."""
    return []


def new_dict() -> dict[str, Any]:
    """``dict`` as a default factory (see ``new_list``)."""
    return {}


class _Strict(BaseModel):
    """Base for content models: unknown fields are errors, so a typo never passes silently.

    Validators are built on first use (``defer_build``), not at import: a command or the wizard
    normally gets its pack from the cache (see ``_PackCache``), which builds the models without
    validating them again, so most runs never need a validator for the pack at all.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ClinicalContextLike(Protocol):
    """Anything with the three context variables of a design."""

    @property
    def care_model(self) -> str: ...  # pragma: no cover

    @property
    def roles(self) -> Sequence[str]: ...  # pragma: no cover

    @property
    def visit_types(self) -> Sequence[str]: ...  # pragma: no cover


class Condition(_Strict):
    """A set of contexts: matches a design when any listed id is in the design's context."""

    care_models: list[str] = Field(default_factory=new_list, description="Care model ids.")
    roles: list[str] = Field(default_factory=new_list, description="Role ids.")
    visit_types: list[str] = Field(default_factory=new_list, description="Visit type ids.")

    def is_empty(self) -> bool:
        """True when the condition names no context at all."""
        return not (self.care_models or self.roles or self.visit_types)

    def matches(self, context: ClinicalContextLike) -> bool:
        """True when the context shares at least one id with this condition."""
        return (
            context.care_model in self.care_models
            or any(map(self.roles.__contains__, context.roles))  # `role in self.roles` for each, without
            or any(map(self.visit_types.__contains__, context.visit_types))  # a generator frame per call
        )

    def ids(self) -> Iterable[tuple[str, str]]:
        """Every (vocabulary, id) pair named here."""
        for vocabulary in ("care_models", "roles", "visit_types"):
            for value in getattr(self, vocabulary):
                yield vocabulary, value


class VocabularyEntry(_Strict):
    """One value of a context variable (a care model, a role or a visit type)."""

    id: str = Field(pattern=SLUG_PATTERN, description="Stable id used in project files.")
    label: str = Field(min_length=1, description="What people read.")
    description: str = Field(min_length=1, description="One line explaining the value.")


class Principle(_Strict):
    """One of the seed's design principles (its Best Practices)."""

    id: str = Field(pattern=SLUG_PATTERN, description="Stable id items refer to.")
    title: str = Field(min_length=1, description="The principle, in the seed's words.")
    text: str = Field(min_length=1, description="Its explanation, in the seed's words.")


class Reference(_Strict):
    """A source a reader can follow."""

    title: str = Field(min_length=1, description="Title of the source.")
    url: str = Field(pattern=r"^https?://\S+$", description="Where to read it.")


class TemporaryRule(_Strict):
    """A rule that is temporary or recently changed: always check before use."""

    id: str = Field(pattern=SLUG_PATTERN, description="Id compliance notes refer to.")
    rule: str = Field(min_length=1, description="What the rule allows or requires.")
    status: str = Field(min_length=1, description="Its status as last confirmed.")
    confirmed_through: dt.date = Field(description="Last date through which it was confirmed.")
    reference: Reference = Field(description="Where the status was confirmed.")


class Option(_Strict):
    """One approach to an item's main decision."""

    id: str = Field(pattern=SLUG_PATTERN, description="Stable id stored in project files.")
    label: str = Field(min_length=1, description="Short name of the approach.")
    description: str = Field(min_length=1, description="What the approach is.")
    tradeoffs: str = Field(min_length=1, description="What it costs and what it buys.")
    recommended_for: Condition = Field(
        default_factory=Condition, description="Contexts where this approach is recommended."
    )
    caution_for: Condition = Field(default_factory=Condition, description="Contexts where this approach is risky.")


class KPI(_Strict):
    """A measure of whether the decision works."""

    name: str = Field(min_length=1, description="Name of the measure.")
    definition: str = Field(min_length=1, description="Numerator / denominator or method.")
    target: str = Field(default="", description="Target or benchmark, when a source gives one.")
    source: str = Field(default="", description="Where the target comes from.")


class ComplianceNote(_Strict):
    """A rule that bears on the decision, with its citation."""

    text: str = Field(min_length=1, description="What the rule means for this decision.")
    citation: str = Field(min_length=1, description="Regulation, statute or source.")
    temporary: bool = Field(default=False, description="True when the rule is time-limited.")
    confirmed_through: dt.date | None = Field(default=None, description="For temporary rules: last date confirmed.")
    rule: str = Field(default="", description="Id of the pack's temporary rule, if any.")
    when: Condition = Field(default_factory=Condition, description="Contexts it applies to; empty means all.")

    def applies_to(self, context: ClinicalContextLike) -> bool:
        """True when the note applies to this design's context."""
        return self.when.is_empty() or self.when.matches(context)


class ContextNote(_Strict):
    """Guidance shown only when the design's context matches."""

    when: Condition = Field(description="Contexts that make this note apply.")
    text: str = Field(min_length=1, description="The guidance, Markdown.")


class Item(_Strict):
    """One checklist item: the guidance and the options for one design decision."""

    id: str = Field(pattern=SLUG_PATTERN, description="Stable slug; the key in project files.")
    number: str = Field(default="", description="Checklist number, e.g. 3.1.1.")
    title: str = Field(min_length=1, description="Title, as the source document words it.")
    summary: str = Field(min_length=1, description="One sentence.")
    why: str = Field(default="", description="Why the decision matters in telemedicine.")
    questions: list[str] = Field(default_factory=new_list, description="Key questions to answer.")
    options: list[Option] = Field(default_factory=new_list, description="Approaches to choose from.")
    kpis: list[KPI] = Field(default_factory=new_list, description="Suggested measures.")
    compliance: list[ComplianceNote] = Field(default_factory=new_list, description="Rules.")
    context_notes: list[ContextNote] = Field(default_factory=new_list, description="By context.")
    references: list[Reference] = Field(default_factory=new_list, description="Sources.")
    principles: list[str] = Field(default_factory=new_list, description="Principle ids served.")

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((opt for opt in self.options if opt.id == option_id), None)

    def matching_notes(self, context: ClinicalContextLike) -> list[ContextNote]:
        """Context notes that apply to this design, in content order."""
        return [note for note in self.context_notes if note.when.matches(context)]

    def recommended_options(self, context: ClinicalContextLike) -> list[Option]:
        """Options recommended for this context and not cautioned against."""
        return [
            opt for opt in self.options if opt.recommended_for.matches(context) and not opt.caution_for.matches(context)
        ]

    def applicable_compliance(self, context: ClinicalContextLike) -> list[ComplianceNote]:
        """Compliance notes that apply to this context."""
        return [note for note in self.compliance if note.applies_to(context)]


class Section(_Strict):
    """A section of the checklist (3.1 to 3.5) and its items in order."""

    id: str = Field(pattern=SLUG_PATTERN, description="Stable id.")
    number: str = Field(pattern=r"^\d+(\.\d+)*$", description="Section number, e.g. 3.1.")
    title: str = Field(min_length=1, description="Title, as the source document words it.")
    items: list[Item] = Field(description="The section's items, in order.")


class ContentPack(_Strict):
    """A validated content pack: everything the wizard and the playbook need."""

    id: str = Field(pattern=SLUG_PATTERN, description="Pack id, e.g. telemedicine-clinical-workflows.")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$", description="Semantic version.")
    title: str = Field(min_length=1, description="Title of the checklist.")
    description: str = Field(default="", description="What the pack covers.")
    care_models: list[VocabularyEntry] = Field(description="Care delivery models.")
    roles: list[VocabularyEntry] = Field(description="Clinical staff roles.")
    visit_types: list[VocabularyEntry] = Field(description="Visit types offered.")
    principles: list[Principle] = Field(description="Design principles.")
    temporary_rules: list[TemporaryRule] = Field(default_factory=new_list, description="Register.")
    sections: list[Section] = Field(description="Sections with their items.")

    @field_validator("care_models", "roles", "visit_types", "principles", "sections")
    @classmethod
    def _not_empty(cls, value: list[Any]) -> list[Any]:
        if not value:
            raise ValueError("must list at least one entry")
        return value

    @property
    def major(self) -> int:
        """Major version: project files name the pack as ``id@major``."""
        return int(self.version.split(".")[0])

    @property
    def ref(self) -> str:
        """How project files name this pack."""
        return f"{self.id}@{self.major}"

    @cached_property
    def items(self) -> list[Item]:
        """All items in content order."""
        return [item for section in self.sections for item in section.items]

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        """Items keyed by slug."""
        return {item.id: item for item in self.items}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        """The section of each item slug."""
        return {item.id: section for section in self.sections for item in section.items}

    def vocabulary(self, name: str) -> list[VocabularyEntry]:
        """One vocabulary by field name: care_models, roles or visit_types."""
        entries: list[VocabularyEntry] = getattr(self, name)
        return entries

    def label(self, name: str, value: str) -> str:
        """The label of a vocabulary id, or the id itself when unknown."""
        return next((e.label for e in self.vocabulary(name) if e.id == value), value)

    def temporary_rule(self, rule_id: str) -> TemporaryRule | None:
        """A register entry by id."""
        return next((rule for rule in self.temporary_rules if rule.id == rule_id), None)


# ---------------------------------------------------------------------------
# Problems and loading
# ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One thing wrong with a content pack, located by file and field."""

    file: str
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The pack could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        first = problems[0] if problems else ContentProblem("", "", "unknown problem")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")


def field_path(loc: Sequence[int | str]) -> str:
    """Turn a pydantic location into ``options[2].tradeoffs``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _pydantic_problems(file: str, error: ValidationError, prefix: str = "") -> list[ContentProblem]:
    problems = []
    for err in error.errors():
        field = field_path(err["loc"])
        if prefix:
            field = f"{prefix}.{field}" if field else prefix
        problems.append(ContentProblem(file, field, err["msg"].rstrip(".").lower()))
    return problems


TOML_ERROR_AT = r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$"
"""Where tomllib's error message puts the place. Patterns only errors need are kept as text, compiled
on first use (``re`` caches them): compiling every pattern of the core at import was ~4 ms of each
command."""


def _read_toml(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[ContentProblem]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [ContentProblem(shown, "", "file is missing")]
    except OSError as exc:
        return None, [ContentProblem(shown, "", f"cannot be read ({exc.strerror})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [ContentProblem(shown, "", "is not UTF-8 text")]
    import tomllib  # only when the pack is read from its files (a cache hit never parses TOML)

    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if match := re.match(TOML_ERROR_AT, message):
            place = f"line {match['line']}, column {match['col']}"
            return None, [ContentProblem(shown, place, f"invalid TOML: {match['msg'].lower()}")]
        return None, [ContentProblem(shown, "", f"invalid TOML: {message}")]


def load_pack(directory: Path | str) -> ContentPack:
    """Load and validate a pack folder; raise ContentError listing every problem found.

    A pack that loaded without errors is cached (see ``_PackCache``): parsing its TOML files is
    most of the cost of starting the wizard or an export, and the files rarely change.
    """
    cache = _PackCache(Path(directory))
    pack = cache.read()
    if pack is not None:
        return pack
    pack, problems = check_pack(directory)
    errors = [p for p in problems if p.severity == "error"]
    if pack is None or errors:
        raise ContentError(errors or problems)
    cache.write(pack)
    return pack


class _PackCache:
    """A pack that loaded without errors, stored in the user cache folder.

    The entry is keyed by the pack folder and stamped with the size and modification time of
    ``pack.toml`` and of every file in ``items/`` (taken before the files are read, so a change made
    while loading only makes the next load a miss), and with the code that validates packs (this
    module, pydantic, Python). Any change makes it a miss, and the pack is loaded and checked from
    its files again. A hit is our own validated output under a matching stamp, so it is not
    validated again: the models are built straight from the stored data (see ``_reader``), with only
    its shape checked (every object has exactly its model's fields, lists are lists). Problems with
    the cache itself (a read-only or full disk, a damaged entry) are never errors: the pack is loaded
    from its files.

    The data is the pack's JSON-mode dump in ``marshal`` format, the standard library's format for
    compiled bytecode: at 1,000 items it loads in ~30-45 ms where ``json.loads`` took ~125 ms and
    pydantic's ``validate_json`` ~220-260 ms (models included). Like bytecode in ``__pycache__``, it
    is only ever read from the user's own cache folder, and its stamp names the Python version (the
    format may change between versions).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stamp = self._stamp()

    def _stamp(self) -> bytes | None:
        try:
            lines = [f"{__file__}:{_file_stamp(__file__)}", f"pydantic:{PYDANTIC_VERSION}", sys.version, "marshal"]
            lines.append(f"pack.toml:{_file_stamp(self.root / 'pack.toml')}")
            with os.scandir(self.root / "items") as entries:
                lines += sorted(f"items/{e.name}:{_file_stamp(e)}" for e in entries)
        except (OSError, ValueError):
            return None
        return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest().encode()

    @property
    def file(self) -> Path:
        from wizard.paths import cache_dir

        key = hashlib.sha256(str(self.root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        return cache_dir() / "packs" / f"{key}.marshal"

    def read(self) -> ContentPack | None:
        """The cached pack, or None (no entry, a stale one, or anything wrong with it)."""
        if self.stamp is None:
            return None
        build = _reader(ContentPack)
        try:
            with self.file.open("rb") as handle:
                head = handle.readline()
                if head != self.stamp + b"\n":
                    return None
                # Read at its known size, into one buffer: a large pack is never copied (13 MB at 1,000 items).
                data = handle.read(os.fstat(handle.fileno()).st_size - len(head))
            with _collector_paused():
                pack: ContentPack = build(marshal.loads(data))
        except (OSError, EOFError, ValueError, TypeError):  # _CacheShapeError is a ValueError
            return None
        return pack

    def write(self, pack: ContentPack) -> None:
        """Store a pack that loaded without errors (best effort)."""
        if self.stamp is None:
            return
        target = self.file
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(self.stamp + b"\n" + marshal.dumps(pack.model_dump(mode="json")))
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        # Entries as JSON, from before the cache held marshal data: no version reads them any more, and
        # one left for a pack that has since moved or gone would stay for good (13 MB at 1,000 items).
        with contextlib.suppress(OSError):
            for old in target.parent.glob("*.json"):
                with contextlib.suppress(OSError):
                    old.unlink()


class _CacheShapeError(ValueError):
    """A cache entry that loads but is not the shape of a dumped pack."""


_Reader = Callable[[Any], Any]
_READERS: dict[type[BaseModel], _Reader] = {}
# BaseModel's own slots (its __slots__), set through their descriptors rather than by name with
# object.__setattr__: building the 1,000-item pack went from 568M to 486M instructions.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _reader(model: type[BaseModel]) -> _Reader:
    """A function building ``model`` from its ``model_dump(mode="json")`` output, without validation.

    It does what ``model.model_construct(**data)`` does for our models (a ``__dict__`` of the field
    values, every field marked as set, no extra or private values), at less than half its cost; at a
    thousand items, loading the entry and reading it takes ~140 ms where validating it took ~220 ms.
    Nested models, lists of them and dates (ISO strings in JSON mode) are built along the way. All
    instances of a model share one set of fields set: content models are frozen, so nothing adds to
    it, and a copy gets its own (pydantic copies it); one set per instance was 17 MB at 1,000 items.
    A field of a type it does not know how to read is a TypeError here, raised before any entry is
    read, so adding one cannot pass unnoticed.
    """
    if model in _READERS:
        return _READERS[model]
    if model.__pydantic_post_init__ or model.__pydantic_root_model__ or model.__private_attributes__:
        raise TypeError(f"{model.__name__}: the pack cache cannot build a model with post-init or private state")
    names = frozenset(model.model_fields)
    fields_set = set(names)
    converters: tuple[tuple[str, _Reader], ...] = ()
    new = model.__new__

    def read(data: Any) -> Any:
        if type(data) is not dict or data.keys() != names:
            raise _CacheShapeError(f"not a {model.__name__}")
        for name, convert in converters:
            data[name] = convert(data[name])
        built = new(model)
        _set_dict(built, data)
        _set_fields_set(built, fields_set)
        _set_extra(built, None)
        _set_private(built, None)
        return built

    _READERS[model] = read  # before the fields: a model may nest itself
    found = []
    for name, info in model.model_fields.items():
        convert = _converter(info.annotation, f"{model.__name__}.{name}")
        if convert is not None:
            found.append((name, convert))
    converters = tuple(found)
    return read


def _converter(annotation: Any, where: str) -> _Reader | None:
    """How to turn the JSON of a field of this type back into its value (None: JSON holds it as it is)."""
    if annotation in (str, bool, int):
        return None
    if annotation is dt.date:
        return _read_date
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _reader(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and len(args) == 1:
        item = _converter(args[0], where)
        return _list_of_plain if item is None else _list_reader(item)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _converter(next(arg for arg in args if arg is not type(None)), where)
        if inner is None:
            raise TypeError(f"{where}: the pack cache cannot read {annotation!r}")
        return _optional_reader(inner)
    raise TypeError(f"{where}: the pack cache cannot read {annotation!r}")


def _read_date(value: Any) -> dt.date:
    if type(value) is not str:
        raise _CacheShapeError("not a date")
    return dt.date.fromisoformat(value)


def _list_of_plain(value: Any) -> Any:
    if type(value) is not list:
        raise _CacheShapeError("not a list")
    return value


def _list_reader(item: _Reader) -> _Reader:
    def read(value: Any) -> list[Any]:
        if type(value) is not list:
            raise _CacheShapeError("not a list")
        return [item(entry) for entry in value]

    return read


def _optional_reader(inner: _Reader) -> _Reader:
    def read(value: Any) -> Any:
        return None if value is None else inner(value)

    return read


def _file_stamp(path: str | Path | os.DirEntry[str]) -> str:
    info = path.stat() if not isinstance(path, str) else os.stat(path)
    return f"{info.st_size}:{info.st_mtime_ns}"


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Build data that lives as long as the process (the design and pack a command or the wizard works
    on): the cyclic garbage collector is paused meanwhile, then everything built is frozen out of its
    way (``gc.freeze``). Later collections no longer walk the pack and the design, which at a thousand
    items made each of them cost a quarter of a second. Only the layers that own the process (the
    command line, the app) call this: freezing is process-wide."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a pack is many small objects and no cycles, and collections
    triggered while building them cost more than the building at a thousand items."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_pack(directory: Path | str) -> tuple[ContentPack | None, list[ContentProblem]]:
    """Load a pack and collect every problem (errors, then authoring warnings)."""
    root = Path(directory)
    pack_file = root / "pack.toml"
    shown = _display(pack_file)
    if not root.is_dir():
        return None, [ContentProblem(_display(root), "", "is not a content pack folder")]
    raw, problems = _read_toml(pack_file, shown)
    if raw is None:
        return None, problems

    sections_raw = raw.get("sections")
    built_sections: list[dict[str, Any]] = []
    if isinstance(sections_raw, list):
        listed: dict[str, str] = {}
        for s_index, section in enumerate(sections_raw):
            if not isinstance(section, dict):
                built_sections.append(section)  # pydantic names the field and the wrong type
                continue
            slugs = section.get("items")
            if not isinstance(slugs, list):
                problems.append(ContentProblem(shown, f"sections[{s_index}].items", "must be a list of item ids"))
                slugs = []
            items = []
            for position, slug in enumerate(slugs, start=1):
                place = f"sections[{s_index}].items[{position - 1}]"
                if isinstance(slug, str) and slug in listed:
                    problems.append(
                        ContentProblem(shown, place, f"item {slug!r} is listed twice (first at {listed[slug]})")
                    )
                    continue
                if isinstance(slug, str):
                    listed[slug] = place
                item = _load_item(root, section, s_index, position, slug, problems)
                if item is not None:
                    items.append(item)
            built_sections.append({**section, "items": items})
    pack_data = {**raw, "sections": built_sections if isinstance(sections_raw, list) else sections_raw}
    try:
        pack = ContentPack.model_validate(pack_data)
    except ValidationError as exc:
        problems.extend(p for p in _pydantic_problems(shown, exc) if ".items[" not in p.field)
        return None, problems
    # Cross-file checks run on the items that did validate, so one run reports every problem.
    problems.extend(_cross_check(pack, root))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return pack, problems


def _load_item(
    root: Path,
    section: dict[str, Any],
    s_index: int,
    position: int,
    slug: object,
    problems: list[ContentProblem],
) -> Item | None:
    pack_file = _display(root / "pack.toml")
    if not isinstance(slug, str) or not re.match(SLUG_PATTERN, slug):
        problems.append(ContentProblem(pack_file, f"sections[{s_index}].items[{position - 1}]", "not a slug"))
        return None
    path = root / "items" / f"{slug}.toml"
    shown = _display(path)
    if not path.exists() and not path.is_symlink():
        place = f"sections[{s_index}].items[{position - 1}]"
        problems.append(ContentProblem(pack_file, place, f"names item {slug!r}, but {shown} is missing"))
        return None
    raw, found = _read_toml(path, shown)
    problems.extend(found)
    if raw is None:
        return None
    expected = f"{section.get('number', '?')}.{position}"
    if raw.setdefault("number", expected) != expected:
        problems.append(ContentProblem(shown, "number", f"is {raw['number']!r} but its place makes it {expected!r}"))
    if raw.get("id", slug) != slug:
        problems.append(ContentProblem(shown, "id", f"is {raw.get('id')!r}; the file name says {slug!r}"))
        return None
    raw["id"] = slug
    try:
        return Item.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(shown, exc))
        return None


def _cross_check(pack: ContentPack, root: Path) -> list[ContentProblem]:
    """Checks that span files: unique ids, known references, authoring depth."""
    problems: list[ContentProblem] = []
    pack_file = _display(root / "pack.toml")
    vocab = {name: {e.id for e in pack.vocabulary(name)} for name in ("care_models", "roles", "visit_types")}
    registers: list[tuple[str, Sequence[VocabularyEntry | Principle | TemporaryRule | Section]]] = [
        ("care_models", pack.care_models),
        ("roles", pack.roles),
        ("visit_types", pack.visit_types),
        ("principles", pack.principles),
        ("temporary_rules", pack.temporary_rules),
        ("sections", pack.sections),
    ]
    for name, entries in registers:
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry.id in seen:
                problems.append(ContentProblem(pack_file, f"{name}[{index}].id", f"duplicate id {entry.id!r}"))
            seen.add(entry.id)
    principle_ids = {p.id for p in pack.principles}
    rule_ids = {r.id for r in pack.temporary_rules}
    whys: dict[str, str] = {}
    for item in pack.items:
        item_file = _display(root / "items" / f"{item.id}.toml")
        problems.extend(_item_references(item, item_file, vocab, principle_ids, rule_ids))
        problems.extend(_depth_warnings(item, item_file))
        if item.why and item.why in whys:
            problems.append(ContentProblem(item_file, "why", f"same text as item {whys[item.why]!r}", "warning"))
        whys.setdefault(item.why, item.id)
    today = dt.date.today()
    for index, rule in enumerate(pack.temporary_rules):
        if rule.confirmed_through < today:
            problems.append(
                ContentProblem(
                    pack_file,
                    f"temporary_rules[{index}].confirmed_through",
                    f"{rule.confirmed_through.isoformat()} is past ({rule.id}): check the rule's status and update it",
                    "warning",
                )
            )
    return problems


def _unknown_ids(condition: Condition, field: str, item_file: str, vocab: dict[str, set[str]]) -> list[ContentProblem]:
    """Problems for ids in a condition that no vocabulary defines."""
    return [
        ContentProblem(item_file, f"{field}.{vocabulary}", f"unknown id {value!r}")
        for vocabulary, value in condition.ids()
        if value not in vocab[vocabulary]
    ]


def _item_references(
    item: Item, item_file: str, vocab: dict[str, set[str]], principle_ids: set[str], rule_ids: set[str]
) -> list[ContentProblem]:
    """Errors in what an item refers to: option ids, vocabulary ids, principles, rules, sources."""
    problems: list[ContentProblem] = []
    option_ids: set[str] = set()
    for index, option in enumerate(item.options):
        if option.id == "custom":
            problems.append(
                ContentProblem(item_file, f"options[{index}].id", "'custom' is reserved for a lead's own approach")
            )
        elif option.id in option_ids:
            problems.append(ContentProblem(item_file, f"options[{index}].id", f"duplicate id {option.id!r}"))
        option_ids.add(option.id)
        problems += _unknown_ids(option.recommended_for, f"options[{index}].recommended_for", item_file, vocab)
        problems += _unknown_ids(option.caution_for, f"options[{index}].caution_for", item_file, vocab)
    for index, ctx_note in enumerate(item.context_notes):
        if ctx_note.when.is_empty():
            problems.append(ContentProblem(item_file, f"context_notes[{index}].when", "names no context"))
        problems += _unknown_ids(ctx_note.when, f"context_notes[{index}].when", item_file, vocab)
    for index, note in enumerate(item.compliance):
        problems += _unknown_ids(note.when, f"compliance[{index}].when", item_file, vocab)
        if note.rule and note.rule not in rule_ids:
            problems.append(
                ContentProblem(item_file, f"compliance[{index}].rule", f"unknown temporary rule {note.rule!r}")
            )
        if note.temporary and note.confirmed_through is None and not note.rule:
            problems.append(
                ContentProblem(
                    item_file,
                    f"compliance[{index}].confirmed_through",
                    "a temporary rule needs the date it was last confirmed (or a rule id)",
                )
            )
    for index, kpi in enumerate(item.kpis):
        if kpi.target and not kpi.source:
            problems.append(ContentProblem(item_file, f"kpis[{index}].source", "a target needs its source"))
    for index, principle in enumerate(item.principles):
        if principle not in principle_ids:
            problems.append(ContentProblem(item_file, f"principles[{index}]", f"unknown principle {principle!r}"))
    return problems


DEPTH = {
    "questions": (3, 5),
    "options": (3, 4),
    "kpis": (2, 4),
}
WHY_WORDS = (80, 250)


def _depth_warnings(item: Item, item_file: str) -> list[ContentProblem]:
    """Authoring guidelines: depth a serious pack should have (warnings, not errors)."""
    found = []
    for field, (low, high) in DEPTH.items():
        count = len(getattr(item, field))
        if not low <= count <= high:
            found.append(ContentProblem(item_file, field, f"has {count}; aim for {low} to {high}", "warning"))
    words = len(item.why.split())
    if not WHY_WORDS[0] <= words <= WHY_WORDS[1]:
        found.append(
            ContentProblem(item_file, "why", f"has {words} words; aim for {WHY_WORDS[0]} to {WHY_WORDS[1]}", "warning")
        )
    if not item.references:
        found.append(ContentProblem(item_file, "references", "none given", "warning"))
    if not item.principles:
        found.append(ContentProblem(item_file, "principles", "none given", "warning"))
    return found


def _display(path: Path) -> str:
    """A path as people should read it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------
# Finding packs
# ---------------------------------------------------------------------------


def bundled_content_dir() -> Path:
    """The folder holding the bundled packs: inside the installed wheel, else the repo's content/."""
    packaged = Path(__file__).resolve().parent / "_content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "content"


def content_dirs() -> list[Path]:
    """Folders searched for packs: those in TELEWIZARD_CONTENT_PATH first, then the bundled one."""
    extra = [Path(p) for p in os.environ.get(PACK_ENV, "").split(os.pathsep) if p]
    return [*extra, bundled_content_dir()]


def find_pack_dir(ref: str) -> Path | None:
    """The folder of the pack named ``id`` or ``id@major``; None when not found."""
    pack_id = ref.split("@", 1)[0]
    if not re.match(SLUG_PATTERN, pack_id):
        return None  # never a path: a project file must not point outside the content folders
    for folder in content_dirs():
        candidate = folder / pack_id
        if (candidate / "pack.toml").is_file():
            return candidate
        if (folder / "pack.toml").is_file() and folder.name == pack_id:
            return folder
    return None


_cache: dict[Path, ContentPack] = {}


def load_pack_by_ref(ref: str = DEFAULT_PACK_ID) -> ContentPack:
    """Load (once per process) the pack a project file names; ContentError when missing or bad."""
    folder = find_pack_dir(ref)
    if folder is None:
        raise ContentError([ContentProblem(ref, "", "no content pack with this id was found")])
    key = folder.resolve()
    if key not in _cache:
        _cache[key] = load_pack(folder)
    pack = _cache[key]
    if "@" in ref:
        wanted = ref.split("@", 1)[1]
        if wanted != str(pack.major):
            raise ContentError(
                [ContentProblem(ref, "", f"needs major version {wanted}, but the pack found is {pack.version}")]
            )
    return pack
