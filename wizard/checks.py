"""Findings about a design: errors and warnings, each with a place and a sentence a person reads.

Errors that stop a file from loading are raised by ``wizard.project`` (DesignError); this module
reports what is wrong or risky in a design that loaded. Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from wizard.attention import item_concerns, open_items, rule_concerns, safety_net_concerns
from wizard.capacity import CALCULATOR_ITEMS
from wizard.compliance import build_baseline
from wizard.content import ContentPack, Item
from wizard.project import CUSTOM_OPTION, Decision, Design, version_state

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing a check found: where (an item slug or a field path) and what."""

    severity: Severity
    place: str
    message: str
    item: str = ""

    def __str__(self) -> str:
        return f"{self.severity}: {self.place}: {self.message}"


# ---------------------------------------------------------------------------
# PHI guard
# ---------------------------------------------------------------------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}(?!\d)"  # 03/14/1962, 3-14-62
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"  # 1962-03-14
    rf"|(?i:{_MONTH}) \d{{1,2}},? (?:19|20)\d{{2}}"  # March 14, 1962
    rf"|\d{{1,2}} (?i:{_MONTH}),? (?:19|20)\d{{2}})"  # 14 March 1962
)
_BIRTH_YEAR = r"(?:19\d{2}|200\d|201[0-4])"
"""Years a birth date has and a policy date in a current design does not."""
_OLD_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]{_BIRTH_YEAR}(?!\d)|{_BIRTH_YEAR}-\d{{2}}-\d{{2}}"
    rf"|(?i:{_MONTH}) \d{{1,2}},? {_BIRTH_YEAR}|\d{{1,2}} (?i:{_MONTH}),? {_BIRTH_YEAR})"
)
_WORD = r"(?:[A-Z]'|Ma?c)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"  # Smith, O'Neil, McDonald, Garcia-Lopez
_NAME = rf"{_WORD} (?:[A-Z]\. )?{_WORD}"
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx)\.?"
_PHI_SOURCES: list[tuple[str, str, int]] = [
    (
        "a Social Security number",
        r"(?<![\d-])(?!000|666|9\d\d)\d{3}(?P<sep>[- ])(?!00)\d{2}(?P=sep)(?!0000)\d{4}(?![\d-])"
        r"|\b(?i:SSN|social security (?:number|no\.?|#))\s*[:#]?\s*\d{9}\b",
        0,
    ),
    (
        "a medical record number",
        r"\b(?:MRN|MR#|medical record (?:number|no\.?|#))\s*[:#-]?\s*[A-Z]{0,3}-?\d{5,}\b",
        re.IGNORECASE,
    ),
    (
        "a date of birth",
        rf"\b(?i:DOB|D\.O\.B\.?|date of birth|birth ?date|born(?: on)?)\s*[:\-]?\s*{_DATE}",
        0,
    ),
    (
        "a date of birth next to a name",
        rf"\b(?:(?i:patient|pt\.?),?\s+{_NAME}|{_HONORIFIC}\s+(?:{_NAME}|{_WORD}))"
        rf"\s*[,(]?\s*(?:(?i:age)\s*\d+,?\s*)?{_DATE}"
        rf"|\b{_NAME}\s*[,(]?\s*{_OLD_DATE}",
        0,
    ),
]
"""What patient data looks like in free text, tuned against false alarms on what designs do hold:
phone numbers (555-123-4567), policy and due dates, CPT code ranges, ZIP+4, CFR citations."""


PHI_MEMO = 16384
"""Texts whose result find_phi remembers (a design of 1,000 items holds about 9,000 short texts)."""


@cache
def _phi_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """The patterns of _PHI_SOURCES, compiled on first use: compiling them (~8 ms) was most of the cost
    of importing this module, and commands that never look for patient data need not pay it."""
    return [(label, re.compile(source, flags)) for label, source, flags in _PHI_SOURCES]


@lru_cache(maxsize=PHI_MEMO)
def find_phi(text: str) -> str | None:
    """What patient data the text seems to hold (a short phrase), or None.

    Remembered per text: the wizard checks the whole design after every save, and at a thousand items
    running every pattern over every field again took ~0.3 s on the interface's thread. Only the
    text that changed is searched again."""
    for label, pattern in _phi_patterns():
        if pattern.search(text):
            return label
    return None


def _free_text(decision: Decision) -> list[tuple[str, str]]:
    fields = [
        ("summary", decision.summary),
        ("rationale", decision.rationale),
        ("owner", decision.owner),
        ("notes", decision.notes),
    ]
    fields += [(f"kpis[{i}]", kpi) for i, kpi in enumerate(decision.kpis)]
    if decision.review is not None:
        fields += [("review.comment", decision.review.comment), ("review.by", decision.review.by)]
    return fields


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def check_decision(item: Item, decision: Decision, design: Design, today: dt.date) -> list[Finding]:
    """Findings for one item's decision (the wizard shows these live).

    They include every concern of ``wizard.attention`` this decision raises on its own (changes
    requested, approved by its own owner, placeholders, no owner, due soon), so the playbook's brief
    and ``check`` name the same items.
    """
    found: list[Finding] = []
    place = f"{item.number} {item.title}"

    def warn(message: str) -> None:
        found.append(Finding("warning", place, message, item.id))

    for concern in item_concerns(item, decision, today):
        warn(concern.message)
    if decision.status == "decided":
        if not decision.summary.strip():
            warn("decided without a summary")
        if not decision.option:
            warn("decided without choosing an approach (an option or custom)")
    option = item.option(decision.option) if decision.option and decision.option != CUSTOM_OPTION else None
    if option is not None and option.caution_for.matches(design.context):
        warn(f"the approach {option.label!r} is cautioned against for this clinical context")
    for field, text in _free_text(decision):
        if text and (kind := find_phi(text)):
            warn(f"{field} looks like it holds {kind}; a playbook must never carry patient data")
    for key in sorted(decision.model_extra or {}):
        warn(f"unknown key {key!r} is kept as it is but not used")
    return found


def misplaced_capacity(item: Item, decision: Decision, pack: ContentPack) -> list[Finding]:
    """A warning for each calculator whose inputs the decision stores though it does not serve the item
    (a hand edit, or a table pasted under the wrong item): the inputs are kept and the playbook shows
    them, but the wizard offers a calculator only beside the items it serves."""
    capacity = decision.capacity
    if capacity is None:
        return []
    found = []
    stored = {"queue": capacity.queue, "panel": capacity.panel, "overbook": capacity.overbook}
    for name, serves in CALCULATOR_ITEMS.items():
        if stored[name] is None or item.id in serves:
            continue
        numbers = ", ".join(pack.items_by_id[slug].number for slug in serves if slug in pack.items_by_id)
        found.append(
            Finding(
                "warning",
                f"{item.number} {item.title}",
                f"capacity.{name}: the {name} calculator does not serve this item (it serves "
                f"{numbers or 'no item of this pack'}); its inputs are kept, but belong under the item it serves",
                item.id,
            )
        )
    return found


def check_design(design: Design, pack: ContentPack, today: dt.date | None = None) -> list[Finding]:
    """Every finding for a loaded design, in content order.

    Every concern the playbook's brief lists is a warning here: open and drafting items (one
    warning naming them all), each item's own concerns, temporary rules the design relies on
    that expire soon, and safety-net topics no decided item covers. So ``check --strict`` fails
    exactly while the brief has something to say.
    """
    today = today or dt.date.today()
    found: list[Finding] = []
    still_open = open_items(design, pack)
    if still_open:
        noun = "item is" if len(still_open) == 1 else "items are"
        names = ", ".join(item.number for item in still_open)
        found.append(Finding("warning", "design", f"{len(still_open)} {noun} still open or drafting: {names}"))
    ctx = design.context
    if not design.project.title.strip():
        found.append(Finding("warning", "project.title", "the design has no title"))
    if not ctx.care_model:
        found.append(Finding("warning", "context.care_model", "no care model chosen; guidance stays generic"))
    if ctx.care_model == "other" and not ctx.care_model_note.strip():
        found.append(Finding("warning", "context.care_model_note", "care model is 'other' but the note is empty"))
    if not ctx.roles:
        found.append(Finding("warning", "context.roles", "no clinical staff roles chosen"))
    if not ctx.visit_types:
        found.append(Finding("warning", "context.visit_types", "no visit types chosen"))
    for field in ("title", "organization", "lead"):
        text = getattr(design.project, field)
        if text and (kind := find_phi(text)):
            found.append(
                Finding("warning", f"project.{field}", f"looks like it holds {kind}; never put patient data here")
            )
    if ctx.care_model_note and (kind := find_phi(ctx.care_model_note)):
        found.append(Finding("warning", "context.care_model_note", f"looks like it holds {kind}"))
    for section_name, model in (("project", design.project), ("context", design.context), ("", design)):
        for key in sorted(model.model_extra or {}):
            where = f"{section_name}.{key}" if section_name else key
            found.append(Finding("warning", where, "unknown key is kept as it is but not used"))
    for item in pack.items:
        if item.id in design.decisions:
            found.extend(check_decision(item, design.decisions[item.id], design, today))
            found.extend(misplaced_capacity(item, design.decisions[item.id], pack))
    versions = version_state(design, (item.id for item in pack.items))
    for slug in versions.changed:
        found.append(
            Finding(
                "warning",
                f"decisions.{slug}",
                f"changed since version {versions.version} was signed; the reviewer must look at it again",
            )
        )
    for concern in rule_concerns(design, build_baseline(design, pack), today):
        found.append(Finding("warning", "compliance baseline", concern.message))
    for concern in safety_net_concerns(design, pack):
        assert concern.topic is not None
        found.append(Finding("warning", f"safety net: {concern.topic.id}", concern.message))
    return found


def counts(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors
