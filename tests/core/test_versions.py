"""Sign-offs and versions: fingerprints of what a reviewer saw, and what changed since a sign-off."""

from __future__ import annotations

import datetime as dt

import pytest

from wizard.content import ContentPack
from wizard.project import (
    Decision,
    Design,
    Review,
    decision_fingerprint,
    record_sign_off,
    same_person,
    version_state,
)

ON = dt.date(2026, 12, 3)


def _decided(summary: str = "One shared queue.") -> Decision:
    return Decision(status="decided", option="on-demand-queue", summary=summary, owner="Medical Director")


def test_a_fingerprint_ignores_the_time_stamp_notes_and_review() -> None:
    decision = _decided()
    before = decision_fingerprint(decision)
    decision.updated = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    decision.notes = "A note for the team."
    decision.review = Review(state="approved", by="Dr. Lee")
    assert decision_fingerprint(decision) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "drafting"),
        ("option", "custom"),
        ("summary", "Two queues."),
        ("rationale", "Because."),
        ("owner", "Nursing lead"),
        ("due", dt.date(2027, 1, 15)),
        ("kpis", ["Median wait under 15 minutes"]),
        ("covers", ["emergency-escalation"]),
    ],
)
def test_a_fingerprint_changes_with_what_a_reviewer_reads(field: str, value: object) -> None:
    decision = _decided()
    before = decision_fingerprint(decision)
    setattr(decision, field, value)
    assert decision_fingerprint(decision) != before


def test_sign_offs_count_up_and_record_what_was_signed(pack: ContentPack) -> None:
    slugs = [item.id for item in pack.items]
    design = Design(decisions={slugs[0]: _decided(), slugs[1]: Decision(status="drafting", summary="Half done.")})
    first = record_sign_off(design, slugs, by="Dr. A. Rivera", role="Medical Director", outcome="approved", on=ON)
    assert first.version == 1
    assert set(first.decisions) == {slugs[0], slugs[1]}  # blank items are left out
    assert first.open_items == [slug for slug in slugs if slug != slugs[0]]
    second = record_sign_off(design, slugs, by="Sam Cho", role="Compliance Officer", outcome="rejected", on=ON)
    assert second.version == 2
    assert [s.version for s in design.sign_offs] == [1, 2]
    assert second.fingerprint == first.fingerprint  # nothing changed in between


def test_the_version_state_names_exactly_the_items_changed_since(pack: ContentPack) -> None:
    slugs = [item.id for item in pack.items]
    design = Design(decisions={slug: _decided() for slug in slugs})
    assert version_state(design, slugs).signed is None
    assert version_state(design, slugs).is_draft
    record_sign_off(design, slugs, by="Dr. A. Rivera", role="Medical Director", outcome="approved", on=ON)
    state = version_state(design, slugs)
    assert state.version == 1 and state.changed == [] and not state.is_draft
    design.decisions[slugs[3]].updated = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)  # a time stamp alone
    assert version_state(design, slugs).changed == []
    design.decisions[slugs[3]].summary = "Changed."
    design.decisions[slugs[9]] = Decision()  # reopened, blank
    state = version_state(design, slugs)
    assert state.changed == [slugs[3], slugs[9]] and state.is_draft


def test_a_sign_off_with_open_items_or_a_rejection_leaves_a_draft(pack: ContentPack) -> None:
    slugs = [item.id for item in pack.items]
    design = Design(decisions={slug: _decided() for slug in slugs[1:]})
    record_sign_off(design, slugs, by="Dr. A. Rivera", role="Medical Director", outcome="approved", on=ON)
    assert version_state(design, slugs).is_draft  # the first item was open when signed
    design.decisions[slugs[0]] = _decided()
    record_sign_off(design, slugs, by="Dr. A. Rivera", role="Medical Director", outcome="rejected", on=ON)
    assert version_state(design, slugs).is_draft
    record_sign_off(design, slugs, by="Dr. A. Rivera", role="Medical Director", outcome="approved", on=ON)
    assert not version_state(design, slugs).is_draft


@pytest.mark.parametrize(
    ("reviewer", "owner", "same"),
    [
        ("Dr. Sam Lee, Medical Director", "Medical Director", True),
        ("Dr. Sam Lee, Medical Director", "Sam Lee", True),
        ("Sam Lee", "Dr. Sam Lee", True),
        ("Dr. Sam Lee, Medical Director", "Nursing lead", False),
        ("Dr. Sam Lee, Medical Director", "Sam Leeds", False),
        ("", "Medical Director", False),
        ("Dr. Sam Lee", "", False),
        ("Jordan Reyes (Compliance Officer)", "compliance officer", True),
    ],
)
def test_a_reviewer_is_the_owner_by_name_or_by_role(reviewer: str, owner: str, same: bool) -> None:
    assert same_person(reviewer, owner) is same
