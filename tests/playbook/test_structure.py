"""What the playbook says, in the order the issue lists (issue 5, item 1; SPEC "The playbook")."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.playbook.helpers import PARSER, TODAY, example_design, expected_headings, headings
from wizard.content import ContentPack
from wizard.playbook import (
    FIXED_PARTS,
    HEADING_OPEN,
    HEADING_PRINCIPLES,
    HEADING_REFERENCES,
    HEADING_RULES,
    HEADING_SIGN_OFF,
    SECTIONS,
    render_playbook,
)
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
    assert [text for level, text in found if level == 3] == [f"{i.number} {i.title}" for i in bundled_pack.items]


def test_title_block(markdown: str, bundled_pack: ContentPack) -> None:
    head = markdown[: markdown.index("\n## ")]
    assert head.startswith("# Riverbend Health Virtual Urgent Care: Telemedicine Clinical Workflow Playbook\n")
    assert "- **Organization:** Riverbend Health\n" in head
    assert "- **Operations lead:** Dana Ortiz, Director of Virtual Care Operations\n" in head
    assert "- **Exported:** 2026-12-01\n" in head
    assert f"({bundled_pack.id}, version {bundled_pack.version})" in head
    total = len(bundled_pack.items)
    status = re.search(r"- \*\*Status:\*\* (.*)\n", head)
    assert status is not None
    assert status.group(1) == (
        f"Draft. Of {total} items, {total - 3} decided, 1 not applicable, 2 open (1 in drafting). "
        f"Review: {total - 4} approved, 1 with changes requested, 3 not reviewed."
    )


def test_context_is_shown_by_label(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    context = part(markdown, "Clinical context")
    assert f"- **Care model:** {bundled_pack.care_models[0].label}\n" in context
    assert ", ".join(r.label for r in bundled_pack.roles[:3]) in context
    assert ", ".join(v.label for v in bundled_pack.visit_types[:3]) in context
    assert example.context.care_model not in context


def test_an_item_reads_in_order(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    item = bundled_pack.items[0]
    text = item_text(markdown, item.number)
    labels = ["**Status:** Decided", "**Approach:**", "**Decision:**", "**Owner:**", "**Due:**"]
    labels += ["**Rationale:**", "**Measures:**", "**Notes:**", "**Review:** Approved by Dr. Sam Lee"]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    expected = item.options[0].label if item.options else "Custom approach (described in the decision)"
    assert f"- **Approach:** {expected}" in text
    assert "> - It reuses the existing escalation path.\n" in text  # the rationale's own list, quoted
    assert "- Median wait under 15 minutes\n" in text
    assert "Medical Director, on 2026-11-30." in text or "Dr. Sam Lee, Medical Director, on 2026-11-30." in text
    if item.applicable_compliance(example.context):
        assert positions[-2] < text.index("**Compliance notes for this context:**") < positions[-1]


def test_open_item_says_so_plainly(markdown: str, bundled_pack: ContentPack) -> None:
    text = item_text(markdown, bundled_pack.items[7].number)
    assert "Open: no decision has been recorded for this item yet." in text
    assert "**Status:**" not in text and "**Review:**" not in text


def test_not_applicable_item_says_why_and_skips_compliance(markdown: str, bundled_pack: ContentPack) -> None:
    text = item_text(markdown, bundled_pack.items[5].number)
    assert "- **Status:** Not applicable\n" in text
    assert "- **Why not applicable:** Clinicians are salaried by the health system" in text
    assert "**Approach:**" not in text and "**Owner:**" not in text
    assert "Compliance notes" not in text


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


def test_temporary_rules_are_marked_and_registered(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    relied = {
        note.rule: item.number
        for item in bundled_pack.items
        if example.status_of(item.id) != "not-applicable"
        for note in item.applicable_compliance(example.context)
        if note.rule
    }
    if not relied:
        pytest.fail("no compliance note of the pack names a temporary rule for this context")
    register = part(markdown, HEADING_RULES)
    assert "check its status before relying on it" in register
    for rule in bundled_pack.temporary_rules:
        if rule.id in relied:
            row = next(line for line in register.split("\n") if line.startswith(f"| {rule.rule[:30]}"))
            assert f"| {rule.confirmed_through.isoformat()}" in row
            assert relied[rule.id] in row
            assert f"]({rule.reference.url})" in row
        else:
            assert rule.rule[:30] not in register
    assert "**Temporary rule, confirmed through " in markdown
    assert "check before use.**" in markdown


def test_passed_rule_dates_are_flagged(example: Design, bundled_pack: ContentPack) -> None:
    later = dt.date(2031, 1, 1)  # after every confirmed-through date in the register
    register = part(render_playbook(example, bundled_pack, later), HEADING_RULES)
    assert "(passed: check now)" in register


def test_open_items_and_unresolved_comments(markdown: str, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_OPEN)
    assert "2 items are still open or in drafting:" in text
    drafting, still_open = bundled_pack.items[2], bundled_pack.items[7]
    assert f"| {drafting.number} | {drafting.title} | Drafting | CMO | - |" in text
    assert f"| {still_open.number} | {still_open.title} | Open | - | - |" in text
    commented = bundled_pack.items[1]
    assert f"- **{commented.number} {commented.title}:** changes requested by Dr. Sam Lee on 2026-11-30." in text
    assert "  > Say who covers nights and weekends.\n  >\n  > And what happens when no RN is free." in text


def test_overdue_and_nothing_open(bundled_pack: ContentPack) -> None:
    design = example_design(bundled_pack)
    item = bundled_pack.items[2]
    design.decisions[item.id] = Decision(status="drafting", owner="CMO", due=TODAY - dt.timedelta(days=1))
    assert "| 2026-11-30 (overdue) |" in part(render_playbook(design, bundled_pack, TODAY), HEADING_OPEN)
    for entry in bundled_pack.items:
        design.decisions[entry.id] = Decision(status="decided", option=CUSTOM_OPTION, review=Review(state="approved"))
    markdown = render_playbook(design, bundled_pack, TODAY)
    assert "No items are open: every item is decided or marked not applicable." in part(markdown, HEADING_OPEN)
    assert "- **Status:** Complete, ready for sign-off." in markdown


def test_principles_list_what_serves_them(markdown: str, example: Design, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_PRINCIPLES)
    for number, principle in enumerate(bundled_pack.principles, start=1):
        assert f"{number}. **{principle.title}:** {principle.text}" in text
    serving = [i for i in bundled_pack.items if bundled_pack.principles[0].id in i.principles]
    first = text[: text.index("2. **")]
    for item in serving:
        if example.status_of(item.id) == "decided":
            assert f"   - {item.number} {item.title}\n" in first


def test_sign_off_table_to_fill_in(markdown: str) -> None:
    text = part(markdown, HEADING_SIGN_OFF)
    assert "| Role | Name | Signature | Date |" in text
    for role in ("Medical director", "Nursing lead", "Compliance officer"):
        assert f"| {role} | | | |" in text


def test_references_are_those_the_items_cite(markdown: str, bundled_pack: ContentPack) -> None:
    text = part(markdown, HEADING_REFERENCES)
    urls = list(dict.fromkeys(ref.url for item in bundled_pack.items for ref in item.references))
    listed = re.findall(r"^\d+\. \[.*?\]\((\S+)\) \([\d., ]+\)$", text, flags=re.MULTILINE)
    assert listed == urls
    numbers = re.findall(r"^(\d+)\. ", text, flags=re.MULTILINE)
    assert numbers == [str(n) for n in range(1, len(urls) + 1)]


def test_empty_design_still_reads(bundled_pack: ContentPack) -> None:
    design = Design(project=ProjectInfo(content=bundled_pack.ref))
    markdown = render_playbook(design, bundled_pack, TODAY)
    assert markdown.startswith("# Untitled design: Telemedicine Clinical Workflow Playbook\n")
    assert "- **Organization:** Not recorded\n" in markdown
    assert "- **Care model:** Not recorded\n" in markdown
    assert markdown.count("Open: no decision has been recorded for this item yet.") == len(bundled_pack.items)
    assert headings(PARSER.parse(markdown)) == expected_headings(design, bundled_pack)
