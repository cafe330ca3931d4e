"""The registers: the compliance baseline, the action plan, the KPI register, open items."""

from __future__ import annotations

import datetime as dt

from wizard.compliance import Rule
from wizard.content import KPI, Item
from wizard.playbook import capacity
from wizard.playbook.outline import (
    HEADING_ACTIONS,
    HEADING_BASELINE,
    HEADING_KPIS,
    HEADING_OPEN,
    LABEL_BY_MONTH,
    Inputs,
    date_or,
    item_link,
    numbers,
)
from wizard.playbook.text import flatten, inline, sentence


def baseline(inputs: Inputs) -> list[str]:
    """Every rule that applies to the design's context, once, numbered, with the items relying on it;
    then, by name, the rules a decision sets aside, which apply only if that decision changes."""
    out = [
        f"## {HEADING_BASELINE}",
        "",
        "Each rule that applies, once, with the items relying on it; item blocks refer to it by number.",
        "",
    ]
    rules = inputs.baseline.rules
    if not rules:
        return [*out, "No compliance rule of the content pack applies to this design.", ""]
    out += [f"{rule.number}. {_rule_text(rule, inputs.today)}" for rule in rules if not rule.is_set_aside]
    aside: dict[tuple[str, ...], tuple[list[Item], list[Rule]]] = {}  # by the items whose decisions set them aside
    for rule in rules:
        if rule.is_set_aside:
            deciding = [rule.set_aside_by] if rule.set_aside_by else [r.item for r in rule.reliances]
            aside.setdefault(tuple(item.id for item in deciding), (deciding, []))[1].append(rule)
    if aside:
        out += ["", "**Set aside by a decision**, so they apply only if it changes:", ""]
    for deciding, set_aside in aside.values():
        named = "; ".join(f"{rule.number} {_rule_title(rule, inputs.today)}" for rule in set_aside)
        out.append(f"- By {numbers(deciding)}: {named}.")
    return [*out, ""]


def _rule_title(rule: Rule, today: dt.date) -> str:
    """A rule's title, with its date when it is temporary."""
    title = inline(rule.title)
    if rule.temporary and rule.confirmed_through is not None:
        passed = ", which has passed" if rule.confirmed_through < today else ""
        title += f" (temporary, confirmed through {rule.confirmed_through.isoformat()}{passed})"
    return title


def _rule_text(rule: Rule, today: dt.date) -> str:
    """A relied-on rule's line: its date for a temporary rule, statement, citation, and the items
    relying on it (and any whose decision sets it aside)."""
    text = f"{inline(sentence(flatten(rule.statement)))} ({inline(rule.citation)})"
    if rule.temporary:
        through = rule.confirmed_through
        when = f"confirmed through {through.isoformat()}" if through else "no confirmation date recorded"
        if through is not None and through < today:
            when += ", which has passed"
        text = f"**Temporary, {when}: check before use.** {text}"
    relied = [reliance.item for reliance in rule.reliances if not reliance.set_aside]
    aside = [reliance.item for reliance in rule.reliances if reliance.set_aside]
    text += f" Items: {numbers(relied)}"
    if aside:
        text += f"; set aside by the decision of {numbers(aside)}"
    return text + "."


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
        "**By owner**, with due dates:",
        "",
    ]
    for owner, items in sorted(by_owner.items(), key=lambda pair: (-len(pair[1]), pair[0].lower())):
        out.append(f"- **{inline(owner)}:** {_with_dates(items, inputs)}")
    if no_owner:
        out.append(f"- **No owner yet:** {numbers(no_owner)}")
    months = "; ".join(f"{month or 'no due date'}: {len(items)}" for month, items in months_due(inputs).items())
    return [*out, "", LABEL_BY_MONTH, "", f"Items due: {months}." if months else "No items are due.", ""]


def months_due(inputs: Inputs) -> dict[str, list[Item]]:
    """Items not marked not applicable by the month they are due ("2027-01"), earliest first; "" for
    items with no due date, last."""
    by_month: dict[str, list[Item]] = {}
    for item in inputs.pack.items:
        decision = inputs.design.decision(item.id)
        if decision.status == "not-applicable":
            continue
        month = f"{decision.due.year:04d}-{decision.due.month:02d}" if decision.due else ""
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
    """Every measure the design commits to, once, under its item, with the pack's definition where the
    measure came from the pack."""
    out = [f"## {HEADING_KPIS}", ""]
    if not inputs.measures:
        return [*out, "No measures recorded yet.", "", *capacity.register_lines(inputs)]
    out += ["Each measure and its target as the team wrote it, by item.", ""]
    for item in inputs.pack.items:
        if measures := inputs.measures_of(item):
            shown = "; ".join(_measure(measure.number, measure.text, item) for measure in measures)
            out.append(f"- {item_link(item)}: {shown}")
    return [*out, "", *capacity.register_lines(inputs)]


def _measure(number: int, text: str, item: Item) -> str:
    kpi = pack_kpi(text, item)
    definition = f" (definition: {inline(sentence(flatten(kpi.definition)))})" if kpi else ""
    return f"**M{number}** {inline(text)}{definition}"


def open_items(inputs: Inputs) -> list[str]:
    """Items still open or drafting, with owner and due date, and review comments that asked for changes."""
    design, pack = inputs.design, inputs.pack
    out = [f"## {HEADING_OPEN}", ""]
    shown = []
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status in ("open", "drafting"):
            parts: list[str] = [decision.status] if decision.owner.strip() else [decision.status, "no owner"]
            if decision.due:
                parts.append(f"due {decision.due.isoformat()}" + (" (overdue)" if decision.due < inputs.today else ""))
            shown.append(f"{item_link(item)} ({', '.join(parts)})")
    if shown:
        out.append(f"**Still open or in drafting ({len(shown)}):** {'; '.join(shown)}.")
    else:
        out.append("No items are open: every item is decided or marked not applicable.")
    comments = []
    for item in pack.items:
        review = design.decision(item.id).review
        if review is not None and review.state == "changes-requested":
            by_on = ", ".join(part for part in (inline(review.by), date_or(review.on, "")) if part)
            comments.append(f"{item_link(item)}{f' ({by_on})' if by_on else ''}")
    listed = f"changes requested on {'; '.join(comments)}." if comments else "none."
    return [*out, "", f"**Unresolved review comments** (each quoted under its item): {listed}", ""]
