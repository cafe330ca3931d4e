"""The content pack's models: what a pack holds, validated by pydantic as it is loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_PACK_ID = "telemedicine-clinical-workflows"
"""The pack bundled with telewizard, and the one a new design uses."""
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Strict(BaseModel):
    """Base for content models: unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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

    care_models: list[str] = Field(default_factory=list, description="Care model ids.")
    roles: list[str] = Field(default_factory=list, description="Role ids.")
    visit_types: list[str] = Field(default_factory=list, description="Visit type ids.")

    def is_empty(self) -> bool:
        """True when the condition names no context at all."""
        return not (self.care_models or self.roles or self.visit_types)

    def matches(self, context: ClinicalContextLike) -> bool:
        """True when the context shares at least one id with this condition."""
        return (
            context.care_model in self.care_models
            or any(role in self.roles for role in context.roles)
            or any(visit in self.visit_types for visit in context.visit_types)
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


class SetAsideBy(_Strict):
    """A decision that makes a rule moot for the whole design: one of these options chosen for this item
    (3.2.6 deciding "no controlled substances" sets the DEA prescribing rules aside)."""

    item: str = Field(pattern=SLUG_PATTERN, description="Slug of the item whose decision decides it.")
    options: list[str] = Field(min_length=1, description="Ids of that item's options that set the rule aside.")


class ComplianceRule(_Strict):
    """One rule of the pack's register, stated once in the pack's own words. Items' compliance notes
    name it by id and add only what is specific to them."""

    id: str = Field(pattern=SLUG_PATTERN, description="Id compliance notes refer to.")
    title: str = Field(min_length=1, description="A few words naming the rule (for lists and the brief).")
    statement: str = Field(min_length=1, description="The rule in one or two sentences.")
    citation: str = Field(min_length=1, description="Regulation, statute or source.")
    temporary: bool = Field(default=False, description="True when the rule is time-limited: check before use.")
    confirmed_through: dt.date | None = Field(
        default=None, description="For a temporary rule: the last date through which it was confirmed."
    )
    status: str = Field(default="", description="For a temporary rule: its status as last confirmed.")
    reference: Reference | None = Field(default=None, description="Where its status was confirmed.")
    set_aside_by: SetAsideBy | None = Field(
        default=None, description="A decision that makes the rule moot for the whole design."
    )

    def is_set_aside(self, option_of: Callable[[str], str]) -> bool:
        """True when the decision named by ``set_aside_by`` chose one of its options (``option_of``
        gives an item slug's chosen option id, or "")."""
        by = self.set_aside_by
        return by is not None and option_of(by.item) in by.options


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
    options: list[str] = Field(
        default_factory=list, description="Ids of the item's options this measure fits; empty: every option."
    )


class ComplianceNote(_Strict):
    """An item's reliance on a rule of the pack's register, with what is specific to the item."""

    rule: str = Field(pattern=SLUG_PATTERN, description="Id of the rule in the pack's register.")
    text: str = Field(default="", description="What is specific to this item; empty when the rule says it all.")
    when: Condition = Field(default_factory=Condition, description="Contexts it applies to; empty means all.")
    unless_options: list[str] = Field(
        default_factory=list, description="Option ids of this item whose choice makes the note moot."
    )

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
    questions: list[str] = Field(default_factory=list, description="Key questions to answer.")
    options: list[Option] = Field(default_factory=list, description="Approaches to choose from.")
    kpis: list[KPI] = Field(default_factory=list, description="Suggested measures.")
    compliance: list[ComplianceNote] = Field(default_factory=list, description="Rules.")
    context_notes: list[ContextNote] = Field(default_factory=list, description="By context.")
    references: list[Reference] = Field(default_factory=list, description="Sources.")
    principles: list[str] = Field(default_factory=list, description="Principle ids served.")

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((opt for opt in self.options if opt.id == option_id), None)

    def kpis_for(self, option_id: str) -> list[KPI]:
        """The suggested measures that fit a decision choosing ``option_id``: those naming no option, and
        those naming it (every measure when the approach is custom or not chosen yet)."""
        if self.option(option_id) is None:
            return list(self.kpis)
        return [kpi for kpi in self.kpis if not kpi.options or option_id in kpi.options]

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


class SafetyNetTopic(_Strict):
    """A topic that decides whether a patient comes to harm and that no checklist item names directly
    (a patient who deteriorates during a visit, a behavioral-health crisis...). The pack names the
    items whose decisions must cover it; a decision says which topics it covers (``Decision.covers``)."""

    id: str = Field(pattern=SLUG_PATTERN, description="Stable id decisions refer to.")
    title: str = Field(min_length=1, description="The topic, as a reviewer reads it.")
    description: str = Field(min_length=1, description="What a design must settle about it.")
    items: list[str] = Field(min_length=1, description="Slugs of the items whose decisions must cover it.")


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
    rules: list[ComplianceRule] = Field(default_factory=list, description="The register of compliance rules.")
    safety_net: list[SafetyNetTopic] = Field(default_factory=list, description="Safety-net topics.")
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

    @cached_property
    def rules_by_id(self) -> dict[str, ComplianceRule]:
        """The register's rules keyed by id."""
        return {rule.id: rule for rule in self.rules}

    def rule(self, rule_id: str) -> ComplianceRule | None:
        """A rule of the register by id."""
        return self.rules_by_id.get(rule_id)

    def safety_topics_of(self, slug: str) -> list[SafetyNetTopic]:
        """The safety-net topics an item's decision is expected to cover, in pack order."""
        return [topic for topic in self.safety_net if slug in topic.items]
