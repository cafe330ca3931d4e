"""Quality gates of the bundled pack: depth, completeness, context coverage, temporary rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from wizard.content import ContentPack
from wizard.guidance import RECOMMENDED, guidance_markdown, option_marks


def test_every_item_has_the_depth_a_lead_needs(pack: ContentPack) -> None:
    for item in pack.items:
        where = f"{item.number} {item.id}"
        assert item.summary.count(". ") == 0 and item.summary.endswith("."), f"{where}: summary is one sentence"
        assert 80 <= len(item.why.split()) <= 250, f"{where}: why has {len(item.why.split())} words"
        assert 3 <= len(item.questions) <= 5, where
        assert 3 <= len(item.options) <= 4, where
        assert 2 <= len(item.kpis) <= 4, where
        assert item.compliance, f"{where}: no compliance notes"
        assert item.context_notes, f"{where}: no context notes"
        assert item.references, f"{where}: no references"
        assert item.principles, f"{where}: serves no principle"
        for option in item.options:
            assert option.tradeoffs.strip() and option.description.strip(), f"{where}: {option.id}"
        for kpi in item.kpis:
            assert kpi.definition.strip(), f"{where}: {kpi.name} has no definition"
            assert not kpi.target or kpi.source, f"{where}: {kpi.name} has a target without a source"
        for ref in item.references:
            assert re.match(r"^https?://\S+$", ref.url), f"{where}: {ref.title}"


def test_no_two_items_share_a_why(pack: ContentPack) -> None:
    whys = [" ".join(item.why.split()) for item in pack.items]
    assert len(set(whys)) == len(whys)


def test_every_context_id_drives_guidance(pack: ContentPack) -> None:
    used: dict[str, set[str]] = {"care_models": set(), "roles": set(), "visit_types": set()}
    for item in pack.items:
        conditions = [note.when for note in item.context_notes]
        conditions += [opt.recommended_for for opt in item.options] + [opt.caution_for for opt in item.options]
        conditions += [note.when for note in item.compliance]
        for condition in conditions:
            for vocabulary, value in condition.ids():
                used[vocabulary].add(value)
    for vocabulary in used:
        ids = {entry.id for entry in pack.vocabulary(vocabulary)}
        assert ids <= used[vocabulary], f"{vocabulary} never used: {sorted(ids - used[vocabulary])}"


def test_the_rule_register_states_each_rule_once(pack: ContentPack) -> None:
    """Every rule has a short statement and a citation; a temporary one its date, status and source;
    every rule is named by some item, and no two rules say the same thing."""
    assert pack.rules
    for rule in pack.rules:
        assert 1 <= len(rule.statement.split()) <= 60 and rule.statement.count(". ") <= 1, rule.id
        assert rule.citation.strip() and 1 <= len(rule.title.split()) <= 8, rule.id
        if rule.temporary:
            assert rule.confirmed_through and rule.status.strip() and rule.reference is not None, rule.id
    named = {note.rule for item in pack.items for note in item.compliance}
    assert named == {rule.id for rule in pack.rules}
    assert len({rule.statement for rule in pack.rules}) == len(pack.rules)


@dataclass
class Context:
    """A clinical context for guidance."""

    care_model: str
    roles: list[str] = field(default_factory=list)
    visit_types: list[str] = field(default_factory=list)


TELE_ICU = Context("tele-icu", ["registered-nurse"], ["video"])
BEHAVIORAL = Context("telebehavioral-health", ["psychologist"], ["audio-only"])
FIVE_ITEMS = [
    "coverage-staffing",
    "identity-verification",
    "documentation-requirements",
    "recording-policies",
    "billing-coding-accuracy",
]


@pytest.mark.parametrize("slug", FIVE_ITEMS)
def test_guidance_differs_where_it_should(pack: ContentPack, slug: str) -> None:
    item = pack.items_by_id[slug]
    icu = guidance_markdown(item, TELE_ICU, pack)
    behavioral = guidance_markdown(item, BEHAVIORAL, pack)
    assert icu != behavioral
    icu_notes = {note.text for note in item.matching_notes(TELE_ICU)}
    behavioral_notes = {note.text for note in item.matching_notes(BEHAVIORAL)}
    assert icu_notes or behavioral_notes, f"{slug}: no context note for either context"
    assert icu_notes != behavioral_notes
    # What matches comes first: the context section precedes "Why it matters".
    for text in (icu, behavioral):
        if "## For your context" in text:
            assert text.index("## For your context") < text.index("## Why it matters")


def test_behavioral_audio_only_context_reaches_its_rules(pack: ContentPack) -> None:
    """Telebehavioral health with audio-only brings the in-person rule and Part 2 somewhere in the pack."""
    shown = "\n".join(guidance_markdown(item, BEHAVIORAL, pack) for item in pack.items)
    assert "PSYPACT" in shown
    assert "Part 2" in shown
    assert "in-person" in shown.lower()
    assert re.search(r"\b93\b", shown), "audio-only modifier 93"


def test_tele_icu_context_reaches_staffing_ratios(pack: ContentPack) -> None:
    shown = guidance_markdown(pack.items_by_id["coverage-staffing"], TELE_ICU, pack)
    assert "1:100" in shown or "100 patients" in shown


def test_recommendations_follow_the_context(pack: ContentPack) -> None:
    """Across the pack, the two contexts get different recommended options somewhere."""
    differing = 0
    for item in pack.items:
        icu = {k for k, v in option_marks(item, TELE_ICU).items() if v == RECOMMENDED}
        behavioral = {k for k, v in option_marks(item, BEHAVIORAL).items() if v == RECOMMENDED}
        differing += icu != behavioral
    assert differing >= 10
