"""The back of the playbook: the design principles and the references behind what it shows."""

from __future__ import annotations

import re
from functools import lru_cache

from wizard.content import Item, Reference
from wizard.playbook.outline import HEADING_PRINCIPLES, HEADING_REFERENCES, Inputs, numbers
from wizard.playbook.text import destination, escape_unescaped, flatten, inline, sentence

_LEAD_END = re.compile(r"[:,]")


def principles(inputs: Inputs) -> list[str]:
    """The seed's best practices, each with the decided items that serve it (open items are in the brief)."""
    out = [f"## {HEADING_PRINCIPLES}", ""]
    served_by: dict[str, list[Item]] = {principle.id: [] for principle in inputs.pack.principles}
    for item in inputs.pack.items:
        if inputs.design.status_of(item.id) == "decided":
            for principle_id in dict.fromkeys(item.principles):  # an id listed twice serves once
                if principle_id in served_by:
                    served_by[principle_id].append(item)
    for number, principle in enumerate(inputs.pack.principles, start=1):
        served = served_by[principle.id]
        line = f"{number}. **{inline(principle.title)}:** {inline(sentence(flatten(principle.text)))}"
        line += f" Decided: {numbers(served)}." if served else " No decision serves it yet."
        out.append(line)
    return [*out, ""]


def _shown_for(item: Item, inputs: Inputs) -> str:
    """What the playbook shows for an item that a reference can stand behind: its decision, and the
    rules it relies on (statement, citation, what is specific to the item)."""
    decision = inputs.design.decision(item.id)
    parts = [decision.summary, decision.rationale, decision.notes, *decision.kpis]
    for rule in inputs.baseline.rules_of(item):
        parts += [rule.statement, rule.citation]
    parts += [text for _, text in inputs.baseline.specifics_of(item)]
    return "\n".join(" ".join(part.split()) for part in parts)


@lru_cache(maxsize=4096)
def _lead(title: str) -> str:
    """A reference title up to its first colon or comma: the author or publisher it is cited by."""
    found = _LEAD_END.search(title)
    return flatten(title[: found.start()] if found else title)


def _names(text: str, lead: str) -> bool:
    """True when text holds lead as whole words (no letter, digit or underscore right before or after)."""
    start = text.find(lead)
    while start >= 0:
        end = start + len(lead)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            return True
        start = text.find(lead, start + 1)
    return False


def cited_references(inputs: Inputs) -> dict[str, Reference]:
    """URL -> reference, for the references behind what is shown, in the order first met.

    The sources the register gives for the rules relied on come first. Then, item by item, a reference
    the item lists is behind what is shown when the part of its title before the first colon or
    comma (how the pack cites it: "Davis et al.", "IMLCC", "McGuireWoods") is named in that item's
    decision or in the rules it relies on. The items' other references stand behind guidance the playbook
    does not print (why each item matters, its options, notes for other care models).
    """
    found = {
        rule.reference.url: rule.reference
        for rule in inputs.baseline.rules
        if rule.reference is not None and not rule.is_set_aside
    }
    for item in inputs.pack.items:
        if inputs.design.status_of(item.id) == "not-applicable":
            continue
        text = _shown_for(item, inputs)
        for ref in item.references:
            lead = _lead(ref.title)
            if lead and _names(text, lead):
                found.setdefault(ref.url, ref)
    return found


def references(inputs: Inputs) -> list[str]:
    """The numbered references behind what the playbook shows, web addresses printed."""
    out = [f"## {HEADING_REFERENCES}", ""]
    cited = cited_references(inputs)
    if not cited:
        return [*out, "No references cited.", ""]
    out += ["Each source by the name the text cites it by.", ""]
    for number, ref in enumerate(cited.values(), start=1):
        out.append(f"{number}. {escape_unescaped(inline(_lead(ref.title)), '[]')}: <{destination(ref.url)}>")
    return [*out, ""]
