"""The compliance baseline (wizard.compliance): every rule of the pack's register once, by its id, and
which items rely on it. Nothing is grouped by the notes' wording."""

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

LICENSURE = {
    "id": "licensure",
    "title": "Licensure where the patient is",
    "statement": "A clinician must be licensed where the patient is during the visit.",
    "citation": "State licensure law",
}
CONSENT = {
    "id": "consent",
    "title": "Telehealth consent",
    "statement": "Many states require documented consent before telehealth care.",
    "citation": "State consent laws",
}
FLEXIBILITY = {
    "id": "flexibility",
    "title": "A flexibility",
    "statement": "Something is allowed for now.",
    "citation": "Some act",
    "temporary": True,
    "confirmed_through": dt.date(2026, 12, 31),
}


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack_by_ref()


def small_pack(
    pack: ContentPack, notes_per_item: list[list[dict[str, Any]]], rules: list[dict[str, Any]] | None = None
) -> ContentPack:
    """The bundled pack cut to one section whose items (copies of its first) carry the given notes, with
    its own register of rules."""
    section = pack.sections[0]
    template = section.items[0].model_dump()
    items = [
        {**template, "id": f"item-{index}", "number": f"{section.number}.{index + 1}", "compliance": notes}
        for index, notes in enumerate(notes_per_item)
    ]
    return ContentPack.model_validate(
        {
            **pack.model_dump(),
            "rules": rules if rules is not None else [LICENSURE, CONSENT, FLEXIBILITY],
            "sections": [{**section.model_dump(), "items": items}],
        }
    )


def decided(small: ContentPack, option: str = "custom") -> Design:
    return Design(
        context=ClinicalContext(care_model="dtc-virtual-urgent-care", roles=["physician"], visit_types=["video"]),
        decisions={item.id: Decision(status="decided", option=option, summary="S", owner="O") for item in small.items},
    )


def test_notes_naming_one_rule_are_one_rule_stated_by_the_register(pack: ContentPack) -> None:
    small = small_pack(
        pack,
        [
            [{"rule": "licensure", "text": "Route the schedule by license."}],
            [{"rule": "licensure"}],  # no words in common with the first: the id says it is the same rule
        ],
    )
    baseline = build_baseline(decided(small), small)
    (rule,) = baseline.rules
    assert rule.statement == LICENSURE["statement"] and rule.citation == LICENSURE["citation"]
    assert [item.number for item in rule.relied_on_by] == ["3.1.1", "3.1.2"]
    assert baseline.specifics_of(small.items[0]) == [(rule, "Route the schedule by license.")]
    assert baseline.specifics_of(small.items[1]) == []


def test_notes_with_the_same_words_naming_two_rules_are_two_rules(pack: ContentPack) -> None:
    same = "Check each state where patients are located."
    small = small_pack(pack, [[{"rule": "licensure", "text": same}], [{"rule": "consent", "text": same}]])
    baseline = build_baseline(decided(small), small)
    assert [rule.entry.id for rule in baseline.rules] == ["licensure", "consent"]


def test_rules_are_numbered_in_register_order(pack: ContentPack) -> None:
    small = small_pack(pack, [[{"rule": "consent"}], [{"rule": "licensure"}]])
    baseline = build_baseline(decided(small), small)
    assert [(rule.number, rule.entry.id) for rule in baseline.rules] == [(1, "licensure"), (2, "consent")]


def test_a_temporary_rule_carries_the_registers_date_and_source(pack: ContentPack) -> None:
    small = small_pack(pack, [[{"rule": "flexibility", "text": "Retrain before then."}]])
    (rule,) = build_baseline(decided(small), small).rules
    assert rule.temporary and rule.confirmed_through == dt.date(2026, 12, 31)
    assert rule.expires_within(dt.date(2026, 10, 2), 90)
    assert not rule.expires_within(dt.date(2026, 10, 1), 90)


def test_an_items_own_option_sets_its_rule_aside(pack: ContentPack) -> None:
    first_option = pack.sections[0].items[0].options[0].id
    small = small_pack(pack, [[{"rule": "licensure", "unless_options": [first_option]}]])
    aside = build_baseline(decided(small, first_option), small)
    (rule,) = aside.rules
    assert aside.rules_of(small.items[0]) == [] and aside.set_aside_for(small.items[0]) == [rule]
    assert rule.is_set_aside and aside.set_aside_by_decision_of(small.items[0]) == [rule]
    relied = build_baseline(decided(small, "custom"), small)
    assert relied.rules_of(small.items[0]) == relied.rules and relied.set_aside_for(small.items[0]) == []


def test_a_rule_set_aside_by_one_decision_is_set_aside_wherever_it_is_named(pack: ContentPack) -> None:
    """The compliance officer's objection: the DEA flexibilities counted as relied on by items that
    prescribe nothing. A rule names the decision that makes it moot for the whole design."""
    first = pack.sections[0].items[0]
    option = first.options[0].id
    aside = {**FLEXIBILITY, "set_aside_by": {"item": "item-0", "options": [option]}}
    small = small_pack(
        pack, [[{"rule": "flexibility"}], [{"rule": "flexibility"}], [{"rule": "licensure"}]], [aside, LICENSURE]
    )
    design = decided(small)
    design.decisions["item-0"] = Decision(status="decided", option=option, summary="S", owner="O")
    baseline = build_baseline(design, small)
    flexibility = next(rule for rule in baseline.rules if rule.entry.id == "flexibility")
    assert flexibility.is_set_aside and flexibility.set_aside_by is small.items[0]
    assert [rule.entry.id for rule in baseline.rules] == ["licensure", "flexibility"]  # set aside: numbered last
    assert baseline.rules_of(small.items[1]) == [] and baseline.set_aside_for(small.items[1]) == [flexibility]
    assert baseline.set_aside_by_decision_of(small.items[0]) == [flexibility]
    assert baseline.set_aside_by_decision_of(small.items[1]) == []
    design.decisions["item-0"] = Decision(status="decided", option="custom", summary="S", owner="O")
    relied = build_baseline(design, small)
    assert [item.id for item in relied.rules[0].relied_on_by] == ["item-0", "item-1"]


def test_only_a_decided_or_drafting_decision_sets_a_rule_aside(pack: ContentPack) -> None:
    """An item still open, or marked not applicable, has decided nothing, whatever option its table holds."""
    option = pack.sections[0].items[0].options[0].id
    aside = {**FLEXIBILITY, "set_aside_by": {"item": "item-0", "options": [option]}}
    small = small_pack(pack, [[{"rule": "licensure"}], [{"rule": "flexibility"}]], [aside, LICENSURE])
    design = decided(small)
    for status, expected in (("open", False), ("not-applicable", False), ("drafting", True), ("decided", True)):
        design.decisions["item-0"] = Decision(status=status, option=option, summary="S", owner="O")
        flexibility = next(rule for rule in build_baseline(design, small).rules if rule.entry.id == "flexibility")
        assert flexibility.is_set_aside is expected, status


def test_open_and_not_applicable_items_rely_on_nothing(pack: ContentPack) -> None:
    small = small_pack(pack, [[{"rule": "licensure"}], [{"rule": "consent"}], [{"rule": "flexibility"}]])
    design = decided(small)
    design.decisions[small.items[0].id] = Decision(status="not-applicable", summary="Not ours.")
    design.decisions[small.items[1].id] = Decision(status="open")
    baseline = build_baseline(design, small)
    assert [rule.entry.id for rule in baseline.rules] == ["flexibility"]
    assert baseline.rules[0].number == 1


def test_every_applicable_note_of_the_bundled_pack_names_one_rule_of_its_register(pack: ContentPack) -> None:
    context = ClinicalContext(
        care_model="dtc-virtual-urgent-care",
        roles=["physician", "nurse-practitioner", "registered-nurse", "medical-assistant"],
        visit_types=["video", "audio-only", "asynchronous", "e-visit"],
    )
    design = Design(context=context, decisions={item.id: Decision(status="drafting") for item in pack.items})
    baseline = build_baseline(design, pack)
    for item in pack.items:
        named = {note.rule for note in item.applicable_compliance(context)}
        shown = {rule.entry.id for rule in baseline.rules_of(item) + baseline.set_aside_for(item)}
        assert shown == named, item.number
    assert [rule.number for rule in baseline.rules] == list(range(1, len(baseline.rules) + 1))
    notes = sum(len(item.applicable_compliance(context)) for item in pack.items)
    assert len(baseline.rules) < notes / 2  # a rule named under several items is one rule


def test_an_unknown_rule_is_a_content_error_naming_the_file_and_note(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(bundled_content_dir() / "telemedicine-clinical-workflows", copy)
    item = copy / "items" / "provider-scheduling.toml"
    text = item.read_text(encoding="utf-8")
    assert 'rule = "licensure-where-the-patient-is"' in text
    item.write_text(text.replace('rule = "licensure-where-the-patient-is"', 'rule = "licensure-typo"', 1))
    _, problems = check_pack(copy)
    errors = [(Path(p.file).name, p.field, p.message) for p in problems if p.severity == "error"]
    assert errors == [("provider-scheduling.toml", "compliance[0].rule", "unknown rule 'licensure-typo'")]


def test_a_note_without_a_rule_is_a_content_error(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(bundled_content_dir() / "telemedicine-clinical-workflows", copy)
    item = copy / "items" / "provider-scheduling.toml"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace('rule = "licensure-where-the-patient-is"\n', 'text = "A rule of its own."\n', 1))
    _, problems = check_pack(copy)
    errors = [(Path(p.file).name, p.field) for p in problems if p.severity == "error"]
    assert errors == [("provider-scheduling.toml", "compliance[0].rule")]


def test_an_unknown_option_in_unless_options_is_a_content_error(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(bundled_content_dir() / "telemedicine-clinical-workflows", copy)
    item = copy / "items" / "provider-scheduling.toml"
    text = item.read_text(encoding="utf-8")
    marker = 'rule = "licensure-where-the-patient-is"\n'
    item.write_text(text.replace(marker, marker + 'unless_options = ["nope"]\n', 1))
    _, problems = check_pack(copy)
    assert [(p.field, p.message) for p in problems if p.severity == "error"] == [
        ("compliance[0].unless_options", "unknown option 'nope'")
    ]


def test_the_register_is_checked_across_files(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(bundled_content_dir() / "telemedicine-clinical-workflows", copy)
    pack_toml = copy / "pack.toml"
    text = pack_toml.read_text(encoding="utf-8")
    extra = (
        '\n[[rules]]\nid = "unused"\ntitle = "Unused"\nstatement = "Nobody names it."\ncitation = "Nowhere"\n'
        "temporary = true\n"
        '\n[[rules]]\nid = "dated"\ntitle = "Dated"\nstatement = "A date but not temporary."\ncitation = "C"\n'
        'confirmed_through = 2027-01-01\nset_aside_by = { item = "provider-scheduling", options = ["nope"] }\n'
    )
    at = text.index("\n[[sections]]")
    pack_toml.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    _, problems = check_pack(copy)
    found = {(p.field, p.severity) for p in problems if p.file.endswith("pack.toml")}
    count = text.count("\n[[rules]]\n")
    assert (f"rules[{count}].confirmed_through", "error") in found  # temporary without its date
    assert (f"rules[{count}].id", "warning") in found  # no note names it
    assert (f"rules[{count + 1}].temporary", "error") in found  # a date on a rule not marked temporary
    assert (f"rules[{count + 1}].set_aside_by.options[0]", "error") in found
