"""What the playbook says, in the order SPEC "The playbook" and issue 14 give."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.playbook.helpers import PARSER, TODAY, example_design, expected_headings, headings
from wizard.compliance import Rule
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
from wizard.playbook.registers import plain_statement
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
    assert re.search(r"- \*\*Decisions fingerprint:\*\* [0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4} ", head)


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
        assert f"| {section.number} {section.title} |" in brief
    lines = re.findall(r"^\d+\. \*\*(.+?) \((\d+)\):\*\*", brief, flags=re.MULTILINE)
    kinds = [title for title, _ in lines]
    order = [
        "Changes requested",
        "Open or drafting",
        "Approved by their own owner",
        "Placeholders left in decisions",
        "Decided without an owner",
        "Due within 30 days or overdue",
        "Temporary rules expiring within 90 days",
    ]
    assert kinds == [kind for kind in order if kind in kinds]
    assert kinds[:3] == order[:3]
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
    brief = part(render_playbook(design, bundled_pack, dt.date(2026, 12, 1)), HEADING_BRIEF)
    assert f"{titled(first)} ('TBD' in summary)" in brief
    assert f"**Decided without an owner (1):** {titled(second)}." in brief
    assert f"{titled(third)} (due {(TODAY - dt.timedelta(days=2)).isoformat()}, which has passed)" in brief
    assert f"{titled(fourth)} (reviewer Dr. Ana Ruiz; owner Dr. Ana Ruiz)" in brief
    assert "**Temporary rules expiring within 90 days (" in brief


def test_nothing_to_attend_to_says_so(bundled_pack: ContentPack) -> None:
    design = Design(project=ProjectInfo(title="Done", content=bundled_pack.ref))
    for item in bundled_pack.items:
        design.decisions[item.id] = Decision(status="not-applicable", summary="Not ours.")
    brief = part(render_playbook(design, bundled_pack, TODAY), HEADING_BRIEF)
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
    assert f"| {link(item)} | {item.title} | Nurses answer the line from 23:00 to 07:00 with written… |" in summary
    assert long in item_text(text, item.number)  # in full, once, under the item


def test_an_item_reads_in_order(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    item = bundled_pack.items[0]
    text = item_text(markdown, item.number)
    labels = ["**Decided · Approved** by Dr. Sam Lee", "**Approach:**", "**Decision:**", "**Owner:**", "**Rationale:**"]
    labels += ["**Notes:**"]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    expected = item.options[0].label if item.options else "Custom approach (described in the decision)"
    assert f"- **Approach:** {expected}" in text
    assert "> - It reuses the existing escalation path.\n" in text  # the rationale's own list, quoted
    assert "Medical Director, on 2026-11-30." in text
    assert "- **[Measures](#kpi-register):** M1-M2; **[rules](#compliance-baseline):** " in text


def test_self_approval_is_marked_on_the_item(markdown: str, bundled_pack: ContentPack) -> None:
    owned_by_director = bundled_pack.items[3]  # odd index: owner "Medical Director", reviewer the same
    assert "(the reviewer is the item's owner)" in item_text(markdown, owned_by_director.number)
    assert "(the reviewer is the item's owner)" not in item_text(markdown, bundled_pack.items[0].number)


def test_open_item_says_so_plainly(markdown: str, bundled_pack: ContentPack) -> None:
    text = item_text(markdown, bundled_pack.items[7].number)
    assert "**Open · Not reviewed**." in text
    assert "No decision has been recorded yet." in text
    assert "**Approach:**" not in text


def test_not_applicable_item_says_why_and_relies_on_no_rule(markdown: str, bundled_pack: ContentPack) -> None:
    text = item_text(markdown, bundled_pack.items[5].number)
    assert "**Not applicable · Not reviewed**." in text
    assert "- **Why not applicable:** Clinicians are salaried by the health system" in text
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
    assert f"- **Approach:** {option.label} (the guidance cautions against it for this context)\n" in text


def rules_of(markdown: str) -> dict[int, str]:
    """The compliance baseline's rules: number -> its line."""
    baseline = part(markdown, HEADING_BASELINE)
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^(\d+)\. (.*)$", baseline, flags=re.MULTILINE)}


def test_each_rule_once_and_items_refer_to_it(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    rules = rules_of(markdown)
    assert list(rules) == list(range(1, len(rules) + 1))
    statements = [line.split(" (")[0] for line in rules.values()]
    assert len(statements) == len(set(statements)), "a rule is stated twice"
    notes = sum(
        len(item.applicable_compliance(example.context))
        for item in bundled_pack.items
        if example.status_of(item.id) != "not-applicable"
    )
    assert len(rules) < notes  # restatements under later items are gone
    for item in bundled_pack.items:
        text = item_text(markdown, item.number)
        found = re.search(r"\*\*\[[Rr]ules\]\(#compliance-baseline\):\*\* ([\d, ]+)\.", text)
        cited = [int(n) for n in found.group(1).split(", ")] if found else []
        for number in cited:
            assert link(item) in rules[number], (item.number, number)
        listing = [
            number for number, line in rules.items() if link(item) in line.split(" Items: ")[-1].rstrip(".").split(", ")
        ]
        assert sorted(listing) == cited, item.number


def test_temporary_rules_carry_their_date_and_register_source(markdown: str, bundled_pack: ContentPack) -> None:
    rules = rules_of(markdown)
    temporary = [line for line in rules.values() if line.startswith("**Temporary, confirmed through ")]
    assert temporary
    assert all(": check before use.** " in line for line in temporary)
    dea = bundled_pack.temporary_rule("dea-telemedicine-flexibilities")
    assert dea is not None
    line = next(line for line in temporary if dea.rule in line)
    assert f"confirmed through {dea.confirmed_through.isoformat()}: check before use." in line


def test_no_rule_ends_cut_off(markdown: str) -> None:
    """The "check before use" sentence goes whole, never from the middle of a sentence (issue 14, 7)."""
    for number, line in rules_of(markdown).items():
        statement = re.sub(r"^\*\*Temporary[^*]*\*\* ", "", line)
        assert not re.search(r"[:;,] \(", statement), (number, line[:120])
        assert "temporary:" not in statement.lower(), (number, line[:120])


def test_passed_rule_dates_are_flagged(example: Design, bundled_pack: ContentPack) -> None:
    later = dt.date(2031, 1, 1)  # after every confirmed-through date in the register
    assert ", which has passed: check before use.**" in part(
        render_playbook(example, bundled_pack, later), HEADING_BASELINE
    )


def test_rules_a_decision_makes_moot_are_set_aside(bundled_pack: ContentPack) -> None:
    """3.2.6 decides "no controlled substances": its controlled-substance rules apply only if that changes."""
    item = next(
        i for i in bundled_pack.items if any("no-controlled-substances" in n.unless_options for n in i.compliance)
    )
    design = example_design(bundled_pack)
    design.decisions[item.id] = Decision(status="decided", option="no-controlled-substances", summary="S", owner="O")
    markdown = render_playbook(design, bundled_pack, TODAY)
    text = item_text(markdown, item.number)
    found = re.search(r"\*\*Set aside by this decision:\*\* rules ([\d, ]+) apply only if the decision changes\.", text)
    assert found is not None
    aside = [int(n) for n in found.group(1).split(", ")]
    moot = [n for n in item.applicable_compliance(design.context) if "no-controlled-substances" in n.unless_options]
    assert len(aside) == len(moot)
    rules = rules_of(markdown)
    for number in aside:
        assert f"{link(item)} (only if its decision changes)" in rules[number]
    other = Decision(status="decided", option=item.options[1].id, summary="S", owner="O")
    design.decisions[item.id] = other
    assert "Set aside" not in item_text(render_playbook(design, bundled_pack, TODAY), item.number)


def test_action_plan_by_owner_and_month(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_ACTIONS)
    nursing = [item for item in bundled_pack.items if example.decision(item.id).owner == "Nursing Lead"]
    line = next(line for line in text.splitlines() if line.startswith("- **Nursing Lead:**"))
    assert line.count("](#") == len([i for i in nursing if example.status_of(i.id) != "not-applicable"])
    assert f"- **No owner yet:** {link(bundled_pack.items[7])}" in text
    months = re.findall(r"^- \*\*(\d{4}-\d{2}|No due date):\*\*", text, flags=re.MULTILINE)
    assert months == sorted(m for m in months if m != "No due date") + (
        ["No due date"] if "No due date" in months else []
    )


def test_kpi_register_holds_every_measure_once(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_KPIS)
    rows = [line for line in text.splitlines() if line.startswith("| M")]
    expected = [
        (item, kpi)
        for item in bundled_pack.items
        if example.status_of(item.id) != "not-applicable"
        for kpi in example.decision(item.id).kpis
    ]
    assert len(rows) == len(expected)
    for number, (row, (item, kpi)) in enumerate(zip(rows, expected, strict=True), start=1):
        assert row == f"| M{number} | {kpi} | {link(item)} |"


def test_a_measure_from_the_pack_carries_its_definition(bundled_pack: ContentPack) -> None:
    item = next(i for i in bundled_pack.items if i.kpis)
    kpi = item.kpis[0]
    design = example_design(bundled_pack)
    design.decisions[item.id] = design.decisions[item.id].model_copy(update={"kpis": [f"{kpi.name}: under 10"]})
    text = part(render_playbook(design, bundled_pack, TODAY), HEADING_KPIS)
    assert f"{kpi.name}: under 10 (definition: {' '.join(kpi.definition.split())}" in text


def test_open_items_and_unresolved_comments(markdown: str, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_OPEN)
    assert "2 items are still open or in drafting:" in text
    drafting, still_open = bundled_pack.items[2], bundled_pack.items[7]
    assert f"| {link(drafting)} | {drafting.title} | Drafting | CMO | - |" in text
    assert f"| {link(still_open)} | {still_open.title} | Open | - | - |" in text
    commented = bundled_pack.items[1]
    assert "changes requested by Dr. Sam Lee on 2026-11-30." in text
    assert f"[{commented.number} {commented.title}]" in text


def test_overdue_and_nothing_open(bundled_pack: ContentPack) -> None:
    design = example_design(bundled_pack)
    item = bundled_pack.items[2]
    design.decisions[item.id] = Decision(status="drafting", owner="CMO", due=TODAY - dt.timedelta(days=1))
    assert "| 2026-11-30 (overdue) |" in part(render_playbook(design, bundled_pack, TODAY), HEADING_OPEN)
    for entry in bundled_pack.items:
        design.decisions[entry.id] = Decision(status="decided", option=CUSTOM_OPTION, review=Review(state="approved"))
    markdown = render_playbook(design, bundled_pack, TODAY)
    assert "No items are open: every item is decided or marked not applicable." in part(markdown, HEADING_OPEN)


def test_principles_list_what_serves_them(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_PRINCIPLES)
    for number, principle in enumerate(bundled_pack.principles, start=1):
        assert f"{number}. **{principle.title}:** {principle.text}" in text
    first = text.split("1. **")[1].split("\n")[0]
    for item in bundled_pack.items:
        serves = bundled_pack.principles[0].id in item.principles and example.status_of(item.id) == "decided"
        assert (link(item) in first.split(" Still open:")[0]) == serves, item.number


def test_references_are_those_behind_what_is_shown(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_REFERENCES)
    listed = re.findall(r"^(\d+)\. .*?: <(\S+)>$", text, flags=re.MULTILINE)
    assert [int(n) for n, _ in listed] == list(range(1, len(listed) + 1))
    urls = [url for _, url in listed]
    every = {ref.url for item in bundled_pack.items for ref in item.references}
    assert (
        urls
        and len(urls) == len(set(urls))
        and set(urls) <= every | {r.reference.url for r in bundled_pack.temporary_rules}
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


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "CMS excludes these until Jan 1, 2028. This exclusion is temporary: check before use.",
            "CMS excludes these until Jan 1, 2028.",
        ),
        ("Temporary: the waiver runs through Sep 30, 2030. Check before use.", "The waiver runs through Sep 30, 2030."),
        (
            "It lapses unless renewed; it is temporary, check before use, and plan for it.",
            "It lapses unless renewed; it is temporary, check before use, and plan for it.",
        ),
        (
            "Holds through 2027: check before use before relying on it.",
            "Holds through 2027: check before use before relying on it.",
        ),
    ],
)
def test_only_a_whole_check_before_use_sentence_goes(text: str, shown: str) -> None:
    """The baseline's label says "check before use"; a sentence saying only that goes, nothing mid-sentence."""
    rule = Rule(1, statement=text, citation="C", temporary=True, confirmed_through=dt.date(2027, 1, 1))
    assert plain_statement(rule) == shown
