"""The playbook's outline: its headings in order, its labels, and what every part is built from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property, lru_cache

from wizard.attention import Concern
from wizard.compliance import Baseline
from wizard.content import ContentPack, Item, SafetyNetTopic
from wizard.playbook.text import anchor, flatten, inline
from wizard.project import Design, VersionState

STATUS_LABELS = {
    "open": "Open",
    "drafting": "Drafting",
    "decided": "Decided",
    "not-applicable": "Not applicable",
}
REVIEW_LABELS = {"approved": "Approved", "changes-requested": "Changes requested"}
SIGN_OFF_ROLES = (
    "Medical director",
    "Nursing lead",
    "Compliance and privacy officer",
    "Telemedicine operations lead",
)
SIGN_OFF_OUTCOMES = "Approve / Approve with conditions / Reject"
SIGN_OFF_OUTCOME_LABELS = {
    "approved": "Approved",
    "approved-with-conditions": "Approved with conditions",
    "rejected": "Rejected",
}
FORMATS = ("markdown", "html")
TITLE_SUFFIX = "Telemedicine Clinical Workflow Playbook"

# The fixed `##` headings, in document order; the content pack's sections go where SECTIONS is.
HEADING_BRIEF = "Decision brief"
HEADING_SIGN_OFF = "Sign-off"
HEADING_CONTENTS = "Contents"
HEADING_SUMMARY = "Summary of decisions"
SECTIONS = "<sections>"
HEADING_BASELINE = "Compliance baseline"
HEADING_ACTIONS = "Action plan"
HEADING_KPIS = "KPI register"
HEADING_OPEN = "Open items and review comments"
HEADING_PRINCIPLES = "Design principles"
HEADING_REFERENCES = "References"
FIXED_PARTS = (
    HEADING_BRIEF,
    HEADING_SIGN_OFF,
    HEADING_CONTENTS,
    HEADING_SUMMARY,
    SECTIONS,
    HEADING_BASELINE,
    HEADING_ACTIONS,
    HEADING_KPIS,
    HEADING_OPEN,
    HEADING_PRINCIPLES,
    HEADING_REFERENCES,
)

LABEL_PROGRESS = "**Progress by section:**"
"""The paragraph before the brief's progress table (the HTML shows a chart instead of the table)."""
LABEL_BY_MONTH = "**By month due:**"
"""The paragraph before the action plan's months (the HTML adds a chart after it)."""


@dataclass(frozen=True)
class Measure:
    """A measure a decision commits to, numbered in content order (M1, M2...)."""

    number: int
    item: Item
    text: str


@dataclass(frozen=True)
class Inputs:
    """What every part of the playbook is built from, computed once per export."""

    design: Design
    pack: ContentPack
    today: dt.date
    baseline: Baseline
    concerns: list[Concern]
    measures: list[Measure]
    versions: VersionState
    """The version last signed and the items changed since."""

    def covered_by(self, item: Item) -> list[SafetyNetTopic]:
        """The pack's safety-net topics the item's decision says it covers, in pack order."""
        covers = self.design.decision(item.id).covers
        return [topic for topic in self.pack.safety_net if topic.id in covers] if covers else []

    def concerns_of(self, item: Item) -> list[Concern]:
        """The concerns the brief lists for one item, most serious first."""
        return self._concerns_by_item.get(item.id, [])

    @cached_property
    def _concerns_by_item(self) -> dict[str, list[Concern]]:
        by_item: dict[str, list[Concern]] = {}
        for concern in self.concerns:
            if concern.item is not None:
                by_item.setdefault(concern.item.id, []).append(concern)
        return by_item

    def measures_of(self, item: Item) -> list[Measure]:
        """An item's measures."""
        return self._measures_by_item.get(item.id, [])

    @cached_property
    def _measures_by_item(self) -> dict[str, list[Measure]]:
        by_item: dict[str, list[Measure]] = {}
        for measure in self.measures:
            by_item.setdefault(measure.item.id, []).append(measure)
        return by_item


def numbered_measures(design: Design, pack: ContentPack) -> list[Measure]:
    """Every measure the design commits to, numbered from 1 in content order (items marked not
    applicable commit to nothing)."""
    found = []
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status != "not-applicable":
            found += [(item, text) for text in decision.kpis if text.strip()]
    return [Measure(number, item, text) for number, (item, text) in enumerate(found, start=1)]


def title_of(design: Design) -> str:
    """The design's title on one line, plain (not escaped): for window titles and file metadata."""
    return flatten(design.project.title) or "Untitled design"


def heading_title(design: Design) -> str:
    """The text of the playbook's `#` heading (Markdown, user title escaped)."""
    return f"{inline(title_of(design))}: {TITLE_SUFFIX}"


def item_heading(item: Item) -> str:
    """An item's `###` heading text, plain."""
    return f"{flatten(item.number)} {flatten(item.title)}"


def item_link(item: Item, *, with_title: bool = False) -> str:
    """A Markdown link to an item's heading, labelled with its number (and title)."""
    return _item_link(item.number, item.title, with_title)


@lru_cache(maxsize=4096)
def _item_link(number: str, title: str, with_title: bool) -> str:
    """Item links, made once per item: the playbook links every item from several parts."""
    label = inline(number) + (f" {inline(title)}" if with_title else "")
    return f"[{label}](#{anchor(f'{flatten(number)} {flatten(title)}')})"


def part_link(heading: str) -> str:
    """A Markdown link to one of the playbook's own `##` headings."""
    return f"[{inline(heading)}](#{anchor(flatten(heading))})"


def date_or(value: dt.date | None, fallback: str) -> str:
    """An ISO date, or the fallback."""
    return value.isoformat() if value else fallback


def numbers(items: list[Item]) -> str:
    """Item numbers as links, comma-separated; three or more items in a row of one section as a range
    ("3.3.4-3.3.8", both ends linked)."""
    runs: list[list[Item]] = []
    for item in items:
        if runs and _follows(runs[-1][-1].number, item.number):
            runs[-1].append(item)
        else:
            runs.append([item])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{item_link(run[0])}-{item_link(run[-1])}")
        else:
            parts += [item_link(item) for item in run]
    return ", ".join(parts)


def _follows(before: str, number: str) -> bool:
    """True when ``number`` is the item right after ``before`` in the same section ("3.3.5" after "3.3.4")."""
    head, _, last = number.rpartition(".")
    before_head, _, before_last = before.rpartition(".")
    return head == before_head and last.isdigit() and before_last.isdigit() and int(last) == int(before_last) + 1
