"""What needs the reviewer (wizard.attention): one list behind the playbook's brief, `check` and `status`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wizard.attention import KINDS, is_self_approval, needs_attention, placeholders
from wizard.checks import check_design
from wizard.content import ContentPack, load_pack_by_ref
from wizard.project import ClinicalContext, Decision, Design, ProjectInfo, Review, load_design

TODAY = dt.date(2026, 12, 1)
EXAMPLE = Path(__file__).resolve().parents[2] / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack_by_ref()


def approved(owner: str, by: str) -> Decision:
    return Decision(status="decided", option="custom", summary="S", owner=owner, review=Review(state="approved", by=by))


@pytest.mark.parametrize(
    ("owner", "by", "expected"),
    [
        ("Medical Director", "Dr. Sam Lee, Medical Director", True),  # by role
        ("Dr. Sam Lee", "Sam Lee, Medical Director", True),  # by name, honorific aside
        ("Priya Shah, Compliance Officer", "priya  shah", True),
        ("Dana Ortiz, Director of Virtual Care Operations", "Dr. Sam Lee, Medical Director", False),
        ("Medical Director", "Associate Medical Director", False),  # a part must match whole
        ("", "Dr. Sam Lee", False),
        ("Medical Director", "", False),
    ],
)
def test_self_approval_by_name_or_role(owner: str, by: str, expected: bool) -> None:
    assert is_self_approval(approved(owner, by)) is expected


def test_changes_requested_is_not_a_self_approval() -> None:
    decision = approved("Medical Director", "Medical Director")
    decision.review = Review(state="changes-requested", by="Medical Director")
    assert not is_self_approval(decision)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Escalate to the on-call line (TBD).", ["TBD"]),
        ("todo: confirm with IT", ["todo"]),
        ("Call 1-800-555-0142 after hours.", ["555-0142"]),
        ("Contact [...] for access.", ["[...]"]),
        ("Ask [insert name] to sign.", ["[insert name]"]),
        ("Room XXX on the second floor", ["XXX"]),
        ("Call 555-0200 or 555-1234.", []),  # outside the fictional 555-0100 to 555-0199 range
        ("A TBDx code and a [link](https://example.org) and [sic].", []),
    ],
)
def test_placeholders(text: str, found: list[str]) -> None:
    assert [match for _, match in placeholders(Decision(summary=text))] == found


def test_placeholders_are_found_in_every_decision_text() -> None:
    decision = Decision(owner="TBD", notes="x", rationale="TODO", kpis=["ok", "Wait under XX minutes (XXX)"])
    assert placeholders(decision) == [("rationale", "TODO"), ("owner", "TBD"), ("kpis[1]", "XXX")]


def test_due_dates_within_thirty_days_or_past(pack: ContentPack) -> None:
    item = pack.items[0]
    for days, expected in ((-1, True), (0, True), (30, True), (31, False)):
        design = Design(decisions={item.id: Decision(status="decided", owner="O", due=TODAY + dt.timedelta(days))})
        found = [c for c in needs_attention(design, pack, TODAY) if c.kind == "due"]
        assert bool(found) is expected, days
    not_applicable = Design(decisions={item.id: Decision(status="not-applicable", due=TODAY)})
    assert not [c for c in needs_attention(not_applicable, pack, TODAY) if c.kind == "due"]


def test_a_rule_expiring_within_ninety_days_names_the_items_relying_on_it(pack: ContentPack) -> None:
    context = ClinicalContext(care_model=pack.care_models[0].id, roles=["physician"], visit_types=["video"])
    relying = [
        item
        for item in pack.items
        if any(note.rule == "dea-telemedicine-flexibilities" for note in item.applicable_compliance(context))
    ]
    assert relying
    design = Design(
        context=context,
        decisions={item.id: Decision(status="decided", option="custom", owner="O") for item in relying},
    )
    dea = pack.rule("dea-telemedicine-flexibilities")
    assert dea is not None and dea.confirmed_through is not None
    for today, expected in ((dea.confirmed_through - dt.timedelta(days=90), True), (dt.date(2026, 6, 1), False)):
        found = [c for c in needs_attention(design, pack, today) if c.kind == "rule-expiring"]
        names = [c for c in found if c.rule is not None and c.rule.entry.id == dea.id]
        assert bool(names) is expected, today
        if names:
            assert all(item.number in names[0].detail for item in relying)


def test_most_serious_first_then_content_order(pack: ContentPack) -> None:
    a, b, c = pack.items[:3]
    design = Design(
        decisions={
            a.id: Decision(status="decided", option="custom", summary="TBD", owner="O", due=TODAY),
            b.id: Decision(status="drafting", review=Review(state="changes-requested", by="X")),
            c.id: approved("Nursing Lead", "Nursing Lead"),
        }
    )
    found = [
        (concern.kind, concern.item.id if concern.item else "") for concern in needs_attention(design, pack, TODAY)
    ]
    ranks = [KINDS.index(kind) for kind, _ in found]
    assert ranks == sorted(ranks)
    uncovered = [("safety-net", "")] * len(pack.safety_net)  # no decision here covers a topic
    assert found[: 2 + len(uncovered)] == [("changes-requested", b.id), *uncovered, ("open", b.id)]
    opened = [slug for kind, slug in found if kind == "open"]
    assert opened == [item.id for item in pack.items if design.status_of(item.id) in ("open", "drafting")]


def test_check_warns_on_everything_the_brief_lists(pack: ContentPack) -> None:
    """Every concern of the brief is a `check` warning, with the same sentence, on the same item."""
    example = load_design(EXAMPLE, pack).design
    concerns = needs_attention(example, pack, TODAY)
    findings = check_design(example, pack, TODAY)
    warnings = {(f.item, f.message) for f in findings if f.severity == "warning"}
    for concern in concerns:
        if concern.kind == "open":
            assert any(concern.item is not None and "still open or drafting: " in m for _, m in warnings)
            continue
        key = (concern.item.id if concern.item else "", concern.message)
        assert key in warnings, key
    opened = next(f.message for f in findings if "still open or drafting" in f.message)
    assert opened.endswith(", ".join(c.item.number for c in concerns if c.kind == "open" and c.item))


def test_the_example_needs_what_the_issue_found(pack: ContentPack) -> None:
    """Issue 14: 5 of its 10 approvals are by the item's owner, 3.3.8 was approved with a placeholder.
    The DEA flexibilities (confirmed only through 2026-12-31) do not concern it: 3.2.6 prescribes no
    controlled substances, which sets every DEA rule aside."""
    example = load_design(EXAMPLE, pack).design
    concerns = needs_attention(example, pack, TODAY)
    by_kind: dict[str, list[str]] = {}
    for concern in concerns:
        by_kind.setdefault(concern.kind, []).append(concern.item.number if concern.item else concern.detail)
    approvals = [d for d in example.decisions.values() if d.review is not None and d.review.state == "approved"]
    assert len(approvals) == 10 and len(by_kind["self-approved"]) == 5
    assert by_kind["placeholder"] == ["3.3.8"]
    assert by_kind["changes-requested"] == ["3.1.6", "3.2.4"]
    assert len(by_kind["open"]) == 6
    assert by_kind["due"] == ["3.2.6", "3.4.7", "3.4.8"]
    assert "rule-expiring" not in by_kind
    assert [c.topic.id for c in concerns if c.topic is not None] == ["platform-downtime"]  # left uncovered


def test_an_empty_design_needs_every_item_decided_and_every_topic_covered(pack: ContentPack) -> None:
    design = Design(project=ProjectInfo(title="New"))
    concerns = needs_attention(design, pack, TODAY)
    assert [c.kind for c in concerns] == ["safety-net"] * len(pack.safety_net) + ["open"] * len(pack.items)
    assert [c.topic.id for c in concerns if c.topic is not None] == [topic.id for topic in pack.safety_net]
