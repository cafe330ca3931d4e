"""What the workspace warns about, in one place: an item's warnings (shown at the top of its Decision
tab), every warning of the design (the list the status bar opens), the version the design is a draft
of, and which decisions a change of context leaves off the recommendation. The findings themselves
come from the core (``wizard.checks``); this adds what only the wizard knows: a due date typed that is
not a date (the file keeps the last valid one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from wizard.attention import item_concerns
from wizard.checks import check_decision, check_design
from wizard.content import ContentPack, Item
from wizard.guidance import CAUTION, RECOMMENDED, option_marks
from wizard.project import ClinicalContext, Decision, Design, version_state


@dataclass(frozen=True)
class Alert:
    """One warning as the wizard lists it: the item it belongs to (None: the whole design) and a sentence."""

    slug: str | None
    text: str


def invalid_due_message(text: str) -> str:
    """The warning for a due date typed that is not a date."""
    return f"the due date {text!r} is not a valid date (YYYY-MM-DD); the file keeps the last valid one"


def item_warnings(item: Item, decision: Decision, design: Design, today: dt.date, invalid_due: str = "") -> list[str]:
    """The item's warnings, as its Decision tab shows them at the top. Changes requested with a comment
    are left to ``review_line``, which says the same with the reviewer's words."""
    found = [invalid_due_message(invalid_due)] if invalid_due else []
    said = {c.message for c in item_concerns(item, decision, today) if c.kind == "changes-requested"}
    said = said if review_line(decision) else set()
    return found + [f.message for f in check_decision(item, decision, design, today) if f.message not in said]


def review_line(decision: Decision) -> str:
    """The reviewer's latest word on the item, when they left a comment ("" otherwise)."""
    review = decision.review
    if review is None or not review.comment.strip():
        return ""
    mark, outcome = ("✗", "Changes requested") if review.state == "changes-requested" else ("✓", "Approved")
    who = f" by {' '.join(review.by.split())}" if review.by.strip() else ""
    when = f" on {review.on.isoformat()}" if review.on else ""
    return f"{mark} {outcome}{who}{when}: {' '.join(review.comment.split())}"


def design_warnings(design: Design, pack: ContentPack, today: dt.date, invalid_dues: Mapping[str, str]) -> list[Alert]:
    """Every warning and error of the design, in content order, each with its item when it has one."""
    found = [
        Alert(slug, f"{pack.items_by_id[slug].number} {pack.items_by_id[slug].title}: {invalid_due_message(text)}")
        for slug, text in invalid_dues.items()
    ]
    for finding in check_design(design, pack, today):
        slug = finding.item or _slug_of(finding.place)
        item = pack.items_by_id.get(slug) if slug else None
        where = f"{item.number} {item.title}" if item is not None else finding.place
        found.append(Alert(item.id if item is not None else None, f"{where}: {finding.message}"))
    order = {item.id: index for index, item in enumerate(pack.items)}
    return sorted(found, key=lambda alert: -1 if alert.slug is None else order[alert.slug])


def _slug_of(place: str) -> str:
    """The item slug of a place such as ``decisions.provider-scheduling``, or ""."""
    return place.split(".")[1] if place.startswith("decisions.") and place.count(".") >= 1 else ""


def version_text(design: Design, pack: ContentPack) -> str:
    """Where the design stands, short: "Draft of v2 · 2 changed since v1", "v1 signed"."""
    versions = version_state(design, (item.id for item in pack.items))
    signed = versions.signed
    if signed is None:
        return "Draft of v1 (unsigned)"
    after = f"Draft of v{signed.version + 1}"
    if versions.changed:
        count = len(versions.changed)
        return f"{after} · {count} changed since v{signed.version}"
    if signed.outcome == "rejected":
        return f"{after} · v{signed.version} rejected"
    if signed.open_items:
        return f"{after} · v{signed.version} signed with {len(signed.open_items)} open"
    conditions = " with conditions" if signed.outcome == "approved-with-conditions" else ""
    return f"v{signed.version} signed{conditions} {signed.on.isoformat()}"


def context_mismatches(
    design: Design, pack: ContentPack, before: ClinicalContext, after: ClinicalContext
) -> list[Alert]:
    """Decided items whose approach followed the recommendation for the old context and no longer
    does for the new one (no longer recommended, or now to use with caution)."""
    found = []
    for item in pack.items:
        decision = design.decision(item.id)
        option = item.option(decision.option) if decision.status == "decided" else None
        if option is None:
            continue
        old, new = option_marks(item, before)[option.id], option_marks(item, after)[option.id]
        if new == CAUTION and old != CAUTION:
            why = f"{option.label!r} is now to use with caution"
        elif old == RECOMMENDED and new != RECOMMENDED:
            why = f"{option.label!r} is no longer recommended"
        else:
            continue
        better = [opt.label for opt in item.recommended_options(after)]
        hint = f"; recommended now: {', '.join(better)}" if better else ""
        found.append(Alert(item.id, f"{item.number} {item.title}: {why}{hint}"))
    return found
