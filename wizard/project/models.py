"""The design as the project file holds it: pydantic models, and comparing and copying designs."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from wizard.capacity import CapacityInputs
from wizard.content import DEFAULT_PACK_ID

if TYPE_CHECKING:
    from wizard.content import ContentPack

SCHEMA_VERSION = 2
"""The file format this telewizard writes. 2 added a decision's ``covers`` and ``capacity`` and
``[[sign_offs]]``."""
STATUSES = ("open", "drafting", "decided", "not-applicable")
REVIEW_STATES = ("approved", "changes-requested")
SIGN_OFF_OUTCOMES = ("approved", "approved-with-conditions", "rejected")
CUSTOM_OPTION = "custom"
Status = Literal["open", "drafting", "decided", "not-applicable"]
ReviewState = Literal["approved", "changes-requested"]
SignOffOutcome = Literal["approved", "approved-with-conditions", "rejected"]
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
    kpis: list[str] = Field(default_factory=list, description="Measures, one per entry.")
    covers: list[str] = Field(
        default_factory=list, description="Ids of the pack's safety-net topics this decision says it covers."
    )
    notes: str = Field(default="", description="Anything else.")
    updated: dt.datetime | None = Field(default=None, description="Last change (UTC).")
    capacity: CapacityInputs | None = Field(
        default=None, description="The planning calculators' inputs (results are computed, never stored)."
    )
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


class SignOff(_Model):
    """One sign-off of the whole design: who signed which version, the outcome, and what they saw."""

    version: int = Field(ge=1, description="The version signed: 1 for the first sign-off, then counting up.")
    by: str = Field(description="Who signed (a name).")
    role: str = Field(description="In what role (Medical Director, Compliance Officer...).")
    outcome: SignOffOutcome = Field(description="approved, approved-with-conditions or rejected.")
    conditions: str = Field(default="", description="The conditions of an approval, or the reasons for a rejection.")
    on: dt.date = Field(description="The date it was signed.")
    effective: dt.date | None = Field(default=None, description="When the signed version takes effect.")
    next_review: dt.date | None = Field(default=None, description="When it is to be reviewed again.")
    fingerprint: str = Field(default="", description="Fingerprint of all the decisions signed.")
    open_items: list[str] = Field(
        default_factory=list, description="The items still open or drafting when it was signed, by slug."
    )
    decisions: dict[str, str] = Field(
        default_factory=dict, description="The fingerprint of each decision signed, by item slug."
    )


class Design(_Model):
    """A whole design as the project file holds it."""

    schema_version: int = Field(default=SCHEMA_VERSION, description="File format version.")
    project: ProjectInfo = Field(default_factory=ProjectInfo)
    context: ClinicalContext = Field(default_factory=ClinicalContext)
    decisions: dict[str, Decision] = Field(default_factory=dict, description="By item slug.")
    sign_offs: list[SignOff] = Field(default_factory=list, description="Sign-offs of the whole design, oldest first.")

    def decision(self, slug: str) -> Decision:
        """The decision for an item (an open, blank one when the file has none)."""
        return self.decisions.get(slug) or Decision()

    def status_of(self, slug: str) -> Status:
        """The status of an item."""
        return self.decision(slug).status


def design_data(design: Design) -> dict[str, Any]:
    """The design as plain data, as a save must keep it: unknown keys included, blank decisions left out
    (an item with no table is open, so a blank decision and a missing one are the same design)."""
    data = design.model_dump()
    blank = Decision().model_dump()
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

    ``reuse`` is an earlier copy that nobody changes: its decisions that hold the same data as the
    design's (``same_decision``) are shared with the new copy instead of copied again, so a copy after
    one edit costs one decision, not all of them.
    """
    before = reuse.decisions if reuse is not None else {}
    decisions = {
        slug: before[slug]
        if slug in before and before[slug] is not decision and same_decision(before[slug], decision)
        else decision.model_copy(deep=True)
        for slug, decision in design.decisions.items()
    }
    copy = design.model_copy(update={"decisions": {}}, deep=True)
    copy.decisions = decisions
    return copy


def same_decision(a: Decision | None, b: Decision | None) -> bool:
    """True when two decisions hold the same data. Unknown keys are compared as TOML values (``1``,
    ``1.0`` and ``true`` differ, ``nan`` equals ``nan``), which the model's own equality does not."""
    if a is None or b is None:
        return a is b
    if a is b:
        return True
    if a.model_extra or b.model_extra or _review_extra(a) or _review_extra(b):
        return same_data(a.model_dump(), b.model_dump())
    return a == b


def _review_extra(decision: Decision) -> bool:
    return decision.review is not None and bool(decision.review.model_extra)


def unchanged_decisions(design: Design, saved: Design | None) -> set[str]:
    """The slugs whose decision is the same as in ``saved`` (see ``same_decision``)."""
    if saved is None:
        return set()
    before = saved.decisions
    return {slug for slug, decision in design.decisions.items() if same_decision(before.get(slug), decision)}


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
            yield from fields(place, decision, ("option", "summary", "rationale", "owner", "kpis", "covers", "notes"))
            if decision.review is not None:
                yield from fields(place + "review.", decision.review, ("by", "comment"))
        for index, sign_off in enumerate(design.sign_offs):
            yield from fields(f"sign_offs[{index}].", sign_off, ("by", "role", "conditions"))

    for place, text in all_fields():
        if len(text) > MAX_TEXT_CHARS:
            return place, len(text)
    return None


def overlong_message(length: int) -> str:
    return f"is {length:,} characters long; a text field holds at most {MAX_TEXT_CHARS:,}"


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
