"""The capacity form's figures as the lead types them, read into the core's input models (no Textual).

What the fields hold is read by ``read_form``: blank, text that is not a number and figures the
calculator refuses each become one line naming the field as the form labels it. Shares (target,
shrinkage, no-show rate, overflow risk) are typed as percentages and stored as the design file and the
command line hold them, shares from 0 to 1: 80 is stored as 0.8, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import ValidationError

from wizard.capacity import (
    INPUT_MODELS,
    Calculator,
    CapacityInputs,
    Overbooking,
    OverbookInputs,
    PanelInputs,
    PanelSize,
    QueueInputs,
    QueueStaffing,
    Result,
    describe_errors,
)
from wizard.capacity.describe import hour_label, percent, plural
from wizard.capacity.inputs import show

Inputs = QueueInputs | PanelInputs | OverbookInputs
FieldKind = Literal["number", "count", "percent"]

TITLES: dict[Calculator, str] = {
    "queue": "Queue staffing (Erlang C)",
    "panel": "Panel size",
    "overbook": "Overbooking (binomial no-shows)",
}
"""Each calculator's name, as the calculator's title says it."""
SHORT_TITLES: dict[Calculator, str] = {"queue": "Queue staffing", "panel": "Panel size", "overbook": "Overbooking"}
"""Each calculator's name on the line beside the decision (narrow at 80 columns)."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class FieldSpec:
    """One figure of a calculator's form (the arrivals excepted)."""

    name: str
    """The input model's field."""
    label: str
    unit: str
    kind: FieldKind
    placeholder: str
    required: bool = True
    """A blank optional field takes the model's default (no shrinkage)."""
    percent_rule: str = ""
    """For a percentage: the range it must be in, in words, said whenever the figure is refused."""


FIELDS: dict[Calculator, tuple[FieldSpec, ...]] = {
    "queue": (
        FieldSpec("handle_minutes", "Visit length", "min", "number", "15"),
        FieldSpec("answer_within", "Answer within", "min", "number", "10"),
        FieldSpec("target", "Answered in time", "%", "percent", "80", percent_rule="a percent above 0 and below 100"),
        FieldSpec(
            "shrinkage",
            "Shrinkage",
            "%",
            "percent",
            "30",
            required=False,
            percent_rule="a percent from 0 to below 100",
        ),
    ),
    "panel": (
        FieldSpec("visits_per_day", "Visits a day", "", "number", "20"),
        FieldSpec("days_per_year", "Days a year", "", "number", "220"),
        FieldSpec("visits_per_patient_year", "Visits/patient/yr", "", "number", "3.2"),
    ),
    "overbook": (
        FieldSpec("slots", "Slots", "", "count", "20"),
        FieldSpec("no_show_rate", "No-show rate", "%", "percent", "15", percent_rule="a percent from 0 to 99"),
        FieldSpec(
            "overflow_risk", "Overflow risk", "%", "percent", "5", percent_rule="a percent above 0 and below 100"
        ),
    ),
}
"""The figures of each form, in the order the form shows them."""


class FormProblem(ValueError):
    """What the form holds cannot be read into the calculator's inputs: one line naming the field.

    ``missing`` marks a figure not typed yet (the form shows it as the next step, not as an error)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def parse_figure(text: str) -> Decimal | None:
    """A typed figure as a decimal (None when blank); FormProblem names what is wrong, without the field."""
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise FormProblem(f"{text!r} is not a number")
    return Decimal(text)


def figure_value(kind: FieldKind, figure: Decimal) -> float | int:
    """The value the model takes: a share for a percentage (the decimal typed, divided exactly), an int
    for a whole count (a count with decimals is left a float, for the model to refuse)."""
    if kind == "percent":
        return float(figure / 100)
    if kind == "count" and figure == figure.to_integral_value():
        return int(figure)
    return float(figure)


def figure_text(kind: FieldKind, value: float | int) -> str:
    """A stored value as the form shows it: 0.8 as 80 for a percentage, 15.0 as 15."""
    if kind == "percent":
        shown = Decimal(repr(float(value))) * 100
        return format(shown.normalize(), "f")
    return show(value)


def read_form(calculator: Calculator, figures: Mapping[str, str], arrivals: Sequence[str] | None = None) -> Inputs:
    """The calculator's inputs from the text of its fields (``arrivals``: the queue's one figure or 24,
    where a blank hour is 0). FormProblem, one line naming the field, when they cannot be read."""
    specs = FIELDS[calculator]
    values: dict[str, object] = {}
    for spec in specs:
        try:
            figure = parse_figure(figures.get(spec.name, ""))
        except FormProblem as problem:
            raise FormProblem(f"{spec.label}: {problem}") from None
        if figure is None:
            if spec.required:
                raise FormProblem(f"{spec.label}: enter a figure (e.g. {spec.placeholder})", missing=True)
            continue
        values[spec.name] = figure_value(spec.kind, figure)
    if calculator == "queue":  # read after the figures above it on the form, so the first problem shown is the top one
        values["arrivals"] = _read_arrivals(arrivals or [""])
    try:
        return INPUT_MODELS[calculator].model_validate(values)
    except ValidationError as exc:
        raise FormProblem(_first_problem(calculator, exc, values, len(arrivals or []))) from None


def _read_arrivals(texts: Sequence[str]) -> list[float]:
    day = len(texts) > 1
    figures = []
    for hour, text in enumerate(texts):
        try:
            figure = parse_figure(text)
        except FormProblem as problem:
            raise FormProblem(f"{_arrivals_label(hour if day else None)}: {problem}") from None
        if figure is None and not day:
            raise FormProblem("Arrivals an hour: enter a figure (e.g. 12)", missing=True)
        if figure is not None and figure < 0:  # said here, where the hour is known (the model checks the list)
            raise FormProblem(f"{_arrivals_label(hour if day else None)}: must not be negative (got {text.strip()})")
        figures.append(float(figure or 0))
    if day and not any(text.strip() for text in texts):
        raise FormProblem(
            "Arrivals: type each hour's figure in the table, Enter for the next (a blank hour is 0)",
            missing=True,
        )
    return figures


def _arrivals_label(hour: int | None) -> str:
    return "Arrivals an hour" if hour is None else f"Arrivals at {hour_label(hour)}"


def _first_problem(calculator: Calculator, exc: ValidationError, values: Mapping[str, object], hours: int) -> str:
    """The first of the model's problems, the field named as the form labels it."""
    specs = {spec.name: spec for spec in FIELDS[calculator]}

    def place(loc: Sequence[int | str]) -> str:
        name = str(loc[0]) if loc else ""
        if name == "arrivals":
            index = next((part for part in loc[1:] if isinstance(part, int)), None)
            if hours > 1 and index is None:
                return "Arrivals"  # the day as a whole
            return _arrivals_label(index if hours > 1 else None)
        return specs[name].label if name in specs else name

    order = [*specs, "arrivals"]

    def form_position(error: object) -> int:
        loc = error["loc"]  # type: ignore[index]
        return order.index(loc[0]) if loc and loc[0] in order else len(order)

    errors = exc.errors()
    index = min(range(len(errors)), key=lambda i: form_position(errors[i]))
    name = str(errors[index]["loc"][0]) if errors[index]["loc"] else ""
    spec = specs.get(name)
    if spec is not None and spec.kind == "percent":
        value = values.get(name)
        typed = figure_text("percent", value) if isinstance(value, float | int) else "?"
        return f"{spec.label}: must be {spec.percent_rule} (got {typed})"
    return describe_errors(exc, place)[index]


def stored_inputs(capacity: CapacityInputs | None, calculator: Calculator) -> Inputs | None:
    """A calculator's inputs as the decision stores them (None when it has none)."""
    if capacity is None:
        return None
    inputs: Inputs | None = getattr(capacity, calculator)
    return inputs


def with_inputs(
    capacity: CapacityInputs | None, calculator: Calculator, inputs: Inputs | None
) -> CapacityInputs | None:
    """The decision's capacity table with one calculator's inputs replaced (None removes them; an
    empty table is no table)."""
    tables = {name: stored_inputs(capacity, name) for name in TITLES}
    tables[calculator] = inputs
    if all(value is None for value in tables.values()):
        return None
    return CapacityInputs.model_validate(tables)


def headline(result: Result) -> str:
    """A result in a few words, for the line beside the item's decision."""
    if isinstance(result, QueueStaffing):
        if not result.is_day:
            row = result.hours[0]
            return f"{row.clinicians} on shift, {row.scheduled} scheduled, {percent(row.service_level)} in time"
        staffed = [row.clinicians for row in result.hours if row.clinicians]
        scheduled = sum(row.scheduled for row in result.hours)
        return f"{min(staffed)} to {max(staffed)} on shift by hour, {scheduled} scheduled a day"
    if isinstance(result, PanelSize):
        return f"panel of {plural(result.panel_size, 'patient', 'patients')}"
    return f"{plural(result.extra_bookings, 'extra booking', 'extra bookings')} on {result.inputs.slots} slots"


def result_summary(result: Result) -> str:
    """The panel's or the overbooking's result, on one or two lines (the queue's is its table)."""
    if isinstance(result, PanelSize):
        return (
            f"Panel size: {plural(result.panel_size, 'patient', 'patients')} per clinician "
            f"({show(result.visits_per_year)} visits offered a year)."
        )
    if isinstance(result, Overbooking):
        booked = result.inputs.slots + result.extra_bookings
        return (
            f"Extra bookings: {result.extra_bookings} ({booked} booked for {result.inputs.slots} slots); chance "
            f"of more patients than slots {percent(result.overflow_probability)} "
            f"(one more booking: {percent(result.next_overflow_probability)})."
        )
    return ""
