"""One block per checklist item: status and review first, then the decision in the team's words.

Every field the design team wrote is here, once: the summary, rationale, measures, notes, owner and
the reviewer's comment. Rules are referred to by their number in the compliance baseline.
"""

from __future__ import annotations

from wizard.attention import TITLES, is_self_approval
from wizard.compliance import Rule
from wizard.content import Item
from wizard.playbook import capacity
from wizard.playbook.outline import HEADING_BASELINE, HEADING_KPIS, REVIEW_LABELS, STATUS_LABELS, Inputs, date_or
from wizard.playbook.text import anchor, flatten, inline, quote_block, sentence, text_or
from wizard.project import CUSTOM_OPTION, ClinicalContext, Decision, Review


def section_lines(inputs: Inputs) -> list[str]:
    """One `##` per section of the pack and one `###` per item, in content order."""
    out: list[str] = []
    for section in inputs.pack.sections:
        out += [f"## {inline(section.number)} {inline(section.title)}", ""]
        for item in section.items:
            out += item_lines(item, inputs)
    return out


HARD_BREAK = "\\\n"
"""A backslash at the end of a line: the facts of an item print one to a line, as one paragraph."""


def item_lines(item: Item, inputs: Inputs) -> list[str]:
    """The block of one item: heading, badge, the review comment, what needs attention, then the facts
    (approach, decision, topics covered, owner and due date with the numbers of its measures and rules),
    what the pack says about those rules for this item, rationale and notes."""
    decision = inputs.design.decision(item.id)
    badge = _badge(decision)
    if item.id in inputs.versions.changed:
        badge = f"**Changed since version {inputs.versions.version}.** {badge}"
    out = [f"### {inline(item.number)} {inline(item.title)}", "", badge, ""]
    if decision.review is not None and (comment := quote_block(decision.review.comment)):
        out += [*comment, ""]
    flagged = [c for c in inputs.concerns_of(item) if c.kind in ("placeholder", "no-owner", "due")]
    if flagged:  # the badge already says changes requested and who approved
        flags = "; ".join(inline(c.detail) if c.detail else TITLES[c.kind].lower() for c in flagged)
        out += [f"**Needs attention:** {flags}.", ""]
    facts = _facts(item, decision, inputs)
    out += [HARD_BREAK.join(facts), ""]
    if specifics := _specifics(item, inputs):
        out += [*(f"- Rule {rule.number}: {inline(sentence(flatten(text)))}" for rule, text in specifics), ""]
    if rationale := quote_block(decision.rationale):
        out += ["**Rationale:**", "", *rationale, ""]
    out += capacity.item_block(decision)
    if notes := quote_block(decision.notes):
        out += ["**Notes:**", "", *notes, ""]
    return out


def _facts(item: Item, decision: Decision, inputs: Inputs) -> list[str]:
    """The lines of the item's facts paragraph (the block prints them with hard line breaks)."""
    facts = []
    if decision.is_blank():
        facts.append("No decision has been recorded yet.")
    else:
        summary = text_or(decision.summary, "Not recorded")
        if decision.status == "not-applicable":
            if decision.option:
                facts.append(f"**Approach:** {_approach(item, decision, inputs.design.context)}")
            facts.append(f"**Why not applicable:** {summary}")
        else:  # the chosen approach leads its decision: "**On-demand queue with per-diem logins:** Nurse..."
            facts.append(f"{_approach_lead(item, decision, inputs.design.context)} {summary}")
    if covered := inputs.covered_by(item):
        facts.append(f"**Safety net:** {'; '.join(inline(topic.title) for topic in covered)}.")
    numbers = _numbers(item, inputs)
    if not decision.is_blank() and (decision.status != "not-applicable" or decision.owner.strip() or decision.due):
        owner = f"**Owner:** {text_or(decision.owner, 'Not assigned')}; **due:** {date_or(decision.due, 'no due date')}"
        facts.append(f"{owner}. {numbers}" if numbers else owner)
    elif numbers:
        facts.append(numbers)
    if aside := inputs.baseline.set_aside_by_decision_of(item):
        facts.append(f"**Set aside by this decision:** rules {_rule_numbers(aside)}; they apply only if it changes.")
    return facts


def _numbers(item: Item, inputs: Inputs) -> str:
    """Where the item's measures and rules are, by number: '**Measures:** M4-M6; **rules:** 2, 3.'"""
    parts = []
    if measures := inputs.measures_of(item):
        first, last = measures[0].number, measures[-1].number
        parts.append(
            f"**[Measures](#{anchor(HEADING_KPIS)}):** " + (f"M{first}" if first == last else f"M{first}-M{last}")
        )
    if relied := inputs.baseline.rules_of(item):
        label = "rules" if parts else "Rules"
        parts.append(f"**[{label}](#{anchor(HEADING_BASELINE)}):** {_rule_numbers(relied)}")
    return "; ".join(parts) + "." if parts else ""


def _badge(decision: Decision) -> str:
    """The status and review line at the top of the item."""
    review = decision.review
    status = STATUS_LABELS[decision.status]
    if review is None:
        return f"**{status}**."  # as in the summary; the full stop: a line of bold alone reads as a heading
    text = f"**{status}, {REVIEW_LABELS[review.state].lower()}**{_by_and_on(review)}"
    if is_self_approval(decision):
        text += " (self-approved)"
    if review.comment.strip():
        return text + ":"
    return text + "." if text.endswith(")") else sentence(text)  # sentence() takes ")" for an end


def _by_and_on(review: Review) -> str:
    """' by Dr. Lee, Medical Director, on 2026-12-01', or as much of it as was recorded."""
    text = f" by {inline(review.by)}" if review.by.strip() else ""
    if review.on:
        text += f"{',' if ',' in text else ''} on {review.on.isoformat()}"
    return text


def _chosen(item: Item, decision: Decision, context: ClinicalContext) -> tuple[str, str]:
    """The chosen option's label ("" when there is none to name) and what a reviewer must know of the
    choice: no approach, a custom one, an unknown id, or the guidance cautioning against it here."""
    if decision.option == CUSTOM_OPTION:
        return "", "a custom approach"
    if not decision.option:
        return "", "no approach chosen"
    option = item.option(decision.option)
    if option is None:
        return "", f"unknown option {inline(decision.option)}"
    cautioned = option.caution_for.matches(context)  # a reviewer must see this; "recommended" would be noise
    return inline(option.label), "the guidance cautions against it for this context" if cautioned else ""


def _approach(item: Item, decision: Decision, context: ClinicalContext) -> str:
    """The approach as a value: "On-demand queue", "On-demand queue (the guidance cautions...)", "A custom approach"."""
    label, remark = _chosen(item, decision, context)
    if not label:
        return remark[:1].upper() + remark[1:]
    return f"{label} ({remark})" if remark else label


def _approach_lead(item: Item, decision: Decision, context: ClinicalContext) -> str:
    """The run-in label of a decision: the option it chose, in bold, or "Decision" and why there is none."""
    label, remark = _chosen(item, decision, context)
    name = label or "Decision"
    return f"**{name}** ({remark}):" if remark else f"**{name}:**"


def _specifics(item: Item, inputs: Inputs) -> list[tuple[Rule, str]]:
    return sorted(inputs.baseline.specifics_of(item), key=lambda pair: pair[0].number)


def _rule_numbers(rules: list[Rule]) -> str:
    """Rule numbers in order, a run of three or more as a range: "2, 5-8, 12"."""
    runs: list[list[int]] = []
    for number in sorted(rule.number for rule in rules):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = []
    for run in runs:
        parts += [f"{run[0]}-{run[-1]}"] if len(run) >= 3 else [str(number) for number in run]
    return ", ".join(parts)
