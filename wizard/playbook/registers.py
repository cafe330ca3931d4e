"""The registers: the compliance baseline, the action plan, the KPI register, open items."""

from __future__ import annotations

import datetime as dt
import re

from wizard.compliance import Rule
from wizard.content import KPI, Item
from wizard.playbook import capacity
from wizard.playbook.outline import (
    HEADING_ACTIONS,
    HEADING_BASELINE,
    HEADING_KPIS,
    HEADING_OPEN,
    LABEL_BY_MONTH,
    STATUS_LABELS,
    Inputs,
    date_or,
    item_link,
    numbers,
)
from wizard.playbook.text import cell, flatten, inline, sentence, table

_TEMPORARY_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?] ))"  # a whole sentence: at the start, or after another one
    r"(?:(?:temporary|(?:this|the) (?:rule|exclusion|flexibility|waiver) is temporary|it is temporary)\s*[:;,-]?\s*)?"
    r"check before use\.(?= |$)",
    re.IGNORECASE,
)
_TEMPORARY_PREFIX = re.compile(r"^temporary\s*:\s*", re.IGNORECASE)


def plain_statement(rule: Rule) -> str:
    """A temporary rule's statement without the sentence that only says "temporary: check before use"
    (the baseline's own label says it). Whole sentences only: text in mid-sentence is never cut."""
    text = flatten(rule.statement)
    if not rule.temporary:
        return text
    text = _TEMPORARY_SENTENCE.sub("", text).strip()
    text = _TEMPORARY_PREFIX.sub("", text)
    return text[:1].upper() + text[1:]


def baseline(inputs: Inputs) -> list[str]:
    """Every rule that applies to the design's context, once, numbered, with the items relying on it."""
    out = [
        f"## {HEADING_BASELINE}",
        "",
        "Each rule that applies to this context, stated once; the items refer to it by number. "
        "Temporary rules carry the date through which they were last confirmed: check them before use.",
        "",
    ]
    if not inputs.baseline.rules:
        return [*out, "No compliance rule of the content pack applies to this design.", ""]
    for rule in inputs.baseline.rules:
        out.append(f"{rule.number}. {_rule_text(rule, inputs.today)}")
    return [*out, ""]


def _rule_text(rule: Rule, today: dt.date) -> str:
    text = inline(sentence(plain_statement(rule)))
    if rule.status:
        text += f" {inline(sentence(flatten(rule.status)))}"
    text += f" ({inline(rule.citation)})"
    if rule.temporary:
        through = rule.confirmed_through
        when = f"confirmed through {through.isoformat()}" if through else "no confirmation date recorded"
        if through is not None and through < today:
            when += ", which has passed"
        text = f"**Temporary, {when}: check before use.** {text}"
    items = [
        item_link(reliance.item) + (" (only if its decision changes)" if reliance.set_aside else "")
        for reliance in rule.reliances
    ]
    return f"{text} Items: {', '.join(items)}."


def action_plan(inputs: Inputs) -> list[str]:
    """Every item's owner and due date, grouped by owner and by month; what has no owner."""
    design, pack = inputs.design, inputs.pack
    active = [item for item in pack.items if design.status_of(item.id) != "not-applicable"]
    by_owner: dict[str, list[Item]] = {}
    no_owner: list[Item] = []
    for item in active:
        owner = flatten(design.decision(item.id).owner)
        if owner:
            by_owner.setdefault(owner, []).append(item)
        else:
            no_owner.append(item)
    out = [
        f"## {HEADING_ACTIONS}",
        "",
        "Who puts each decision in place, and by when (items not applicable left out).",
        "",
        "**By owner:**",
        "",
    ]
    for owner, items in sorted(by_owner.items(), key=lambda pair: (-len(pair[1]), pair[0].lower())):
        out.append(f"- **{inline(owner)}:** {_with_dates(items, inputs)}")
    if no_owner:
        out.append(f"- **No owner yet:** {numbers(no_owner)}")
    out += ["", LABEL_BY_MONTH, ""]
    for month, items in months_due(inputs).items():
        label = month or "No due date"
        out.append(f"- **{label}:** {numbers(items)}")
    return [*out, ""]


def months_due(inputs: Inputs) -> dict[str, list[Item]]:
    """Items not marked not applicable by the month they are due ("2027-01"), earliest first; "" for
    items with no due date, last."""
    by_month: dict[str, list[Item]] = {}
    for item in inputs.pack.items:
        decision = inputs.design.decision(item.id)
        if decision.status == "not-applicable":
            continue
        month = decision.due.strftime("%Y-%m") if decision.due else ""
        by_month.setdefault(month, []).append(item)
    return dict(sorted(by_month.items(), key=lambda pair: (pair[0] == "", pair[0])))


def _with_dates(items: list[Item], inputs: Inputs) -> str:
    parts = []
    for item in items:
        decision = inputs.design.decision(item.id)
        due = date_or(decision.due, "no date")
        if decision.status in ("open", "drafting"):
            due += f", {decision.status}"
        parts.append(f"{item_link(item)} ({due})")
    return ", ".join(parts)


def pack_kpi(text: str, item: Item) -> KPI | None:
    """The pack's KPI a measure came from: its text is the KPI's name, alone or followed by a colon
    (what the wizard's "Insert suggested KPIs" writes)."""
    flat = flatten(text).lower()
    for kpi in item.kpis:
        name = flatten(kpi.name).lower()
        if flat == name or flat.startswith(name + ":"):
            return kpi
    return None


def kpi_register(inputs: Inputs) -> list[str]:
    """Every measure the design commits to, once: its item, and the pack's definition where the
    measure came from the pack."""
    rows = []
    for measure in inputs.measures:
        kpi = pack_kpi(measure.text, measure.item)
        shown = cell(measure.text) + (f" (definition: {cell(sentence(flatten(kpi.definition)))})" if kpi else "")
        rows.append([f"M{measure.number}", shown, item_link(measure.item)])
    out = [f"## {HEADING_KPIS}", ""]
    if not rows:
        return [*out, "No measures recorded yet.", "", *capacity.register_lines(inputs)]
    intro = "Every measure the decisions commit to, with its target, as the team wrote it."
    return [*out, intro, "", *table(["No.", "Measure and target", "Item"], rows), "", *capacity.register_lines(inputs)]


def open_items(inputs: Inputs) -> list[str]:
    """Items still open or drafting, and review comments that asked for changes."""
    design, pack = inputs.design, inputs.pack
    out = [f"## {HEADING_OPEN}", ""]
    rows = []
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status in ("open", "drafting"):
            due = date_or(decision.due, "-")
            if decision.due and decision.due < inputs.today:
                due += " (overdue)"
            owner = cell(decision.owner) if decision.owner.strip() else "-"
            rows.append([item_link(item), cell(item.title), STATUS_LABELS[decision.status], owner, due])
    if rows:
        noun = "item is" if len(rows) == 1 else "items are"
        out += [
            f"{len(rows)} {noun} still open or in drafting:",
            "",
            *table(["No.", "Item", "Status", "Owner", "Due"], rows),
        ]
    else:
        out.append("No items are open: every item is decided or marked not applicable.")
    out += ["", "**Unresolved review comments** (quoted under each item):", ""]
    comments = []
    for item in pack.items:
        review = design.decision(item.id).review
        if review is not None and review.state == "changes-requested":
            by = f" by {inline(review.by)}" if review.by.strip() else ""
            on = f" on {review.on.isoformat()}" if review.on else ""
            comments.append(f"- {item_link(item, with_title=True)}: changes requested{by}{on}.")
    return [*out, *(comments or ["None."]), ""]
