"""Results in words: one plain-English sentence for a decision's rationale, a Markdown block for the
playbook (method, inputs, results; a per-hour table for the queue), and the lines the command prints.

Every text is made from a result, and every result from its inputs, each time: nothing here is stored.
"""

from __future__ import annotations

from wizard.capacity.inputs import show
from wizard.capacity.overbooking import Overbooking
from wizard.capacity.panel import PanelSize
from wizard.capacity.queue import QueueHour, QueueStaffing

Result = QueueStaffing | PanelSize | Overbooking

METHOD_NAMES = {
    "erlang-c": "Erlang C",
    "panel": "visits offered over visits needed",
    "binomial": "binomial no-shows",
}
"""How the playbook and the sentences name each method."""


def percent(share: float) -> str:
    """A share as a percentage to one decimal, without a trailing .0: 0.8 -> 80%, 0.9378 -> 93.8%."""
    text = f"{share * 100:.1f}"
    return (text.removesuffix(".0") if text.endswith(".0") else text) + "%"


def minutes(value: float) -> str:
    """Minutes to one decimal: 1.77 -> 1.8 minutes, 1 -> 1 minute."""
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} minute" + ("" if text == "1" else "s")


def hour_label(hour: int | None) -> str:
    """00:00 to 23:00; 'any hour' for a single figure."""
    return "any hour" if hour is None else f"{hour:02d}:00"


def plural(count: int, one: str, many: str) -> str:
    """``1 clinician``, ``5 clinicians``."""
    return f"{count} {one if count == 1 else many}"


def _target(staffing: QueueStaffing) -> str:
    inputs = staffing.inputs
    return f"{percent(inputs.target)} of patients answered within {minutes(inputs.answer_within)}"


def _queue_sentence(staffing: QueueStaffing) -> str:
    inputs = staffing.inputs
    shrink = f"{percent(inputs.shrinkage)} shrinkage"
    if not staffing.is_day:
        row = staffing.hours[0]
        return (
            f"By Erlang C, at {show(row.arrivals_per_hour)} arrivals an hour and "
            f"{show(inputs.handle_minutes)}-minute visits, {plural(row.clinicians, 'clinician', 'clinicians')} "
            f"on shift answer {percent(row.service_level)} within {minutes(inputs.answer_within)} "
            f"(target {percent(inputs.target)}; average wait {minutes(row.average_wait_minutes)}, "
            f"occupancy {percent(row.occupancy)}), so {row.scheduled} scheduled after {shrink}."
        )
    busiest = staffing.busiest
    staffed = [row for row in staffing.hours if row.clinicians]
    on_shift = sum(row.clinicians for row in staffing.hours)
    scheduled = sum(row.scheduled for row in staffing.hours)
    return (
        f"By Erlang C, with {show(inputs.handle_minutes)}-minute visits and {_target(staffing)}, the day needs "
        f"{min(row.clinicians for row in staffed)} to {busiest.clinicians} clinicians on shift in the "
        f"{len(staffed)} hours with arrivals (the most at {hour_label(busiest.hour)}, for "
        f"{show(busiest.arrivals_per_hour)} arrivals an hour): {on_shift} clinician-hours on shift, "
        f"{scheduled} scheduled after {shrink}."
    )


def _panel_sentence(panel: PanelSize) -> str:
    inputs = panel.inputs
    return (
        f"At {show(inputs.visits_per_day)} visits a day on {show(inputs.days_per_year)} days a year "
        f"({show(panel.visits_per_year)} visits) and {show(inputs.visits_per_patient_year)} visits per "
        f"patient a year, one clinician can carry a panel of {plural(panel.panel_size, 'patient', 'patients')}."
    )


def _overbook_sentence(result: Overbooking) -> str:
    inputs = result.inputs
    return (
        f"With {show(inputs.slots)} slots and a {percent(inputs.no_show_rate)} no-show rate, booking "
        f"{result.extra_bookings} extra ({inputs.slots + result.extra_bookings} in all) keeps the chance that "
        f"more patients come than there are slots at {percent(result.overflow_probability)}, within the accepted "
        f"{percent(inputs.overflow_risk)}; one more would raise it to {percent(result.next_overflow_probability)}."
    )


def result_sentence(result: Result) -> str:
    """One plain-English sentence of a result, for the lead to insert into a rationale."""
    if isinstance(result, QueueStaffing):
        return _queue_sentence(result)
    if isinstance(result, PanelSize):
        return _panel_sentence(result)
    return _overbook_sentence(result)


def queue_table(staffing: QueueStaffing) -> tuple[list[str], list[list[str]]]:
    """The queue's per-hour table: its header and rows (an hour column only for a day's profile)."""
    within = f"in {show(staffing.inputs.answer_within)} min"
    header = ["arrivals", "on shift", "scheduled", within, "any wait", "avg wait", "occupancy"]
    rows = [_queue_cells(row) for row in staffing.hours]
    if staffing.is_day:
        header = ["hour", *header]
        rows = [[hour_label(row.hour), *cells] for row, cells in zip(staffing.hours, rows, strict=True)]
    return header, rows


def _queue_cells(row: QueueHour) -> list[str]:
    if row.clinicians == 0:
        return [show(row.arrivals_per_hour), "0", "0", "-", "-", "-", "-"]
    return [
        show(row.arrivals_per_hour),
        str(row.clinicians),
        str(row.scheduled),
        percent(row.service_level),
        percent(row.wait_probability),
        f"{row.average_wait_minutes:.1f} min",
        percent(row.occupancy),
    ]


def inputs_line(result: Result) -> str:
    """The inputs, in words, on one line."""
    if isinstance(result, QueueStaffing):
        inputs = result.inputs
        arrivals = (
            f"{show(inputs.arrivals[0])} arrivals an hour"
            if not result.is_day
            else "arrivals for each hour of the day (table)"
        )
        return (
            f"{arrivals}; average handle time {minutes(inputs.handle_minutes)}; target {_target(result)}; "
            f"shrinkage {percent(inputs.shrinkage)}"
        )
    if isinstance(result, PanelSize):
        panel = result.inputs
        return (
            f"{show(panel.visits_per_day)} visits a day; {show(panel.days_per_year)} days a year; "
            f"{show(panel.visits_per_patient_year)} visits per patient a year"
        )
    booking = result.inputs
    return (
        f"{show(booking.slots)} slots; no-show rate {percent(booking.no_show_rate)}; "
        f"accepted overflow risk {percent(booking.overflow_risk)}"
    )


_TITLES = {"erlang-c": "Queue staffing", "panel": "Panel size", "binomial": "Overbooking"}


def result_markdown(result: Result) -> str:
    """A Markdown block for the playbook: the method named, the inputs, the results (a table for the queue).

    No headings (the playbook places the block under its item); only figures and fixed words, so
    nothing in it needs escaping.
    """
    lines = [
        f"**Capacity, {_TITLES[result.method].lower()} ({METHOD_NAMES[result.method]}):**",  # a label, as Rationale: is
        "",
        f"- Inputs: {inputs_line(result)}.",
        f"- Result: {result_sentence(result)}",
    ]
    if isinstance(result, QueueStaffing):
        header, rows = queue_table(result)
        lines += [
            "",
            "| " + " | ".join(header) + " |",
            "| " + " | ".join("---" for _ in header) + " |",
            *("| " + " | ".join(cells) + " |" for cells in rows),
        ]
    return "\n".join(lines) + "\n"


def result_lines(result: Result, width: int = 80) -> list[str]:
    """What ``telewizard capacity ...`` prints: the method and inputs, the queue's table, and the result,
    the words wrapped to ``width`` columns (the table fits 80)."""
    import textwrap

    lines = [*textwrap.wrap(f"{_TITLES[result.method]} ({METHOD_NAMES[result.method]}): {inputs_line(result)}", width)]
    lines.append("")
    if isinstance(result, QueueStaffing):
        header, rows = queue_table(result)
        widths = [max(len(cells[i]) for cells in [header, *rows]) for i in range(len(header))]
        for cells in [header, *rows]:
            lines.append("  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())
        lines.append("")
    lines += textwrap.wrap(result_sentence(result), width)
    return lines
