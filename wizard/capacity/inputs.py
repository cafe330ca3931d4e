"""What the lead enters into each calculator, as the design stores it under
``[decisions.<slug>.capacity.queue]``, ``.panel`` and ``.overbook``.

The models are strict: numbers must be numbers (an integer where a count is asked for), never text or
true/false, so a hand-edited file that says ``handle_minutes = "15"`` is reported, not guessed at.
Every rule has a one-line message naming the field; ``describe_errors`` turns pydantic's errors into
those lines, with the field named as the design file or the command line spells it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

HOURS_IN_A_DAY = 24
MAX_LOAD_ERLANGS = 10_000.0
"""The most work at once (arrivals an hour x handle hours) the queue calculator accepts: far above any
telehealth service, and low enough that the staffing search stays instant."""
MAX_ARRIVALS_PER_HOUR = 100_000.0
"""The most arrivals an hour the queue calculator accepts (a figure beyond it is surely a typing error)."""
MAX_SLOTS = 100_000
MAX_NO_SHOW_RATE = 0.99
"""Above this, the bookings needed run to many times the slots and the binomial model says little."""

Calculator = Literal["queue", "panel", "overbook"]


def _finite(value: float) -> float:
    """Refuse NaN and infinity (both parse as floats, from the command line and from TOML alike)."""
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number (got {value})")
    return value


def _positive(value: float) -> float:
    """More than zero."""
    _finite(value)
    if value <= 0:
        raise ValueError(f"must be more than 0 (got {show(value)})")
    return value


def _share_below_one(value: float) -> float:
    """A share from 0 up to (not including) 1."""
    _finite(value)
    if value < 0 or value >= 1:
        raise ValueError(f"must be a share from 0 to below 1, such as 0.3 (got {show(value)})")
    return value


def show(value: float) -> str:
    """A number as a person would write it: 12, 12.5, 0.3 (no trailing .0, no exponent for ordinary sizes)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"


class CalculatorInputs(BaseModel):
    """Base of the three input models: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class QueueInputs(CalculatorInputs):
    """The on-demand queue (Erlang C): arrivals, how long each visit takes, and the answer target."""

    arrivals: list[float] = Field(
        description=(
            "Patients arriving per hour: one figure, or 24 (one for each hour of the day, from 00:00). "
            "Hours of a day's profile may be 0 (closed or quiet); at least one figure is more than 0."
        )
    )
    handle_minutes: float = Field(description="Average minutes a clinician spends on one visit, wrap-up included.")
    answer_within: float = Field(description="The answer target's time: minutes a patient may wait.")
    target: float = Field(description="The share of patients to answer within answer_within (0 to 1, e.g. 0.8).")
    shrinkage: float = Field(
        default=0.0,
        description="Share of paid time not spent on visits (breaks, training, admin), 0 to below 1.",
    )

    @field_validator("arrivals", mode="before")
    @classmethod
    def _one_figure_as_list(cls, value: Any) -> Any:
        """A single number (``arrivals = 12`` in a hand-edited file) means one figure."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return [value]
        return value

    @field_validator("arrivals")
    @classmethod
    def _arrivals(cls, value: list[float]) -> list[float]:
        """One figure, or 24; none negative or beyond MAX_ARRIVALS_PER_HOUR; at least one more than 0."""
        if len(value) not in (1, HOURS_IN_A_DAY):
            raise ValueError(
                f"give one figure, or {HOURS_IN_A_DAY} (one for each hour of the day, from 00:00); got {len(value)}"
            )
        for figure in value:
            _finite(figure)
            if figure < 0:
                raise ValueError(f"must not be negative (got {show(figure)})")
            if figure > MAX_ARRIVALS_PER_HOUR:
                raise ValueError(f"must be at most {show(MAX_ARRIVALS_PER_HOUR)} an hour (got {show(figure)})")
        if not any(figure > 0 for figure in value):
            raise ValueError("must be more than 0 (in at least one hour)")
        return value

    @field_validator("handle_minutes")
    @classmethod
    def _handle_minutes(cls, value: float, info: ValidationInfo) -> float:
        """More than zero minutes, and with the busiest hour's arrivals within MAX_LOAD_ERLANGS of work."""
        _positive(value)
        peak = max(info.data.get("arrivals") or [0.0])
        if peak * value / 60 > MAX_LOAD_ERLANGS:
            raise ValueError(
                f"at {show(peak)} arrivals an hour, {show(value)}-minute visits are more than "
                f"{show(MAX_LOAD_ERLANGS)} clinicians' work at once, beyond what this calculator serves"
            )
        return value

    @field_validator("answer_within")
    @classmethod
    def _answer_within(cls, value: float) -> float:
        """More than zero minutes."""
        return _positive(value)

    @field_validator("target")
    @classmethod
    def _target(cls, value: float) -> float:
        """A share above 0 and below 1: every finite staff leaves some patients waiting past any limit."""
        _finite(value)
        if value >= 1:
            raise ValueError(
                f"no finite number of clinicians answers every patient in time; "
                f"give a share below 1, such as 0.8 (got {show(value)})"
            )
        if value <= 0:
            raise ValueError(f"must be a share above 0 and below 1, such as 0.8 (got {show(value)})")
        return value

    @field_validator("shrinkage")
    @classmethod
    def _shrinkage(cls, value: float) -> float:
        """0 up to below 1: at 1 nobody is ever on a visit."""
        return _share_below_one(value)


class PanelInputs(CalculatorInputs):
    """A clinician's panel: the visits they can offer a year over the visits a patient needs a year."""

    visits_per_day: float = Field(description="Visits one clinician offers on a working day.")
    days_per_year: float = Field(description="Working (clinic) days a year, at most 366.")
    visits_per_patient_year: float = Field(description="Visits a panel patient needs a year, on average.")

    @field_validator("visits_per_day", "visits_per_patient_year")
    @classmethod
    def _positive_figure(cls, value: float) -> float:
        """More than zero."""
        return _positive(value)

    @field_validator("days_per_year")
    @classmethod
    def _days(cls, value: float) -> float:
        """More than zero, at most the days of a leap year."""
        _positive(value)
        if value > 366:
            raise ValueError(f"must be at most 366 (got {show(value)})")
        return value


class OverbookInputs(CalculatorInputs):
    """Overbooking a session: its slots, the no-show rate, and the overflow risk the lead accepts."""

    slots: int = Field(description="Appointment slots in the session (a whole number).")
    no_show_rate: float = Field(description="Share of booked patients who do not come, 0 to 0.99.")
    overflow_risk: float = Field(
        description="The accepted chance that more patients come than there are slots (above 0, below 1)."
    )

    @field_validator("slots")
    @classmethod
    def _slots(cls, value: int) -> int:
        """At least one slot, at most MAX_SLOTS."""
        if value < 1:
            raise ValueError(f"must be at least 1 (got {value})")
        if value > MAX_SLOTS:
            raise ValueError(f"must be at most {MAX_SLOTS} (got {value})")
        return value

    @field_validator("no_show_rate")
    @classmethod
    def _no_show_rate(cls, value: float) -> float:
        """0 to MAX_NO_SHOW_RATE."""
        _finite(value)
        if value >= 1:
            raise ValueError(
                f"must be below 1: if every patient is a no-show, no number of bookings fills a slot "
                f"(got {show(value)})"
            )
        if value < 0 or value > MAX_NO_SHOW_RATE:
            raise ValueError(f"must be a share from 0 to {show(MAX_NO_SHOW_RATE)}, such as 0.2 (got {show(value)})")
        return value

    @field_validator("overflow_risk")
    @classmethod
    def _overflow_risk(cls, value: float) -> float:
        """Above 0 (every extra booking carries some risk) and below 1 (at 1, any number would do)."""
        _finite(value)
        if value <= 0 or value >= 1:
            raise ValueError(f"must be a share above 0 and below 1, such as 0.05 (got {show(value)})")
        return value


class CapacityInputs(CalculatorInputs):
    """The ``[decisions.<slug>.capacity]`` table: the inputs of each calculator the lead filled in."""

    queue: QueueInputs | None = Field(default=None, description="The queue calculator's inputs.")
    panel: PanelInputs | None = Field(default=None, description="The panel calculator's inputs.")
    overbook: OverbookInputs | None = Field(default=None, description="The overbooking calculator's inputs.")


INPUT_MODELS: dict[Calculator, type[QueueInputs] | type[PanelInputs] | type[OverbookInputs]] = {
    "queue": QueueInputs,
    "panel": PanelInputs,
    "overbook": OverbookInputs,
}
"""Each calculator's input model, by the name its table has in the design."""

_TYPE_WORDS = {
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "list_type": "must be a list of numbers",
    "missing": "is missing",
    "extra_forbidden": "is not a field of this calculator",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
}


def design_field(loc: Sequence[int | str]) -> str:
    """A field's place as the design file spells it: ``arrivals[3]``, ``queue.handle_minutes``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def option_field(loc: Sequence[int | str]) -> str:
    """A field's place as the command line spells it: ``--handle-minutes``, ``--arrivals (figure 4)``."""
    names = [part for part in loc if isinstance(part, str)]
    figures = [part for part in loc if isinstance(part, int)]
    text = "--" + names[-1].replace("_", "-") if names else "input"
    return text + (f" (figure {figures[0] + 1})" if figures else "")


def describe_errors(exc: ValidationError, place: Callable[[Sequence[int | str]], str] = design_field) -> list[str]:
    """One line per problem, ``<field>: <what is wrong>``, the field named by ``place``."""
    lines = []
    for error in exc.errors():
        message = _TYPE_WORDS.get(error["type"], error["msg"])
        context = error.get("ctx") or {}
        if error["type"] == "value_error" and "error" in context:
            message = str(context["error"])
        lines.append(f"{place(error['loc'])}: {message}")
    return lines


def one_line(exc: ValidationError, place: Callable[[Sequence[int | str]], str] = design_field) -> str:
    """All the problems of one validation on one line, separated by semicolons."""
    return "; ".join(describe_errors(exc, place))
