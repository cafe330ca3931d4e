"""The playbook at scale: what is gathered per item (rules, principles) is listed once per item, in
content order, however many items share it."""

from __future__ import annotations

import re

from wizard import playbook
from wizard.content import ContentPack
from wizard.project import ClinicalContext, Decision, Design, ProjectInfo


def _pack_with_shared_citations(pack: ContentPack, copies: int) -> ContentPack:
    """The bundled pack with its first section's items repeated: each copy cites the same sources,
    relies on the same temporary rules and serves the same principles (one listed twice)."""
    section = pack.sections[0]
    items: list[dict[str, object]] = []
    for copy in range(copies):
        for position, item in enumerate(section.items, start=1):
            principles = [*item.principles, *item.principles[:1]]
            number = f"{section.number}.{copy * len(section.items) + position}"
            items.append({**item.model_dump(), "id": f"{item.id}-{copy}", "number": number, "principles": principles})
    # Validated afresh, not model_copy: a copy would keep the original's cached ``items``.
    return ContentPack.model_validate({**pack.model_dump(), "sections": [{**section.model_dump(), "items": items}]})


def test_shared_rules_and_principles_list_each_item_once_in_order(pack: ContentPack) -> None:
    big = _pack_with_shared_citations(pack, 6)
    design = Design(
        project=ProjectInfo(title="Shared", content=pack.ref),
        context=ClinicalContext(care_model=pack.care_models[0].id, roles=["physician"], visit_types=["video"]),
        decisions={item.id: Decision(status="decided", option="custom", summary="S", owner="O") for item in big.items},
    )
    text = playbook.render(design, big)
    numbers = [item.number for item in big.items]
    principles = text.split(f"## {playbook.HEADING_PRINCIPLES}")[1].split("\n## ")[0]
    first = big.principles[0]
    serving = [item for item in big.items if first.id in item.principles]
    block = principles.split(f"**{playbook.inline(first.title)}:**")[1].split("\n2. ")[0]
    listed = re.findall(r"\[([\d.]+)\]\(#", block)
    assert listed == [item.number for item in serving]
    baseline = text.split(f"## {playbook.HEADING_BASELINE}")[1].split("\n## ")[0]
    rules = [line for line in baseline.splitlines() if re.match(r"\d+\. ", line)]
    assert rules
    for rule in rules:
        cited = re.findall(r"\[([\d.]+)\]\(#", rule.split(" Items: ")[-1])
        assert cited == sorted(set(cited), key=numbers.index)  # once each, in content order
    assert max(len(re.findall(r"\]\(#", rule.split(" Items: ")[-1])) for rule in rules) >= 6
