"""Checks of a pack that span its files (unique ids, known references) and authoring guidelines
(the depth a serious pack should have), as errors and warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from wizard.content.models import (
    ComplianceRule,
    Condition,
    ContentPack,
    Item,
    Principle,
    SafetyNetTopic,
    Section,
    VocabularyEntry,
)
from wizard.content.problems import ContentProblem


def cross_check(pack: ContentPack, root: Path) -> list[ContentProblem]:
    """Checks that span files: unique ids, known references, authoring depth."""
    problems: list[ContentProblem] = []
    pack_file = display(root / "pack.toml")
    vocab = {name: {e.id for e in pack.vocabulary(name)} for name in ("care_models", "roles", "visit_types")}
    registers: list[tuple[str, Sequence[VocabularyEntry | Principle | ComplianceRule | SafetyNetTopic | Section]]] = [
        ("care_models", pack.care_models),
        ("roles", pack.roles),
        ("visit_types", pack.visit_types),
        ("principles", pack.principles),
        ("rules", pack.rules),
        ("safety_net", pack.safety_net),
        ("sections", pack.sections),
    ]
    for name, entries in registers:
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry.id in seen:
                problems.append(ContentProblem(pack_file, f"{name}[{index}].id", f"duplicate id {entry.id!r}"))
            seen.add(entry.id)
    principle_ids = {p.id for p in pack.principles}
    rule_ids = {r.id for r in pack.rules}
    whys: dict[str, str] = {}
    for item in pack.items:
        item_file = display(root / "items" / f"{item.id}.toml")
        problems.extend(_item_references(item, item_file, vocab, principle_ids, rule_ids))
        problems.extend(_depth_warnings(item, item_file))
        if item.why and item.why in whys:
            problems.append(ContentProblem(item_file, "why", f"same text as item {whys[item.why]!r}", "warning"))
        whys.setdefault(item.why, item.id)
    for index, topic in enumerate(pack.safety_net):
        for position, slug in enumerate(topic.items):
            if slug not in pack.items_by_id:
                place = f"safety_net[{index}].items[{position}]"
                problems.append(ContentProblem(pack_file, place, f"unknown item {slug!r}"))
    problems.extend(_rule_problems(pack, pack_file))
    return problems


def _unknown_ids(condition: Condition, field: str, item_file: str, vocab: dict[str, set[str]]) -> list[ContentProblem]:
    """Problems for ids in a condition that no vocabulary defines."""
    return [
        ContentProblem(item_file, f"{field}.{vocabulary}", f"unknown id {value!r}")
        for vocabulary, value in condition.ids()
        if value not in vocab[vocabulary]
    ]


def _item_references(
    item: Item, item_file: str, vocab: dict[str, set[str]], principle_ids: set[str], rule_ids: set[str]
) -> list[ContentProblem]:
    """Errors in what an item refers to: option ids, vocabulary ids, principles, rules, sources."""
    problems: list[ContentProblem] = []
    option_ids: set[str] = set()
    for index, option in enumerate(item.options):
        if option.id == "custom":
            problems.append(
                ContentProblem(item_file, f"options[{index}].id", "'custom' is reserved for a lead's own approach")
            )
        elif option.id in option_ids:
            problems.append(ContentProblem(item_file, f"options[{index}].id", f"duplicate id {option.id!r}"))
        option_ids.add(option.id)
        problems += _unknown_ids(option.recommended_for, f"options[{index}].recommended_for", item_file, vocab)
        problems += _unknown_ids(option.caution_for, f"options[{index}].caution_for", item_file, vocab)
    for index, ctx_note in enumerate(item.context_notes):
        if ctx_note.when.is_empty():
            problems.append(ContentProblem(item_file, f"context_notes[{index}].when", "names no context"))
        problems += _unknown_ids(ctx_note.when, f"context_notes[{index}].when", item_file, vocab)
    for index, note in enumerate(item.compliance):
        problems += _unknown_ids(note.when, f"compliance[{index}].when", item_file, vocab)
        if note.rule not in rule_ids:
            problems.append(ContentProblem(item_file, f"compliance[{index}].rule", f"unknown rule {note.rule!r}"))
        for option_id in note.unless_options:
            if option_id not in option_ids:
                problems.append(
                    ContentProblem(item_file, f"compliance[{index}].unless_options", f"unknown option {option_id!r}")
                )
    for index, kpi in enumerate(item.kpis):
        if kpi.target and not kpi.source:
            problems.append(ContentProblem(item_file, f"kpis[{index}].source", "a target needs its source"))
        for option_id in kpi.options:
            if option_id not in option_ids:
                problems.append(ContentProblem(item_file, f"kpis[{index}].options", f"unknown option {option_id!r}"))
    for index, principle in enumerate(item.principles):
        if principle not in principle_ids:
            problems.append(ContentProblem(item_file, f"principles[{index}]", f"unknown principle {principle!r}"))
    return problems


def _rule_problems(pack: ContentPack, pack_file: str) -> list[ContentProblem]:
    """The register's own problems: a temporary rule without its date (or a date on a rule not marked
    temporary), a date that has passed, a decision that cannot set the rule aside, a rule no note names."""
    problems: list[ContentProblem] = []
    named = {note.rule for item in pack.items for note in item.compliance}
    today = dt.date.today()
    for index, rule in enumerate(pack.rules):
        place = f"rules[{index}]"
        if rule.temporary and rule.confirmed_through is None:
            problems.append(
                ContentProblem(
                    pack_file, f"{place}.confirmed_through", "a temporary rule needs the date it was last confirmed"
                )
            )
        elif rule.confirmed_through is not None and not rule.temporary:
            problems.append(
                ContentProblem(
                    pack_file, f"{place}.temporary", "a rule with confirmed_through must say temporary = true"
                )
            )
        elif rule.confirmed_through is not None and rule.confirmed_through < today:
            problems.append(
                ContentProblem(
                    pack_file,
                    f"{place}.confirmed_through",
                    f"{rule.confirmed_through.isoformat()} is past ({rule.id}): check the rule's status and update it",
                    "warning",
                )
            )
        if (by := rule.set_aside_by) is not None:
            item = pack.items_by_id.get(by.item)
            if item is None:
                problems.append(ContentProblem(pack_file, f"{place}.set_aside_by.item", f"unknown item {by.item!r}"))
            else:
                for position, option_id in enumerate(by.options):
                    if item.option(option_id) is None:
                        problems.append(
                            ContentProblem(
                                pack_file,
                                f"{place}.set_aside_by.options[{position}]",
                                f"unknown option {option_id!r} of item {by.item!r}",
                            )
                        )
        if rule.id not in named:
            problems.append(
                ContentProblem(pack_file, f"{place}.id", f"no compliance note names {rule.id!r}", "warning")
            )
    return problems


DEPTH = {
    "questions": (3, 5),
    "options": (3, 4),
    "kpis": (2, 4),
}
WHY_WORDS = (80, 250)


def _depth_warnings(item: Item, item_file: str) -> list[ContentProblem]:
    """Authoring guidelines: depth a serious pack should have (warnings, not errors)."""
    found = []
    for field, (low, high) in DEPTH.items():
        count = len(getattr(item, field))
        if not low <= count <= high:
            found.append(ContentProblem(item_file, field, f"has {count}; aim for {low} to {high}", "warning"))
    words = len(item.why.split())
    if not WHY_WORDS[0] <= words <= WHY_WORDS[1]:
        found.append(
            ContentProblem(item_file, "why", f"has {words} words; aim for {WHY_WORDS[0]} to {WHY_WORDS[1]}", "warning")
        )
    if not item.references:
        found.append(ContentProblem(item_file, "references", "none given", "warning"))
    if not item.principles:
        found.append(ContentProblem(item_file, "principles", "none given", "warning"))
    return found


def display(path: Path) -> str:
    """A path as people should read it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
