"""Writing a design into a TOML document: only values that differ are replaced, so comments, unknown
keys, key order and the user's formatting survive every save (tomlkit keeps them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, MutableMapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

import tomlkit
import tomlkit.items
from pydantic import BaseModel

from wizard.capacity import CapacityInputs
from wizard.project.models import (
    SCHEMA_VERSION,
    ClinicalContext,
    Decision,
    Design,
    ProjectInfo,
    Review,
    SignOff,
    same_data,
)

if TYPE_CHECKING:
    from tomlkit.container import Container
    from tomlkit.toml_document import TOMLDocument

HEADER = """\
# Telemedicine clinical workflow design, written by telewizard.
# Plain TOML: edit by hand, keep it in git. Comments and unknown keys survive every save.
# Each item is a [decisions.<slug>] table; an item with no table is open.
"""


def new_document() -> TOMLDocument:
    """The document of a design that has no file yet: the header comment and the schema version."""
    doc = tomlkit.parse(HEADER)
    doc["schema_version"] = SCHEMA_VERSION
    return doc


def escape_multiline(value: str) -> str:
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
            tomlkit.items.StringType.MLB, value, "\n" + escape_multiline(value), tomlkit.items.Trivia()
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


def _merge(container: Container | Any, values: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> bool:
    """Write values into a tomlkit table, touching only what changed; unknown keys stay.

    ``None`` removes a key; mappings are merged into sub-tables (written after plain keys). A key
    the table lacks is not added while its value is the field's default (``defaults``): a hand-
    written file without ``notes = ""`` keeps its shape (and its git diff small). Returns True
    when the layout changed (a key or table added or removed, or a value replaced inside an
    inline or dotted layout): the cases where tomlkit may misplace something.
    """
    structural = False
    plain = _is_plain_table(container)
    ordered = sorted(values.items(), key=lambda pair: isinstance(pair[1], Mapping))
    for key, value in ordered:
        if isinstance(value, Mapping):
            if key not in container or not isinstance(container[key], Mapping):
                container[key] = tomlkit.table()
                structural = True
            structural = _merge(container[key], value) or structural
            continue
        if value is None:
            if key in container:
                del container[key]
                structural = True
            continue
        present = key in container
        if present and same_data(_plain(container[key]), value):
            continue  # unchanged: keep the user's formatting and comments
        if not present and defaults is not None and key in defaults and same_data(value, defaults[key]):
            continue  # absent means the default: nothing to add
        if present and _edit_array(container[key], value):
            structural = True  # edited in place, so comments on kept entries stay; read back to be sure
            continue
        structural = structural or not present or not plain
        container[key] = _to_toml_value(value)
    return structural


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
        "covers": list(decision.covers),
        "notes": decision.notes,
        "updated": decision.updated,
        "capacity": _capacity_values(decision.capacity),
    }
    return _with_extra(values, decision)


def _capacity_values(capacity: CapacityInputs | None) -> dict[str, Any] | None:
    """The calculators' inputs as the file holds them: a table per calculator (None removes one), and
    whole numbers written as such (``15``, not ``15.0``)."""
    if capacity is None:
        return None

    def plain(value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, list):
            return [plain(entry) for entry in value]
        return value

    tables = {"queue": capacity.queue, "panel": capacity.panel, "overbook": capacity.overbook}
    return {
        name: None if inputs is None else {key: plain(value) for key, value in inputs.model_dump().items()}
        for name, inputs in tables.items()
    }


def merge_design(
    doc: TOMLDocument,
    design: Design,
    unchanged: AbstractSet[str] = frozenset(),
    titles: Mapping[str, str] | None = None,
) -> bool:
    """Merge the design into the document, skipping the decisions named in ``unchanged`` (the same as
    last saved) when they have a table.

    Only values that differ are replaced, so comments, unknown keys and formatting elsewhere
    survive; decisions no longer in the design lose their table. A decision's table written for the
    first time gets a comment naming the item on its header line (``titles``: "3.1.1 Provider
    scheduling and availability" by slug), so a person reading the file by hand knows which item it
    is; after that the comment is the user's, kept or edited as they like. It sits on the header line,
    not on a line of its own above it: tomlkit reads a comment line above a header as the end of the
    table before, and keys added to that table later would land under it. Returns True when the
    layout changed (see ``_merge``).
    """
    structural = _merge(doc, _with_extra({"schema_version": design.schema_version}, design))
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
            doc[name] = tomlkit.table()
            structural, defaults = True, None
        structural = _merge(doc[name], _with_extra(values, model), defaults) or structural
    structural = _merge_decisions(doc, design, unchanged, titles or {}) or structural
    return _merge_sign_offs(doc, design.sign_offs) or structural


def _merge_decisions(doc: TOMLDocument, design: Design, unchanged: AbstractSet[str], titles: Mapping[str, str]) -> bool:
    """The ``[decisions.<slug>]`` tables (see ``merge_design``)."""
    structural = False
    existing = doc.get("decisions")
    present: set[str] = set()
    if isinstance(existing, MutableMapping):
        for slug in [slug for slug in existing if slug not in design.decisions]:
            del existing[slug]
            structural = True
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
        structural = True
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
            if title := " ".join(titles.get(slug, "").split()):
                table[slug].comment(title)
        item_table = table[slug]
        structural = _merge(item_table, _decision_values(decision), item_defaults) or structural
        structural = _merge_review(item_table, decision.review) or structural
    return structural


def _merge_review(item_table: Any, review: Review | None) -> bool:
    """A decision's ``[decisions.<slug>.review]`` table."""
    if review is None:
        if "review" in item_table:
            del item_table["review"]
            return True
        return False
    structural = False
    review_defaults: dict[str, Any] | None = _REVIEW_DEFAULTS
    if "review" not in item_table or not isinstance(item_table["review"], Mapping):
        item_table["review"] = tomlkit.table()
        structural, review_defaults = True, None
    values = _with_extra({"state": review.state, "by": review.by, "on": review.on, "comment": review.comment}, review)
    return _merge(item_table["review"], values, review_defaults) or structural


def _sign_off_values(sign_off: SignOff) -> dict[str, Any]:
    """A sign-off as the file holds it: its fields in schema order, then its unknown keys."""
    values: dict[str, Any] = {
        "version": sign_off.version,
        "by": sign_off.by,
        "role": sign_off.role,
        "outcome": sign_off.outcome,
        "conditions": sign_off.conditions,
        "on": sign_off.on,
        "effective": sign_off.effective,
        "next_review": sign_off.next_review,
        "fingerprint": sign_off.fingerprint,
        "open_items": list(sign_off.open_items),
        "decisions": dict(sign_off.decisions),
    }
    return _with_extra(values, sign_off)


def _merge_sign_offs(doc: TOMLDocument, sign_offs: list[SignOff]) -> bool:
    """The ``[[sign_offs]]`` array of tables. Sign-offs are only ever added, so the entries the file
    already holds unchanged are kept as they are (with their comments) and new ones appended; anything
    else rewrites the array."""
    wanted = [
        {key: value for key, value in _sign_off_values(sign_off).items() if value not in (None, "", [])}
        for sign_off in sign_offs
    ]
    existing = doc.get("sign_offs")
    if existing is None and not wanted:
        return False
    current = _plain(existing) if existing is not None else None
    if isinstance(current, list) and same_data(current, wanted):
        return False
    keep = 0
    if isinstance(existing, tomlkit.items.AoT) and isinstance(current, list):
        while keep < min(len(current), len(wanted)) and same_data(current[keep], wanted[keep]):
            keep += 1
    if keep == 0 or keep != len(current or []):
        if existing is not None:
            del doc["sign_offs"]
        if not wanted:
            return True
        if not doc.as_string().endswith("\n\n"):
            doc.add(tomlkit.nl())  # a blank line before the first [[sign_offs]], as between other tables
        doc["sign_offs"] = tomlkit.aot()
        keep = 0
    array = doc["sign_offs"]
    for values in wanted[keep:]:
        array.append(_sign_off_table(values))
    return True


def _sign_off_table(values: Mapping[str, Any]) -> Any:
    table = tomlkit.table()
    for key, value in values.items():
        if isinstance(value, Mapping):
            sub = tomlkit.table()
            for inner_key, inner_value in value.items():
                sub[inner_key] = _to_toml_value(inner_value)
            table[key] = sub
        else:
            table[key] = _to_toml_value(value)
    return table


_DECISION_DEFAULTS = _field_defaults(Decision)
_REVIEW_DEFAULTS = _field_defaults(Review)
_PROJECT_DEFAULTS = _field_defaults(ProjectInfo)
_CONTEXT_DEFAULTS = _field_defaults(ClinicalContext)
