"""What the playbook says, in the order SPEC "The playbook" and issue 14 give."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.playbook.helpers import PARSER, TODAY, example_design, expected_headings, headings
from wizard.content import ContentPack, Item
from wizard.playbook import (
    FIXED_PARTS,
    HEADING_ACTIONS,
    HEADING_BASELINE,
    HEADING_BRIEF,
    HEADING_KPIS,
    HEADING_OPEN,
    HEADING_PRINCIPLES,
    HEADING_REFERENCES,
    HEADING_SIGN_OFF,
    SECTIONS,
    SIGN_OFF_ROLES,
    render_playbook,
)
from wizard.playbook.text import anchor
from wizard.project import CUSTOM_OPTION, Decision, Design, ProjectInfo, Review


def part(markdown: str, heading: str) -> str:
    """The text of one `##` part, heading excluded."""
    start = markdown.index(f"\n## {heading}\n") + len(heading) + 5
    end = markdown.find("\n## ", start)
    return markdown[start : end if end >= 0 else len(markdown)]


def item_text(markdown: str, number: str) -> str:
    """The text under one item's `###` heading."""
    start = markdown.index(f"\n### {number} ")
    end = min(i for i in (markdown.find("\n### ", start + 1), markdown.find("\n## ", start + 1)) if i >= 0)
    return markdown[start:end]


def link(item: Item) -> str:
    return f"[{item.number}](#{anchor(f'{item.number} {item.title}')})"


def titled(item: Item) -> str:
    return f"[{item.number} {item.title}](#{anchor(f'{item.number} {item.title}')})"


@pytest.fixture
def markdown(example: Design, bundled_pack: ContentPack) -> str:
    return render_playbook(example, bundled_pack, TODAY)


def test_parts_come_in_the_issue_order(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    found = headings(PARSER.parse(markdown))
    assert found == expected_headings(example, bundled_pack)
    top = [text for level, text in found if level == 2]
    sections = [f"{s.number} {s.title}" for s in bundled_pack.sections]
    at = FIXED_PARTS.index(SECTIONS)
    assert top == [*FIXED_PARTS[:at], *sections, *FIXED_PARTS[at + 1 :]]
    assert top[:2] == [HEADING_BRIEF, HEADING_SIGN_OFF]  # the brief, then sign-off, at the front
    assert [text for level, text in found if level == 3] == [f"{i.number} {i.title}" for i in bundled_pack.items]


def test_document_control(markdown: str, bundled_pack: ContentPack) -> None:
    head = markdown[: markdown.index("\n## ")]
    assert head.startswith("# Riverbend Health Virtual Urgent Care: Telemedicine Clinical Workflow Playbook\n")
    assert "- **Organization:** Riverbend Health\n" in head
    assert "- **Operations lead:** Dana Ortiz, Director of Virtual Care Operations\n" in head
    assert "- **Version:** Draft of version 1: no sign-off recorded yet\n" in head
    assert "- **Exported:** 2026-12-01\n" in head
    assert f"({bundled_pack.id}, version {bundled_pack.version})" in head
    assert re.search(r"- \*\*Decisions fingerprint:\*\* [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}\n", head)


def test_fingerprint_follows_what_a_reviewer_reads(example: Design, bundled_pack: ContentPack) -> None:
    def fingerprint(design: Design) -> str:
        found = re.search(r"fingerprint:\*\* (\S+)", render_playbook(design, bundled_pack, TODAY))
        assert found is not None
        return found.group(1)

    item = bundled_pack.items[0]
    before = fingerprint(example)
    resaved = example.model_copy(deep=True)
    resaved.decisions[item.id].updated = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)  # saved again, same words
    assert fingerprint(resaved) == before
    changed = example.model_copy(deep=True)
    changed.decisions[item.id].rationale += " One more sentence."
    assert fingerprint(changed) != before


def test_brief_scope_and_attention_most_serious_first(
    markdown: str, example: Design, bundled_pack: ContentPack
) -> None:
    brief = part(markdown, HEADING_BRIEF)
    care = bundled_pack.care_models[0].label
    roles = ", ".join(role.label for role in bundled_pack.roles[:3])
    assert f"**Scope:** {care}. Roles: {roles}. Visit types: " in brief
    total = len(bundled_pack.items)
    assert f"**Progress:** {total} items: {total - 3} decided, 1 drafting, 1 open, 1 not applicable." in brief
    for section in bundled_pack.sections:
        assert re.search(rf"^- {re.escape(section.number)} {re.escape(section.title)}: \d+ decided", brief, re.M)
    lines = re.findall(r"^\d+\. \*\*(.+?) \((\d+)\):\*\*", brief, flags=re.MULTILINE)
    kinds = [title for title, _ in lines]
    order = [
        "Changes requested",
        "Safety-net topics no decision covers",
        "Open or drafting",
        "Approved by their own owner",
        "Placeholders left in decisions",
        "Decided without an owner",
        "Due within 30 days or overdue",
        "Temporary rules expiring within 90 days",
    ]
    assert kinds == [kind for kind in order if kind in kinds]
    assert kinds[:4] == order[:4]
    uncovered = re.search(r"^2\. \*\*Safety-net topics no decision covers \((\d+)\):\*\* (.*)$", brief, re.M)
    assert uncovered is not None and int(uncovered.group(1)) == len(bundled_pack.safety_net)  # the design covers none
    assert all(f"{topic.title} (expected from [" in uncovered.group(2) for topic in bundled_pack.safety_net)
    changes = bundled_pack.items[1]
    assert f"**Changes requested (1):** [{changes.number} {changes.title}](#" in brief
    drafting, still_open = bundled_pack.items[2], bundled_pack.items[7]
    assert f"**Open or drafting (2):** {titled(drafting)} (drafting); {titled(still_open)} (open)." in brief


def test_every_concern_kind_reaches_the_brief(bundled_pack: ContentPack) -> None:
    design = example_design(bundled_pack)
    first, second, third, fourth = bundled_pack.items[10:14]
    design.decisions[first.id] = design.decisions[first.id].model_copy(update={"summary": "Route to TBD."})
    design.decisions[second.id] = design.decisions[second.id].model_copy(update={"owner": " "})
    design.decisions[third.id] = design.decisions[third.id].model_copy(update={"due": TODAY - dt.timedelta(days=2)})
    design.decisions[fourth.id] = design.decisions[fourth.id].model_copy(
        update={"owner": "Dr. Ana Ruiz", "review": Review(state="approved", by="Dr. Ana Ruiz", on=TODAY)}
    )
    dea = bundled_pack.rule("dea-telemedicine-flexibilities")  # confirmed only through 2026-12-31
    assert dea is not None and dea.set_aside_by is not None
    prescribing = bundled_pack.items_by_id[dea.set_aside_by.item]
    prescribes = next(option.id for option in prescribing.options if option.id not in dea.set_aside_by.options)
    design.decisions[prescribing.id] = design.decisions[prescribing.id].model_copy(update={"option": prescribes})
    brief = part(render_playbook(design, bundled_pack, dt.date(2026, 12, 1)), HEADING_BRIEF)
    assert f"{titled(first)} ('TBD' in summary)" in brief
    assert f"**Decided without an owner (1):** {titled(second)}." in brief
    assert f"{titled(third)} (due {(TODAY - dt.timedelta(days=2)).isoformat()}, which has passed)" in brief
    owned = re.search(r"\*\*Approved by their own owner \(\d+\):\*\* (.*)$", brief, flags=re.MULTILINE)
    assert owned is not None and titled(fourth) in owned.group(1)
    assert "(reviewer " not in owned.group(1)  # the item's badge names the reviewer
    assert "**Temporary rules expiring within 90 days (" in brief and f"({dea.title}), confirmed only" in brief


def test_nothing_to_attend_to_says_so(bundled_pack: ContentPack) -> None:
    design = Design(project=ProjectInfo(title="Done", content=bundled_pack.ref))
    for item in bundled_pack.items:
        design.decisions[item.id] = Decision(status="not-applicable", summary="Not ours.")
    brief = part(render_playbook(design, bundled_pack, TODAY), HEADING_BRIEF)
    assert f"**Safety-net topics no decision covers ({len(bundled_pack.safety_net)}):**" in brief
    covers: dict[str, list[str]] = {}  # each topic covered by a decision of an item expected to cover it
    for topic in bundled_pack.safety_net:
        covers.setdefault(topic.items[0], []).append(topic.id)
    for slug, topics in covers.items():
        design.decisions[slug] = Decision(
            status="decided", option=CUSTOM_OPTION, summary="Covered.", owner="Nursing Lead", covers=topics
        )
    brief = part(render_playbook(design, bundled_pack, dt.date(2026, 6, 1)), HEADING_BRIEF)
    assert "Nothing: every item is decided or not applicable, and no check has a concern." in brief


def test_sign_off_block(markdown: str) -> None:
    text = part(markdown, HEADING_SIGN_OFF)
    assert "| Role | Outcome | Conditions | Name | Signature | Date |" in text
    for role in SIGN_OFF_ROLES:
        assert f"| {role} | Approve / Approve with conditions / Reject | | | | |" in text
    assert "Earlier sign-offs: none recorded." in text


def test_summary_shows_a_headline_not_the_whole_decision(markdown: str, bundled_pack: ContentPack) -> None:
    design = example_design(bundled_pack)
    long = "Nurses answer the line from 23:00 to 07:00 with written protocols and a physician behind them. Second."
    item = bundled_pack.items[0]
    design.decisions[item.id] = design.decisions[item.id].model_copy(update={"summary": long})
    text = render_playbook(design, bundled_pack, TODAY)
    summary = text.split("## Summary of decisions")[1].split("\n## ")[0]
    assert f"| {titled(item)} | Nurses answer the line from… | Decided, approved |" in summary
    assert long in item_text(text, item.number)  # in full, once, under the item


def test_an_item_reads_in_order(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    item = bundled_pack.items[0]
    text = item_text(markdown, item.number)
    approach = f"**{item.options[0].label}:**" if item.options else "**Decision** (a custom approach):"
    labels = ["**Decided, approved** by Dr. Sam Lee", approach, "**Owner:**", "**Rationale:**", "**Notes:**"]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    summary = example.decisions[item.id].summary
    assert f"\n{approach} {summary}\\\n**Owner:** " in text  # the approach leads; one fact a line
    assert "> - It reuses the existing escalation path.\n" in text  # the rationale's own list, quoted
    assert "Medical Director, on 2026-11-30." in text
    assert ". **[Measures](#kpi-register):** M1-M2; **[rules](#compliance-baseline):** " in text


def test_self_approval_is_marked_on_the_item(markdown: str, bundled_pack: ContentPack) -> None:
    owned_by_director = bundled_pack.items[3]  # odd index: owner "Medical Director", reviewer the same
    assert "Medical Director, on 2026-11-30 (self-approved).\n" in item_text(markdown, owned_by_director.number)
    assert "(self-approved)" not in item_text(markdown, bundled_pack.items[0].number)


def test_open_item_says_so_plainly(markdown: str, bundled_pack: ContentPack) -> None:
    text = item_text(markdown, bundled_pack.items[7].number)
    assert "\n**Open**.\n" in text
    assert "No decision has been recorded yet." in text
    assert "**Approach:**" not in text and "rules" not in text  # an open item relies on no rule yet


def test_not_applicable_item_says_why_and_relies_on_no_rule(markdown: str, bundled_pack: ContentPack) -> None:
    text = item_text(markdown, bundled_pack.items[5].number)
    assert "\n**Not applicable**.\n" in text
    assert "\n**Why not applicable:** Clinicians are salaried by the health system" in text
    assert "**Approach:**" not in text and "**Owner:**" not in text and "rules" not in text


def test_cautioned_approach_is_flagged(bundled_pack: ContentPack) -> None:
    found = [
        (item, option, care)
        for item in bundled_pack.items
        for option in item.options
        for care in option.caution_for.care_models
    ]
    if not found:
        pytest.fail("the pack has no option cautioned for a care model; pick another way to test this")
    item, option, care = found[0]
    design = example_design(bundled_pack)
    design.context.care_model = care
    design.decisions[item.id] = Decision(status="decided", option=option.id, summary="x", owner="y")
    text = item_text(render_playbook(design, bundled_pack, TODAY), item.number)
    assert f"\n**{option.label}** (the guidance cautions against it for this context): x\\\n" in text


def rules_of(markdown: str) -> dict[int, str]:
    """The compliance baseline's rules relied on: number -> its line."""
    baseline = part(markdown, HEADING_BASELINE)
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^(\d+)\. (.*)$", baseline, flags=re.MULTILINE)}


def rule_numbers(text: str) -> list[int]:
    """The rule numbers an item block lists ("2, 5-8, 12" -> [2, 5, 6, 7, 8, 12])."""
    found = re.search(r"\*\*\[[Rr]ules\]\(#compliance-baseline\):\*\* ([\d, -]+)\.", text)
    numbers: list[int] = []
    for part_ in found.group(1).split(", ") if found else []:
        first, _, last = part_.partition("-")
        numbers += list(range(int(first), int(last or first) + 1))
    return numbers


def test_each_rule_once_and_items_refer_to_it(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    rules = rules_of(markdown)
    assert list(rules) == list(range(1, len(rules) + 1))
    register = {" ".join(rule.statement.split()): rule for rule in bundled_pack.rules}
    stated = [next(statement for statement in register if statement in line) for line in rules.values()]
    assert len(stated) == len(set(stated)), "a rule is stated twice"
    notes = sum(
        len(item.applicable_compliance(example.context))
        for item in bundled_pack.items
        if example.status_of(item.id) in ("decided", "drafting")
    )
    assert len(rules) < notes  # a rule named under several items is stated once
    for item in bundled_pack.items:
        cited = rule_numbers(item_text(markdown, item.number))
        listing = [
            number for number, line in rules.items() if item.number in listed(line.split(" Items: ")[-1], bundled_pack)
        ]
        assert sorted(listing) == cited, item.number


def test_a_rule_is_stated_in_the_registers_words_with_its_citation(
    markdown: str, example: Design, bundled_pack: ContentPack
) -> None:
    rules = rules_of(markdown)
    item = next(i for i in bundled_pack.items if example.status_of(i.id) == "decided" and i.compliance)
    note = next(n for n in item.applicable_compliance(example.context))
    rule = bundled_pack.rule(note.rule)
    assert rule is not None
    line = next(line for line in rules.values() if " ".join(rule.statement.split()) in line)
    assert f" ({rule.citation}) Items: " in line and link(item) in line
    for other in bundled_pack.items:
        for other_note in other.compliance:
            if other_note.text.strip():
                assert other_note.text not in part(markdown, HEADING_BASELINE)  # items' own words stay with them


def test_what_is_specific_to_an_item_prints_under_it(bundled_pack: ContentPack) -> None:
    design = example_design(bundled_pack)
    markdown = render_playbook(design, bundled_pack, TODAY)
    rules = rules_of(markdown)
    checked = 0
    for item in bundled_pack.items:
        if design.status_of(item.id) not in ("decided", "drafting"):
            continue
        text = item_text(markdown, item.number)
        for note in item.applicable_compliance(design.context):
            rule = bundled_pack.rule(note.rule)
            if not note.text.strip() or rule is None or rule.set_aside_by is not None:
                continue
            number = next(n for n, line in rules.items() if " ".join(rule.statement.split()) in line)
            assert f"\n- Rule {number}: {' '.join(note.text.split())}" in text, (item.number, note.rule)
            checked += 1
    assert checked


def test_temporary_rules_carry_their_date(markdown: str, bundled_pack: ContentPack) -> None:
    rules = rules_of(markdown)
    temporary = [line for line in rules.values() if line.startswith("**Temporary, confirmed through ")]
    assert temporary
    flexibilities = bundled_pack.rule("medicare-telehealth-flexibilities")
    assert flexibilities is not None and flexibilities.confirmed_through is not None
    line = next(line for line in temporary if " ".join(flexibilities.statement.split()) in line)
    assert line.startswith(f"**Temporary, confirmed through {flexibilities.confirmed_through.isoformat()}: check")


def test_passed_rule_dates_are_flagged(example: Design, bundled_pack: ContentPack) -> None:
    later = dt.date(2031, 1, 1)  # after every confirmed-through date in the register
    assert ", which has passed: check before use.**" in part(
        render_playbook(example, bundled_pack, later), HEADING_BASELINE
    )


def test_rules_a_decision_makes_moot_are_set_aside_for_the_whole_design(bundled_pack: ContentPack) -> None:
    """3.2.6 decides "no controlled substances": the DEA rules apply only if that changes, wherever an item
    names them (training, audits, after-hours, e-signatures, medication management...)."""
    dea = bundled_pack.rule("dea-telemedicine-flexibilities")
    assert dea is not None and dea.set_aside_by is not None
    deciding = bundled_pack.items_by_id[dea.set_aside_by.item]
    naming = [i for i in bundled_pack.items if any(n.rule == dea.id for n in i.compliance) and i is not deciding]
    design = example_design(bundled_pack)
    design.context.care_model = "dtc-virtual-urgent-care"
    choice = dea.set_aside_by.options[0]
    design.decisions[deciding.id] = Decision(status="decided", option=choice, summary="S", owner="O")
    markdown = render_playbook(design, bundled_pack, TODAY)
    baseline = part(markdown, HEADING_BASELINE)
    assert dea.statement not in baseline  # not stated among the rules relied on
    found = re.search(rf"^- By {re.escape(link(deciding))}: (.*)$", baseline, flags=re.MULTILINE)
    assert found is not None and f" {dea.title} (temporary, confirmed through 2026-12-31)" in found.group(1)
    aside = re.search(r"\*\*Set aside by this decision:\*\* rules ([\d, -]+);", item_text(markdown, deciding.number))
    assert aside is not None
    assert "DEA telemedicine flexibilities" not in part(markdown, HEADING_BRIEF)  # nothing expires for this design
    other = next(option.id for option in deciding.options if option.id not in dea.set_aside_by.options)
    design.decisions[deciding.id] = Decision(status="decided", option=other, summary="S", owner="O")
    markdown = render_playbook(design, bundled_pack, TODAY)
    line = next(line for line in rules_of(markdown).values() if dea.statement in line)
    assert any(link(item) in line for item in naming if design.status_of(item.id) in ("decided", "drafting"))
    assert "Set aside" not in item_text(markdown, deciding.number)


def listed(text: str, pack: ContentPack) -> list[str]:
    """The item numbers a list of item links names, a range "[a](#...)-[b](#...)" standing for every item
    from a to b in content order."""
    numbers = [item.number for item in pack.items]
    found: list[str] = []
    for match in re.finditer(r"\[([\d.]+)\]\(#[^)]*\)(?:-\[([\d.]+)\]\(#[^)]*\))?", text):
        first, last = match.group(1), match.group(2) or match.group(1)
        found += numbers[numbers.index(first) : numbers.index(last) + 1]
    return found


def test_action_plan_by_owner_and_month(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_ACTIONS)
    nursing = [item for item in bundled_pack.items if example.decision(item.id).owner == "Nursing Lead"]
    line = next(line for line in text.splitlines() if line.startswith("- **Nursing Lead:**"))
    active = [i for i in nursing if example.status_of(i.id) != "not-applicable"]
    assert listed(line, bundled_pack) == [i.number for i in active]
    assert all(
        f"{link(i)} ({example.decision(i.id).due.isoformat()}" in line for i in active if example.decision(i.id).due
    )
    assert f"- **No owner yet:** {link(bundled_pack.items[7])}" in text
    months = re.search(r"^Items due: (.*)\.$", text, flags=re.MULTILINE)
    assert months is not None
    counted = [entry.split(": ") for entry in months.group(1).split("; ")]
    labels = [label for label, _ in counted]
    assert labels == sorted(m for m in labels if m != "no due date") + (
        ["no due date"] if "no due date" in labels else []
    )
    assert sum(int(count) for _, count in counted) == sum(
        1 for i in bundled_pack.items if example.status_of(i.id) != "not-applicable"
    )


def test_kpi_register_holds_every_measure_once(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_KPIS)
    lines = [line for line in text.splitlines() if line.startswith("- [")]
    number = 0
    for item in bundled_pack.items:
        kpis = example.decision(item.id).kpis if example.status_of(item.id) != "not-applicable" else []
        if not kpis:
            assert not any(line.startswith(f"- {link(item)}:") for line in lines)
            continue
        shown = []
        for kpi in kpis:
            number += 1
            shown.append(f"**M{number}** {kpi}")
        assert f"- {link(item)}: {'; '.join(shown)}" in lines, item.number
    assert len(lines) == sum(
        1 for i in bundled_pack.items if example.status_of(i.id) != "not-applicable" and example.decision(i.id).kpis
    )


def test_a_measure_from_the_pack_carries_its_definition(bundled_pack: ContentPack) -> None:
    item = next(i for i in bundled_pack.items if i.kpis)
    kpi = item.kpis[0]
    design = example_design(bundled_pack)
    design.decisions[item.id] = design.decisions[item.id].model_copy(update={"kpis": [f"{kpi.name}: under 10"]})
    text = part(render_playbook(design, bundled_pack, TODAY), HEADING_KPIS)
    assert f"{kpi.name}: under 10 (definition: {' '.join(kpi.definition.split())}" in text


def test_open_items_and_unresolved_comments(markdown: str, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_OPEN)
    drafting, still_open = bundled_pack.items[2], bundled_pack.items[7]
    assert (
        f"**Still open or in drafting (2):** {link(drafting)} (drafting); {link(still_open)} (open, no owner)." in text
    )
    commented = bundled_pack.items[1]
    assert f"changes requested on {link(commented)} (Dr. Sam Lee, 2026-11-30)." in text


def test_overdue_and_nothing_open(bundled_pack: ContentPack) -> None:
    design = example_design(bundled_pack)
    item = bundled_pack.items[2]
    design.decisions[item.id] = Decision(status="drafting", owner="CMO", due=TODAY - dt.timedelta(days=1))
    assert "(drafting, due 2026-11-30 (overdue))" in part(render_playbook(design, bundled_pack, TODAY), HEADING_OPEN)
    for entry in bundled_pack.items:
        design.decisions[entry.id] = Decision(status="decided", option=CUSTOM_OPTION, review=Review(state="approved"))
    markdown = render_playbook(design, bundled_pack, TODAY)
    assert "No items are open: every item is decided or marked not applicable." in part(markdown, HEADING_OPEN)


def test_principles_list_what_serves_them(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_PRINCIPLES)
    for number, principle in enumerate(bundled_pack.principles, start=1):
        assert f"{number}. **{principle.title}:** {principle.text}" in text
    first = text.split("1. **")[1].split("\n")[0]
    decided = listed(first, bundled_pack)
    for item in bundled_pack.items:
        serves = bundled_pack.principles[0].id in item.principles and example.status_of(item.id) == "decided"
        assert (item.number in decided) == serves, item.number


def test_references_are_those_behind_what_is_shown(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_REFERENCES)
    listed_refs = re.findall(r"^(\d+)\. .*?: <(\S+)>$", text, flags=re.MULTILINE)
    assert [int(n) for n, _ in listed_refs] == list(range(1, len(listed_refs) + 1))
    urls = [url for _, url in listed_refs]
    every = {ref.url for item in bundled_pack.items for ref in item.references}
    assert (
        urls
        and len(urls) == len(set(urls))
        and set(urls) <= every | {r.reference.url for r in bundled_pack.rules if r.reference is not None}
    )
    assert len(urls) < len(every)  # not every source of every item: only those behind what is printed


def test_empty_design_still_reads(bundled_pack: ContentPack) -> None:
    design = Design(project=ProjectInfo(content=bundled_pack.ref))
    markdown = render_playbook(design, bundled_pack, TODAY)
    assert markdown.startswith("# Untitled design: Telemedicine Clinical Workflow Playbook\n")
    assert "- **Organization:** Not recorded\n" in markdown
    assert "**Scope:** Care model not recorded. Roles: not recorded. Visit types: not recorded." in markdown
    assert markdown.count("No decision has been recorded yet.") == len(bundled_pack.items)
    assert headings(PARSER.parse(markdown)) == expected_headings(design, bundled_pack)
