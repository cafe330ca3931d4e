"""Capacity planning: the queue (Erlang C), panel and overbooking calculators.

Pure functions of pydantic inputs, returning frozen results that are recomputed whenever they are
needed and never stored; a sentence and a Markdown block of each result; and, in one place, which
checklist items each calculator serves. No Textual here: the command line, the wizard and the playbook
all use this package.

- ``inputs``: what the lead enters (``QueueInputs``, ``PanelInputs``, ``OverbookInputs``), as the
  design stores it under ``[decisions.<slug>.capacity.<calculator>]``, and one-line error messages.
- ``queue``: Erlang C staffing; ``panel``: panel size; ``overbooking``: binomial overbooking.
- ``describe``: a result in words (sentence, Markdown block, the command's lines).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

from wizard.capacity.describe import Result, result_lines, result_markdown, result_sentence
from wizard.capacity.inputs import (
    INPUT_MODELS,
    Calculator,
    CapacityInputs,
    OverbookInputs,
    PanelInputs,
    QueueInputs,
    describe_errors,
    one_line,
)
from wizard.capacity.overbooking import Overbooking, overbook, overflow_probability
from wizard.capacity.panel import PanelSize, panel_size
from wizard.capacity.queue import QueueHour, QueueStaffing, erlang_b, erlang_c, queue_staffing, service_level

__all__ = [
    "CALCULATOR_ITEMS",
    "INPUT_MODELS",
    "Calculator",
    "CapacityInputs",
    "OverbookInputs",
    "Overbooking",
    "PanelInputs",
    "PanelSize",
    "QueueHour",
    "QueueInputs",
    "QueueStaffing",
    "Result",
    "calculate",
    "calculators_for",
    "describe_errors",
    "erlang_b",
    "erlang_c",
    "one_line",
    "overbook",
    "overflow_probability",
    "panel_size",
    "queue_staffing",
    "read_inputs",
    "result_lines",
    "result_markdown",
    "result_sentence",
    "service_level",
]

CALCULATOR_ITEMS: Mapping[Calculator, tuple[str, ...]] = {
    # 3.1.1, 3.1.2, 3.3.2, 3.3.4, 3.3.8
    "queue": (
        "provider-scheduling",
        "coverage-staffing",
        "same-day-urgent-access",
        "wait-time-monitoring",
        "after-hours-coverage",
    ),
    # 3.3.3
    "panel": ("panel-capacity",),
    # 3.3.6
    "overbook": ("no-show-reduction",),
}
"""The items (by slug) each calculator serves: the one place the wizard and the playbook look it up."""


def calculators_for(item_slug: str) -> tuple[Calculator, ...]:
    """The calculators beside an item, in the order of ``CALCULATOR_ITEMS`` (none for most items)."""
    return tuple(name for name, slugs in CALCULATOR_ITEMS.items() if item_slug in slugs)


def read_inputs(calculator: Calculator, data: Mapping[str, Any]) -> QueueInputs | PanelInputs | OverbookInputs:
    """A calculator's inputs from a table of the design (raises pydantic's ValidationError; see one_line)."""
    return INPUT_MODELS[calculator].model_validate(dict(data))


@overload
def calculate(inputs: QueueInputs) -> QueueStaffing: ...
@overload
def calculate(inputs: PanelInputs) -> PanelSize: ...
@overload
def calculate(inputs: OverbookInputs) -> Overbooking: ...
def calculate(inputs: QueueInputs | PanelInputs | OverbookInputs) -> Result:
    """The result of whichever calculator the inputs belong to."""
    if isinstance(inputs, QueueInputs):
        return queue_staffing(inputs)
    if isinstance(inputs, PanelInputs):
        return panel_size(inputs)
    return overbook(inputs)
