"""The capacity calculators' form: the figures the lead types, read into the core's input models, and
the results beside them as they type (a row per hour of the day for the queue).

What the fields hold is read by ``read_form``, a plain function: blank, text that is not a number
and figures the calculator refuses each become one line naming the field as the form labels it.
Shares (target, shrinkage, no-show rate, overflow risk) are typed as percentages and stored as the
design file and the command line hold them, shares from 0 to 1: 80 is stored as 0.8, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import ValidationError
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

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
    calculate,
    describe_errors,
    result_sentence,
)
from wizard.capacity.describe import hour_label, percent, plural, queue_table
from wizard.capacity.inputs import HOURS_IN_A_DAY, show
from wizard.tui.widgets.fields import TextInput

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

ONE_FIGURE, BY_HOUR = "one", "day"
ARRIVAL_MODES = [("By hour (24 figures)", BY_HOUR), ("One figure, every hour", ONE_FIGURE)]
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


# ---------------------------------------------------------------------------
# Widgets
# ---------------------------------------------------------------------------


class Readout(Widget):
    """Text that changes as the lead types, in a box whose size does not follow it: a change repaints
    the box and never lays the screen out again (a layout of the whole form on every key made typing
    lag behind)."""

    DEFAULT_CSS = "Readout { height: 1; }"

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Content:
        """The text, never read as markup."""
        return Content(self.text)


class FigureInput(TextInput):
    """A compact field for one figure."""


HOUR_COLUMNS = (
    ("hour", "hour", 5),
    ("arrivals", "arrivals", 8),
    ("on-shift", "on shift", 8),
    ("scheduled", "sched.", 6),
    ("in-time", "in time", 7),
    ("any-wait", "any wait", 8),
    ("avg-wait", "avg wait", 8),
    ("occupancy", "occup.", 6),
)
"""The queue table's columns: key, label, width."""
RESULT_KEYS = [key for key, _, _ in HOUR_COLUMNS[2:]]
ANY_HOUR = "any"


class HourTable(DataTable[Text]):
    """The queue's table: a row per hour of the day, its arrivals typed in place as in a spreadsheet
    column (a figure, then Enter or Down for the next hour; the first key on an hour replaces what it
    held, Backspace corrects, Delete empties), and its results beside them. Pasting several figures (a
    column copied from a spreadsheet, or ``0,0,2,5,...``) fills the hour under the cursor and those
    after it. With one figure for every hour, it shows that figure's one row and takes no typing.

    One widget for the whole day: a change repaints a cell and lays nothing out again."""

    BINDINGS = [Binding("enter", "next_hour", "Next hour", show=False, id="capacity-next-hour")]

    @dataclass
    class Edited(Message):
        """The arrivals of one hour or more changed (``figures``: the text of each hour, 0 to 23)."""

        table: HourTable
        figures: list[str]

    def __init__(self, figures: Sequence[str], **kwargs: str) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.figures = list(figures)
        """The text typed for each hour, 0 to 23 (a blank hour counts as 0)."""
        self.day = True
        self._fresh = True
        """True until a key edits the hour under the cursor: the first one typed replaces it."""
        self._results: dict[tuple[str, str], str] = {}

    def on_mount(self) -> None:
        """The columns, and the rows for a day."""
        for key, label, width in HOUR_COLUMNS:
            self.add_column(Text(label, justify="right"), width=width, key=key)
        self.show_rows(day=True)

    def show_rows(self, *, day: bool, one_figure: str = "") -> None:
        """A row per hour of the day (typing allowed), or one row for one figure (no typing)."""
        self.day = day
        self.can_focus = day
        self.clear()
        self._results = {}
        if day:
            for hour in range(HOURS_IN_A_DAY):
                self.add_row(*self._cells(hour_label(hour), self.figures[hour]), key=str(hour))
        else:
            self.add_row(*self._cells(ANY_HOUR, one_figure), key=ANY_HOUR)

    @staticmethod
    def _cells(label: str, figure: str) -> list[Text]:
        return [Text(label, justify="right"), Text(figure, justify="right"), *(Text("") for _ in RESULT_KEYS)]

    def show_one_figure(self, figure: str) -> None:
        """The one figure, in its row."""
        if not self.day:
            self.update_cell(ANY_HOUR, "arrivals", Text(figure, justify="right"))

    def show_results(self, rows: Sequence[Sequence[str]]) -> None:
        """The result cells of each row (on shift to occupancy); none: every result cell empty."""
        keys = [str(hour) for hour in range(HOURS_IN_A_DAY)] if self.day else [ANY_HOUR]
        for index, key in enumerate(keys):
            cells = rows[index] if index < len(rows) else [""] * len(RESULT_KEYS)
            for column, text in zip(RESULT_KEYS, cells, strict=True):
                if self._results.get((key, column)) != text:  # only what changed is repainted
                    self._results[key, column] = text
                    self.update_cell(key, column, Text(text, justify="right"))

    # -- typing -----------------------------------------------------------------------------------

    def _set_figure(self, hour: int, text: str) -> None:
        self.figures[hour] = text
        self.update_cell(str(hour), "arrivals", Text(text, justify="right"))

    def on_key(self, event: events.Key) -> None:
        """Digits and a point type the hour's arrivals; Backspace and Delete correct them."""
        if not self.day or not 0 <= self.cursor_row < HOURS_IN_A_DAY:
            return
        hour, text = self.cursor_row, self.figures[self.cursor_row]
        if event.character is not None and event.character in "0123456789.":
            text = event.character if self._fresh else text + event.character
        elif event.key == "backspace":
            text = text[:-1]
        elif event.key == "delete":
            text = ""
        else:
            return
        event.stop()
        event.prevent_default()
        self._fresh = False
        if text != self.figures[hour]:
            self._set_figure(hour, text)
            self.post_message(self.Edited(self, list(self.figures)))

    def on_paste(self, event: events.Paste) -> None:
        """Several figures fill the hours from the one under the cursor; one figure, that hour."""
        if not self.day:
            return
        event.stop()
        figures = [part for part in re.split(r"[\s,;]+", event.text.strip()) if part]
        start = max(self.cursor_row, 0)
        for offset, figure in enumerate(figures[: HOURS_IN_A_DAY - start]):
            self._set_figure(start + offset, figure)
        self._fresh = True
        self.post_message(self.Edited(self, list(self.figures)))

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self._fresh = True

    def action_next_hour(self) -> None:
        """Enter: on to the next hour, as in a spreadsheet."""
        self.action_cursor_down()


class CapacityForm(Vertical):
    """One calculator's figures and its results, recomputed as the lead types. Posts ``Calculated``
    after every change; ``stored`` is what the design holds (the screen keeps it up to date)."""

    DEFAULT_CSS = """
    CapacityForm { height: 1fr; }
    CapacityForm .figures { height: auto; }
    CapacityForm .figure { width: auto; height: 1; margin: 0 2 0 0; }
    CapacityForm .figure-label { width: 18; color: $text-muted; }
    CapacityForm FigureInput { width: 9; }
    CapacityForm .unit { width: 4; margin: 0 0 0 1; color: $text-muted; }
    CapacityForm #arrivals-mode-row { height: 1; margin: 1 0 0 0; }
    CapacityForm #arrivals-mode { width: 26; margin: 0 1 0 0; }
    CapacityForm #arrivals-hint { width: 1fr; color: $text-muted; }
    CapacityForm #hours { height: 1fr; min-height: 4; margin: 1 0 0 0; }
    CapacityForm #outcome { height: 4; margin: 1 0 0 0; }
    CapacityForm #outcome.-tall { height: 5; }
    CapacityForm #outcome.-problem { color: $error; }
    CapacityForm #outcome.-hint { color: $text-muted; }
    """

    @dataclass
    class Calculated(Message):
        """The figures were read again (after each change): the inputs and result, or None for both
        while the figures cannot be read (``form.problem`` says why)."""

        form: CapacityForm
        inputs: Inputs | None
        result: Result | None

    def __init__(self, calculator: Calculator, stored: Inputs | None, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.calculator = calculator
        self.stored = stored
        """The inputs the design holds for this calculator (None: none yet)."""
        self.inputs: Inputs | None = None
        """The inputs the figures on screen read into (None while they cannot be read)."""
        self.result: Result | None = None
        self.problem = ""
        """Why the figures cannot be read (empty when they can)."""
        self.missing = False
        """True when the problem is only a figure not typed yet (shown as the next step, not in red)."""

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        stored = self.stored
        specs = FIELDS[self.calculator]
        for pair in (specs[i : i + 2] for i in range(0, len(specs), 2)):
            with Horizontal(classes="figures"):
                for spec in pair:
                    value = getattr(stored, spec.name) if stored is not None else None
                    with Horizontal(classes="figure"):
                        yield Static(spec.label, classes="figure-label")
                        yield FigureInput(
                            "" if value is None else figure_text(spec.kind, value),
                            placeholder=f"e.g. {spec.placeholder}",
                            id=f"figure-{spec.name}",
                            compact=True,
                            select_on_focus=False,
                        )
                        yield Static(spec.unit, classes="unit")
        if self.calculator == "queue":
            yield from self._compose_queue(stored if isinstance(stored, QueueInputs) else None)
        yield Readout(id="outcome", classes="" if self.calculator == "queue" else "-tall")

    def _compose_queue(self, stored: QueueInputs | None) -> ComposeResult:
        day = stored is None or len(stored.arrivals) == HOURS_IN_A_DAY
        with Horizontal(id="arrivals-mode-row"):
            yield Static("Arrivals", classes="figure-label")
            yield Select[str](
                ARRIVAL_MODES, value=BY_HOUR if day else ONE_FIGURE, allow_blank=False, id="arrivals-mode", compact=True
            )
            one = show(stored.arrivals[0]) if stored is not None and not day else ""
            yield FigureInput(one, placeholder="e.g. 12", id="arrivals-any", compact=True, select_on_focus=False)
            yield Static("", id="arrivals-hint")
        hours = [show(figure) for figure in stored.arrivals] if stored is not None and day else [""] * HOURS_IN_A_DAY
        yield HourTable(hours, id="hours")

    def on_mount(self) -> None:
        """Show the mode's rows and the results of what is stored."""
        if self.calculator == "queue":
            self._show_mode()
        self.recalculate(announce=False)

    # -- reading --------------------------------------------------------------------------------

    @property
    def by_hour(self) -> bool:
        """True when the queue's arrivals are entered hour by hour."""
        return self.calculator == "queue" and self.query_one("#arrivals-mode", Select).value == BY_HOUR

    def figures(self) -> dict[str, str]:
        """The text of each figure field, by the model's field name."""
        return {spec.name: self.query_one(f"#figure-{spec.name}", Input).value for spec in FIELDS[self.calculator]}

    def arrivals(self) -> list[str] | None:
        """The text of the arrivals: 24 hours, or the one figure (None for other calculators)."""
        if self.calculator != "queue":
            return None
        if self.by_hour:
            return list(self.query_one(HourTable).figures)
        return [self.query_one("#arrivals-any", Input).value]

    def recalculate(self, *, announce: bool = True) -> None:
        """Read the figures, show the results (or why there are none), and post Calculated
        (``announce`` False: only show, as on opening)."""
        try:
            inputs = read_form(self.calculator, self.figures(), self.arrivals())
        except FormProblem as problem:
            self.inputs, self.result, self.problem = None, None, str(problem)
            self.missing = problem.missing
        else:
            self.inputs, self.result, self.problem = inputs, calculate(inputs), ""
            self.missing = False
        self._show_result()
        if announce:
            self.post_message(self.Calculated(self, self.inputs, self.result))

    # -- showing --------------------------------------------------------------------------------

    def _show_mode(self) -> None:
        day = self.by_hour
        one = self.query_one("#arrivals-any", Input)
        one.display = not day
        hint = "type a figure, Enter: next hour" if day else "an hour"
        self.query_one("#arrivals-hint", Static).update(hint)
        self.query_one(HourTable).show_rows(day=day, one_figure=one.value)

    def _show_result(self) -> None:
        result = self.result
        outcome = self.query_one("#outcome", Readout)
        blank = not any(self.figures().values()) and not any(self.arrivals() or [])
        outcome.set_class(bool(self.problem) and (blank or self.missing), "-hint")
        outcome.set_class(bool(self.problem) and not (blank or self.missing), "-problem")
        if self.problem:
            outcome.text = "Type the figures: the results follow as you type." if blank else self.problem
        elif isinstance(result, QueueStaffing):
            outcome.text = result_sentence(result)
        elif result is not None:
            outcome.text = f"{result_summary(result)}\n{result_sentence(result)}"
        if self.calculator == "queue":
            table = self.query_one(HourTable)
            if not self.by_hour:
                table.show_one_figure(self.query_one("#arrivals-any", Input).value)
            rows: list[list[str]] = []
            if isinstance(result, QueueStaffing):
                skip = 2 if result.is_day else 1  # the hour and the arrivals are shown as typed
                rows = [cells[skip:] for cells in queue_table(result)[1]]
            table.show_results(rows)

    # -- events ---------------------------------------------------------------------------------

    @on(Input.Changed)
    def _figure_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.recalculate()

    @on(HourTable.Edited)
    def _hours_edited(self, event: HourTable.Edited) -> None:
        event.stop()
        self.recalculate()

    @on(Select.Changed, "#arrivals-mode")
    def _mode_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_mode()
        self.recalculate()

    def clear(self) -> None:
        """Empty every field (the inputs were removed from the item)."""
        with self.prevent(Input.Changed):
            for field in self.query(FigureInput):
                field.value = ""
        if self.calculator == "queue":
            table = self.query_one(HourTable)
            table.figures = [""] * HOURS_IN_A_DAY
            table.show_rows(day=self.by_hour)
        self.stored = None
        self.recalculate(announce=False)


class CapacityLine(Horizontal):
    """The line in an item's decision form that opens its calculator (F8), with its result in a few
    words. Shown only on the items a calculator serves."""

    DEFAULT_CSS = """
    CapacityLine { height: auto; margin: 1 0 0 0; }
    CapacityLine Button { margin: 0 1 0 0; }
    CapacityLine Static { width: 1fr; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        button = Button("Capacity (F8)", id="open-capacity", action="screen.capacity", compact=True)
        button.can_focus = False  # F8 is the keyboard's way; Tab goes from the summary to the rationale as elsewhere
        yield button
        yield Static("", id="capacity-headline")

    def show(self, calculators: Sequence[Calculator], capacity: CapacityInputs | None) -> None:
        """Show the line for an item served by ``calculators`` (hidden when none serves it)."""
        self.display = bool(calculators)
        if not calculators:
            return
        name = calculators[0]
        self.query_one("#open-capacity", Button).label = f"{SHORT_TITLES[name]} · F8"
        inputs = stored_inputs(capacity, name)
        text = headline(calculate(inputs)) if inputs is not None else "no figures yet"
        static = self.query_one("#capacity-headline", Static)
        if static.content != text:
            static.update(text)
