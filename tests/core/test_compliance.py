"""The compliance baseline (wizard.compliance): every rule once, and which items rely on it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from wizard.compliance import build_baseline
from wizard.content import ContentPack, check_pack, load_pack_by_ref
from wizard.content.registry import bundled_content_dir
from wizard.project import ClinicalContext, Decision, Design

LICENSURE = "State licensure law; Interstate Medical Licensure Compact (IMLCC)"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack_by_ref()


def pack_with_notes(pack: ContentPack, notes_per_item: list[list[dict[str, Any]]]) -> ContentPack:
    """The bundled pack cut to one section whose items (copies of its first) carry the given notes."""
    section = pack.sections[0]
    template = section.items[0].model_dump()
    items = [
        {**template, "id": f"item-{index}", "number": f"{section.number}.{index + 1}", "compliance": notes}
        for index, notes in enumerate(notes_per_item)
    ]
    return ContentPack.model_validate({**pack.model_dump(), "sections": [{**section.model_dump(), "items": items}]})


def decided(small: ContentPack, option: str = "custom") -> Design:
    return Design(
        context=ClinicalContext(care_model="dtc-virtual-urgent-care", roles=["physician"], visit_types=["video"]),
        decisions={item.id: Decision(status="decided", option=option, summary="S", owner="O") for item in small.items},
    )


def note(text: str, citation: str = LICENSURE, **extra: Any) -> dict[str, Any]:
    return {"text": text, "citation": citation, **extra}


def test_a_restatement_under_a_later_item_is_the_same_rule(pack: ContentPack) -> None:
    small = pack_with_notes(
        pack,
        [
            [note("A clinician must be licensed in the state where the patient is located at the time of the visit.")],
            [note("The clinician must be licensed, or hold a compact privilege, where the patient is located.")],
        ],
    )
    baseline = build_baseline(decided(small), small)
    assert len(baseline.rules) == 1
    rule = baseline.rules[0]
    assert rule.statement.startswith("A clinician must be licensed")  # the first note states it
    assert [item.number for item in rule.relied_on_by] == ["3.1.1", "3.1.2"]


def test_one_source_cited_for_two_different_rules_keeps_them_apart(pack: ContentPack) -> None:
    hhs = "HHS, Planning your telehealth workflow"
    small = pack_with_notes(
        pack,
        [
            [note("Plan language access, disability accommodations and caregiver participation.", hhs)],
            [note("Document each visit in the record, including the fact that it was delivered by telehealth.", hhs)],
        ],
    )
    assert len(build_baseline(decided(small), small).rules) == 2


def test_similar_words_under_different_sources_stay_apart(pack: ContentPack) -> None:
    text = "A clinician must be licensed in the state where the patient is located at the time of the visit."
    small = pack_with_notes(pack, [[note(text)], [note(text, "Nurse Licensure Compact (NLC)")]])
    assert len(build_baseline(decided(small), small).rules) == 2


def test_notes_naming_one_register_rule_are_one_rule_stated_by_the_register(pack: ContentPack) -> None:
    dea = pack.temporary_rule("dea-telemedicine-flexibilities")
    assert dea is not None
    small = pack_with_notes(
        pack,
        [
            [note("Retrain prescribers before Dec 31, 2026.", "90 FR 61301", temporary=True, rule=dea.id)],
            [note("Audits record which rule a prescription relied on.", "DEA rules", temporary=True, rule=dea.id)],
        ],
    )
    (rule,) = build_baseline(decided(small), small).rules
    assert rule.statement == dea.rule and rule.status == dea.status and rule.source == dea.reference
    assert rule.confirmed_through == dea.confirmed_through and rule.temporary
    assert len(rule.relied_on_by) == 2


def test_a_decision_sets_aside_the_rules_it_makes_moot(pack: ContentPack) -> None:
    first_option = pack.sections[0].items[0].options[0].id
    small = pack_with_notes(
        pack,
        [[note("Controlled substances need an in-person evaluation.", "Ryan Haight", unless_options=[first_option])]],
    )
    aside = build_baseline(decided(small, first_option), small)
    (rule,) = aside.rules
    assert aside.rules_of(small.items[0]) == [] and aside.set_aside_for(small.items[0]) == [rule]
    assert rule.relied_on_by == [] and [r.set_aside for r in rule.reliances] == [True]
    relied = build_baseline(decided(small, "custom"), small)
    assert relied.rules_of(small.items[0]) == relied.rules and relied.set_aside_for(small.items[0]) == []


def test_not_applicable_items_rely_on_nothing(pack: ContentPack) -> None:
    small = pack_with_notes(pack, [[note("Rule one is stated here in full.")], [note("A second, other rule.")]])
    design = decided(small)
    design.decisions[small.items[0].id] = Decision(status="not-applicable", summary="Not ours.")
    baseline = build_baseline(design, small)
    assert [rule.statement for rule in baseline.rules] == ["A second, other rule."]
    assert baseline.rules[0].number == 1


def test_every_applicable_note_of_the_bundled_pack_is_in_exactly_one_rule(pack: ContentPack) -> None:
    context = ClinicalContext(
        care_model="dtc-virtual-urgent-care",
        roles=["physician", "nurse-practitioner", "registered-nurse", "medical-assistant"],
        visit_types=["video", "audio-only", "asynchronous", "e-visit"],
    )
    design = Design(context=context)
    baseline = build_baseline(design, pack)
    for item in pack.items:
        rules = baseline.rules_of(item)
        assert len(rules) == len(set(map(id, rules)))
        assert len(rules) <= len(item.applicable_compliance(context))
        assert bool(rules) == bool(item.applicable_compliance(context))
    assert [rule.number for rule in baseline.rules] == list(range(1, len(baseline.rules) + 1))
    notes = sum(len(item.applicable_compliance(context)) for item in pack.items)
    assert len(baseline.rules) < notes * 0.7  # restatements are folded (issue 14: 72 of 127 restate)


def test_expiry_window(pack: ContentPack) -> None:
    small = pack_with_notes(
        pack, [[note("A flexibility.", "Some act", temporary=True, confirmed_through="2026-12-31")]]
    )
    (rule,) = build_baseline(decided(small), small).rules
    assert rule.expires_within(dt.date(2026, 10, 2), 90)
    assert not rule.expires_within(dt.date(2026, 10, 1), 90)


def test_an_unknown_option_in_unless_options_is_a_content_error(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(bundled_content_dir() / "telemedicine-clinical-workflows", copy)
    item = copy / "items" / "treatment-prescribing.toml"
    text = item.read_text(encoding="utf-8")
    assert 'unless_options = ["no-controlled-substances"]' in text
    item.write_text(text.replace('unless_options = ["no-controlled-substances"]', 'unless_options = ["nope"]', 1))
    _, problems = check_pack(copy)
    assert [(p.field, p.message) for p in problems if p.severity == "error"] == [
        ("compliance[0].unless_options", "unknown option 'nope'")
    ]
