"""The capacity form: the figure fields, the queue's table of a day by hour, and the results beside
them, recomputed as the lead types."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from wizard.capacity import Calculator, QueueInputs, QueueStaffing, Result, calculate, result_sentence
from wizard.capacity.describe import hour_label, queue_table
from wizard.capacity.inputs import HOURS_IN_A_DAY, show
from wizard.tui.widgets.capacity.figures import (
    FIELDS,
    FormProblem,
    Inputs,
    figure_text,
    read_form,
    result_summary,
)
from wizard.tui.widgets.fields import TextInput

ONE_FIGURE, BY_HOUR = "one", "day"
ARRIVAL_MODES = [("By hour (24 figures)", BY_HOUR), ("One figure, every hour", ONE_FIGURE)]


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
