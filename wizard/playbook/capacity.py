"""The capacity calculators in the playbook: their block under each item, and the targets they plan for
in the KPI register.

Results are computed from the inputs the design stores, at every export (never read from the file).
Everything written here is figures and fixed words: no user text, so nothing needs escaping.
"""

from __future__ import annotations

from wizard.capacity import (
    CapacityInputs,
    Overbooking,
    QueueStaffing,
    Result,
    calculate,
    result_markdown,
)
from wizard.capacity.describe import METHOD_NAMES, minutes, percent, plural
from wizard.capacity.inputs import show
from wizard.playbook.outline import Inputs, item_link
from wizard.playbook.text import table
from wizard.project import Decision

LABEL_TARGETS = "**Targets the capacity calculators plan for** (method, inputs and results under each item):"
TARGETS_HEADER = ["Target", "Planned to meet it", "Item"]


def results(capacity: CapacityInputs | None) -> list[Result]:
    """The results of every calculator whose inputs the decision stores, in a fixed order."""
    if capacity is None:
        return []
    stored = (capacity.queue, capacity.panel, capacity.overbook)
    return [calculate(inputs) for inputs in stored if inputs is not None]


def item_block(decision: Decision) -> list[str]:
    """The lines of an item's capacity blocks (method, inputs, results), each followed by a blank line."""
    out: list[str] = []
    for result in results(decision.capacity):
        out += [*result_markdown(result).rstrip("\n").split("\n"), ""]
    return out


def target_row(result: Result) -> tuple[str, str] | None:
    """A result's target and what is planned to meet it, or None for a calculator that sets no target
    (the panel size is a capacity, not a measure)."""
    method = METHOD_NAMES[result.method]
    if isinstance(result, QueueStaffing):
        inputs = result.inputs
        target = f"{percent(inputs.target)} of patients answered within {minutes(inputs.answer_within)}"
        if not result.is_day:
            row = result.hours[0]
            plan = (
                f"{plural(row.clinicians, 'clinician', 'clinicians')} on shift, {row.scheduled} scheduled, "
                f"for {show(row.arrivals_per_hour)} arrivals an hour"
            )
            return target, f"{plan} ({method})"
        staffed = [row for row in result.hours if row.clinicians]
        low, high = min(row.clinicians for row in staffed), max(row.clinicians for row in staffed)
        on_shift = sum(row.clinicians for row in result.hours)
        scheduled = sum(row.scheduled for row in result.hours)
        plan = f"{low} to {high} clinicians on shift by hour, {on_shift} clinician-hours a day, {scheduled} scheduled"
        return f"{target}, in every hour with arrivals", f"{plan} ({method})"
    if isinstance(result, Overbooking):
        booking = result.inputs
        target = f"At most {percent(booking.overflow_risk)} of sessions with more patients than slots"
        plan = (
            f"{plural(result.extra_bookings, 'extra booking', 'extra bookings')} on "
            f"{plural(booking.slots, 'slot', 'slots')} at a {percent(booking.no_show_rate)} no-show rate ({method})"
        )
        return target, plan
    return None


def register_lines(inputs: Inputs) -> list[str]:
    """The KPI register's list of targets the calculators plan for (none: no lines). Items marked not
    applicable commit to nothing, as with the team's own measures."""
    rows = []
    for item in inputs.pack.items:
        decision = inputs.design.decision(item.id)
        if decision.status == "not-applicable":
            continue
        for result in results(decision.capacity):
            if (row := target_row(result)) is not None:
                rows.append([*row, item_link(item)])
    if not rows:
        return []
    return [LABEL_TARGETS, "", *table(TARGETS_HEADER, rows), ""]
