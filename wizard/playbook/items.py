"""One block per checklist item: status and review first, then the decision in the team's words.

Every field the design team wrote is here, once: the summary, rationale, measures, notes, owner and
the reviewer's comment. Rules are referred to by their number in the compliance baseline.
"""

from __future__ import annotations

from wizard.attention import TITLES, is_self_approval, item_concerns
from wizard.compliance import Rule
from wizard.content import Item
from wizard.playbook import capacity
from wizard.playbook.outline import HEADING_BASELINE, HEADING_KPIS, REVIEW_LABELS, STATUS_LABELS, Inputs, date_or
from wizard.playbook.text import anchor, inline, quote_block, sentence, text_or
from wizard.project import CUSTOM_OPTION, ClinicalContext, Decision, Review


def section_lines(inputs: Inputs) -> list[str]:
    """One `##` per section of the pack and one `###` per item, in content order."""
    out: list[str] = []
    for section in inputs.pack.sections:
        out += [f"## {inline(section.number)} {inline(section.title)}", ""]
        for item in section.items:
            out += item_lines(item, inputs)
    return out


def item_lines(item: Item, inputs: Inputs) -> list[str]:
    """The block of one item."""
    decision = inputs.design.decision(item.id)
    badge = _badge(decision)
    if item.id in inputs.versions.changed:
        badge = f"**Changed since version {inputs.versions.version}.** {badge}"
    out = [f"### {inline(item.number)} {inline(item.title)}", "", badge, ""]
    if decision.review is not None and (comment := quote_block(decision.review.comment)):
        out += [*comment, ""]
    flagged = [c for c in item_concerns(item, decision, inputs.today) if c.kind in ("placeholder", "no-owner", "due")]
    if flagged:  # the badge already says changes requested and who approved
        flags = "; ".join(inline(c.detail) if c.detail else TITLES[c.kind].lower() for c in flagged)
        out += [f"**Needs attention:** {flags}.", ""]
    if decision.is_blank():
        return [
            *out,
            "No decision has been recorded yet.",
            "",
            *(line for ref in _references(item, inputs) for line in (ref, "")),
        ]
    facts = []
    if decision.status != "not-applicable" or decision.option:
        facts.append(f"- **Approach:** {_approach(item, decision, inputs.design.context)}")
    label = "Why not applicable" if decision.status == "not-applicable" else "Decision"
    facts.append(f"- **{label}:** {text_or(decision.summary, 'Not recorded')}")
    if decision.status != "not-applicable" or decision.owner.strip() or decision.due:
        owner = text_or(decision.owner, "Not assigned")
        facts.append(f"- **Owner:** {owner}; **due:** {date_or(decision.due, 'no due date')}")
    out += [*facts, *(f"- {line}" for line in _references(item, inputs)), ""]
    if rationale := quote_block(decision.rationale):
        out += ["**Rationale:**", "", *rationale, ""]
    out += capacity.item_block(decision)
    if notes := quote_block(decision.notes):
        out += ["**Notes:**", "", *notes, ""]
    return out


def _badge(decision: Decision) -> str:
    """The status and review line at the top of the item."""
    review = decision.review
    status = STATUS_LABELS[decision.status]
    if review is None:
        return f"**{status} · Not reviewed**."
    text = f"**{status} · {REVIEW_LABELS[review.state]}**{_by_and_on(review)}"
    if is_self_approval(decision):
        text += " (the reviewer is the item's owner)"
    return sentence(text) if not review.comment.strip() else text + ":"


def _by_and_on(review: Review) -> str:
    """' by Dr. Lee, Medical Director, on 2026-12-01', or as much of it as was recorded."""
    text = f" by {inline(review.by)}" if review.by.strip() else ""
    if review.on:
        text += f"{',' if ',' in text else ''} on {review.on.isoformat()}"
    return text


def _approach(item: Item, decision: Decision, context: ClinicalContext) -> str:
    if decision.option == CUSTOM_OPTION:
        return "Custom approach (described in the decision)"
    if not decision.option:
        return "No approach chosen"
    option = item.option(decision.option)
    if option is None:
        return f"Unknown option {inline(decision.option)}"
    if option.caution_for.matches(context):  # a reviewer must see this; "recommended" would be noise
        return f"{inline(option.label)} (the guidance cautions against it for this context)"
    return inline(option.label)


def _references(item: Item, inputs: Inputs) -> list[str]:
    """Where the item's measures and rules are, by number; the rules its decision sets aside."""
    out = []
    parts = []
    if measures := inputs.measures_of(item):
        first, last = measures[0].number, measures[-1].number
        parts.append(
            f"**[Measures](#{anchor(HEADING_KPIS)}):** " + (f"M{first}" if first == last else f"M{first}-M{last}")
        )
    if relied := inputs.baseline.rules_of(item):
        label = "rules" if parts else "Rules"
        parts.append(f"**[{label}](#{anchor(HEADING_BASELINE)}):** {_rule_numbers(relied)}")
    if parts:
        out.append("; ".join(parts) + ".")
    if aside := inputs.baseline.set_aside_for(item):
        out.append(f"**Set aside by this decision:** rules {_rule_numbers(aside)} apply only if the decision changes.")
    return out


def _rule_numbers(rules: list[Rule]) -> str:
    return ", ".join(str(number) for number in sorted(rule.number for rule in rules))
