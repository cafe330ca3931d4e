"""What needs the reviewer: one list, used by the playbook's brief, by ``check`` and by ``status``.

Each concern names its item (or, for a temporary rule, the rule and the items relying on it). The
three consumers phrase them differently but never compute them differently, so they cannot
disagree. Concerns come most serious first (the order of ``KINDS``), then in content order.
Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Literal, get_args

from wizard.compliance import Baseline, Rule, build_baseline
from wizard.content import ContentPack, Item, SafetyNetTopic
from wizard.project import Decision, Design, VersionState, same_person, version_state

DUE_WINDOW_DAYS = 30
"""A due date this many days after the export date, or sooner, needs the reviewer."""
RULE_WINDOW_DAYS = 90
"""A temporary rule confirmed only through a date this many days ahead, or sooner, needs the reviewer."""

Kind = Literal[
    "changes-requested",
    "safety-net",
    "open",
    "changed",
    "self-approved",
    "placeholder",
    "no-owner",
    "due",
    "rule-expiring",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
"""Most serious first (the order of ``Kind``)."""

TITLES: dict[Kind, str] = {
    "changes-requested": "Changes requested",
    "safety-net": "Safety-net topics no decision covers",
    "open": "Open or drafting",
    "changed": "Changed since the last sign-off",
    "self-approved": "Approved by their own owner",
    "placeholder": "Placeholders left in decisions",
    "no-owner": "Decided without an owner",
    "due": f"Due within {DUE_WINDOW_DAYS} days or overdue",
    "rule-expiring": f"Temporary rules expiring within {RULE_WINDOW_DAYS} days",
}
"""How the brief and ``status`` head each kind."""

_PLACEHOLDERS = re.compile(
    r"\b(?:TBD|TBC|TODO|FIXME)\b"  # to be decided / confirmed, to do
    r"|\b[Xx]{3,}\b"  # XXX, xxxx
    r"|\b555-01\d\d\b"  # the fictional telephone numbers 555-0100 to 555-0199
    r"|\[(?:\.\.\.|…|\s*(?:insert|enter|add|name|date|number|phone|owner)\b[^\]\n]{0,40})\]",  # [...], [insert name]
    re.IGNORECASE,
)
_PLACEHOLDER_HINT = re.compile(r"tbd|tbc|todo|fixme|xxx|555-01|\[", re.IGNORECASE)
"""What every placeholder holds: text without any of these has none (a quick first test)."""
_DECISION_TEXT = ("summary", "rationale", "owner", "notes")


def export_date() -> dt.date:
    """The date concerns are judged against: today, or the UTC date of SOURCE_DATE_EPOCH when it is
    set (reproducible builds). The playbook's export date, ``check`` and ``status`` all use it.

    Raises ValueError with one sentence when SOURCE_DATE_EPOCH is not a whole number of seconds.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.date.today()
    if re.fullmatch(r"[0-9]{1,12}", epoch):
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            pass
    shown = epoch if len(epoch) <= 40 else epoch[:37] + "..."
    raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, found {shown!r}")


@dataclass(frozen=True)
class Concern:
    """One thing the reviewer must look at before signing."""

    kind: Kind
    item: Item | None
    detail: str
    """A short plain-text detail (user text included as written, on one line), or empty."""
    rule: Rule | None = None
    relying: tuple[Item, ...] = ()
    """For a temporary rule: the decided and drafting items that rely on it, in content order."""
    topic: SafetyNetTopic | None = None
    expected: tuple[Item, ...] = ()
    """For a safety-net topic: the items the pack expects to cover it, in content order."""

    @property
    def title(self) -> str:
        """The heading of this concern's kind."""
        return TITLES[self.kind]

    @property
    def message(self) -> str:
        """One sentence for ``check``."""
        return _MESSAGES[self.kind].format(detail=self.detail)


_MESSAGES: dict[Kind, str] = {
    "changes-requested": "the reviewer requested changes ({detail}); resolve them and record a new review",
    "safety-net": "{detail}",
    "open": "still {detail}: no decision is ready for sign-off",
    "changed": "changed {detail} was signed; the reviewer must look at it again",
    "self-approved": "approved by its own owner ({detail}); ask someone else to review it",
    "placeholder": "a placeholder is left in the decision ({detail}); replace it before sign-off",
    "no-owner": "decided without an owner",
    "due": "{detail}",
    "rule-expiring": "{detail}",
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def is_self_approval(decision: Decision) -> bool:
    """True when the item was approved by its own owner: by name or by role."""
    review = decision.review
    if review is None or review.state != "approved":
        return False
    return same_person(review.by, decision.owner)


def placeholders(decision: Decision) -> list[tuple[str, str]]:
    """(field, placeholder) for every placeholder left in the decision's text, in field order."""
    found: list[tuple[str, str]] = []
    fields = [(name, getattr(decision, name)) for name in _DECISION_TEXT]
    fields += [(f"kpis[{index}]", kpi) for index, kpi in enumerate(decision.kpis)]
    for name, text in fields:
        if _PLACEHOLDER_HINT.search(text):
            found += [(name, match.group(0)) for match in _PLACEHOLDERS.finditer(text)]
    return found


def item_concerns(item: Item, decision: Decision, today: dt.date) -> list[Concern]:
    """The concerns of one item that its own decision raises (all but open, and rules)."""
    found: list[Concern] = []
    review = decision.review
    if review is not None and review.state == "changes-requested":
        found.append(Concern("changes-requested", item, _review_detail(review.by, review.on)))
    if review is not None and is_self_approval(decision):
        detail = f"reviewer {_one_line(review.by)}; owner {_one_line(decision.owner)}"
        found.append(Concern("self-approved", item, detail))
    if decision.status == "not-applicable":
        return found
    for field, text in placeholders(decision):
        found.append(Concern("placeholder", item, f"{text!r} in {field}"))
    if decision.status == "decided" and not decision.owner.strip():
        found.append(Concern("no-owner", item, ""))
    if decision.due is not None and decision.due <= today + dt.timedelta(days=DUE_WINDOW_DAYS):
        if decision.due < today:
            found.append(Concern("due", item, f"due {decision.due.isoformat()}, which has passed"))
        else:
            days = (decision.due - today).days
            found.append(Concern("due", item, f"due {decision.due.isoformat()}, in {days} day{'s' * (days != 1)}"))
    return found


def _review_detail(by: str, on: dt.date | None) -> str:
    text = f"by {_one_line(by)}" if by.strip() else ""
    if on is not None:
        text += f"{',' if ',' in text else ''}{' ' if text else ''}on {on.isoformat()}"
    return text or "no reviewer recorded"


def rule_concerns(design: Design, baseline: Baseline, today: dt.date) -> list[Concern]:
    """Temporary rules the design relies on that are confirmed only through the next RULE_WINDOW_DAYS.

    A design relies on a rule through the items it has decided or is drafting: an open item relies
    on nothing yet."""
    found = []
    for rule in baseline.rules:
        items = [item for item in rule.relied_on_by if design.status_of(item.id) in ("decided", "drafting")]
        if items and rule.confirmed_through is not None and rule.expires_within(today, RULE_WINDOW_DAYS):
            through = rule.confirmed_through
            when = "passed" if through < today else f"confirmed only through {through.isoformat()}"
            numbers = ", ".join(item.number for item in items)
            detail = f"rule {rule.number}, {rule.title}: {when}; relied on by {numbers}; check before use"
            found.append(Concern("rule-expiring", None, detail, rule, tuple(items)))
    return found


def safety_net_concerns(design: Design, pack: ContentPack) -> list[Concern]:
    """The pack's safety-net topics no decided item says it covers, each with the items expected to."""
    covered = {
        topic_id
        for item in pack.items
        if design.status_of(item.id) == "decided"
        for topic_id in design.decision(item.id).covers
    }
    found = []
    for topic in pack.safety_net:
        if topic.id in covered:
            continue
        expected = tuple(item for item in pack.items if item.id in topic.items)
        numbers = ", ".join(item.number for item in expected)
        detail = f"safety-net topic {_one_line(topic.title)!r} is covered by no decision; expected from {numbers}"
        found.append(Concern("safety-net", None, detail, topic=topic, expected=expected))
    return found


def open_items(design: Design, pack: ContentPack) -> list[Item]:
    """Items still open or in drafting, in content order."""
    return [item for item in pack.items if design.status_of(item.id) in ("open", "drafting")]


def needs_attention(
    design: Design,
    pack: ContentPack,
    today: dt.date,
    baseline: Baseline | None = None,
    versions: VersionState | None = None,
) -> list[Concern]:
    """Everything the reviewer must look at, most serious kind first, then in content order."""
    versions = versions or version_state(design, (item.id for item in pack.items))
    changed = set(versions.changed)
    found: list[Concern] = []
    for item in pack.items:
        decision = design.decision(item.id)
        found += item_concerns(item, decision, today)
        if decision.status in ("open", "drafting"):
            found.append(Concern("open", item, decision.status))
        if item.id in changed:
            found.append(Concern("changed", item, f"since version {versions.version}"))
    found += rule_concerns(design, baseline or build_baseline(design, pack), today)
    found += safety_net_concerns(design, pack)
    rank = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(found, key=lambda concern: rank[concern.kind])  # stable: content order within a kind
