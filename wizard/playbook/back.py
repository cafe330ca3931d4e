"""The back of the playbook: the design principles and the references behind what it shows."""

from __future__ import annotations

import re

from wizard.content import Item, Reference
from wizard.playbook.outline import HEADING_PRINCIPLES, HEADING_REFERENCES, Inputs, numbers
from wizard.playbook.text import destination, escape_unescaped, flatten, inline, sentence

_LEAD_END = re.compile(r"[:,]")


def principles(inputs: Inputs) -> list[str]:
    """The seed's best practices, each with the decided items that serve it and those still open."""
    out = [
        f"## {HEADING_PRINCIPLES}",
        "",
        "The best practices of the source checklist, with the items that serve them.",
        "",
    ]
    decided_by: dict[str, list[Item]] = {principle.id: [] for principle in inputs.pack.principles}
    open_by: dict[str, list[Item]] = {principle.id: [] for principle in inputs.pack.principles}
    for item in inputs.pack.items:
        status = inputs.design.status_of(item.id)
        lists = decided_by if status == "decided" else open_by if status in ("open", "drafting") else None
        if lists is not None:
            for principle_id in dict.fromkeys(item.principles):  # an id listed twice serves once
                if principle_id in lists:
                    lists[principle_id].append(item)
    for number, principle in enumerate(inputs.pack.principles, start=1):
        decided = decided_by[principle.id]
        still_open = open_by[principle.id]
        line = f"{number}. **{inline(principle.title)}:** {inline(sentence(flatten(principle.text)))}"
        line += f" Decided: {numbers(decided)}." if decided else " No decision serves it yet."
        if still_open:
            line += f" Still open: {numbers(still_open)}."
        out.append(line)
    return [*out, ""]


def _shown_for(item: Item, inputs: Inputs) -> str:
    """What the playbook shows for an item that a reference can stand behind: its decision, and its
    compliance notes with their citations (stated in the baseline, in its words or in another
    item's)."""
    decision = inputs.design.decision(item.id)
    parts = [decision.summary, decision.rationale, decision.notes, *decision.kpis]
    for note in item.applicable_compliance(inputs.design.context):
        parts += [note.text, note.citation]
    return "\n".join(" ".join(part.split()) for part in parts)


def _lead(title: str) -> str:
    """A reference title up to its first colon or comma: the author or publisher it is cited by."""
    found = _LEAD_END.search(title)
    return flatten(title[: found.start()] if found else title)


def cited_references(inputs: Inputs) -> dict[str, Reference]:
    """URL -> reference, for the references behind what is shown, in the order first met.

    The sources of the temporary rules in the baseline come first. Then, item by item, a reference
    the item lists is behind what is shown when the part of its title before the first colon or
    comma (how the pack cites it: "Davis et al.", "IMLCC", "McGuireWoods") is named in that item's
    decision or compliance notes. The items' other references stand behind guidance the playbook
    does not print (why each item matters, its options, notes for other care models).
    """
    found = {rule.source.url: rule.source for rule in inputs.baseline.rules if rule.source is not None}
    for item in inputs.pack.items:
        if inputs.design.status_of(item.id) == "not-applicable":
            continue
        text = _shown_for(item, inputs)
        for ref in item.references:
            lead = _lead(ref.title)
            if lead and lead in text and re.search(rf"(?<!\w){re.escape(lead)}(?!\w)", text):
                found.setdefault(ref.url, ref)
    return found


def references(inputs: Inputs) -> list[str]:
    """The numbered references behind what the playbook shows, web addresses printed."""
    out = [f"## {HEADING_REFERENCES}", ""]
    cited = cited_references(inputs)
    if not cited:
        return [*out, "No references cited.", ""]
    out += ["Sources behind the rules and decisions above, in the order first cited.", ""]
    for number, ref in enumerate(cited.values(), start=1):
        out.append(f"{number}. {escape_unescaped(inline(ref.title), '[]')}: <{destination(ref.url)}>")
    return [*out, ""]
