"""The capacity calculators' widgets: the figures the lead types, read into the core's input models
(``figures``, no Textual), the form with the queue's table of a day by hour and the results beside
them as they type (``form``), and the line beside an item's decision that opens it (``line``).

The form is imported from ``wizard.tui.widgets.capacity.form`` by the calculator's screen: it brings
in Textual's DataTable, which the workspace (showing only the line) does not need to open."""

from wizard.tui.widgets.capacity.figures import (
    FIELDS,
    SHORT_TITLES,
    TITLES,
    FieldSpec,
    FormProblem,
    Inputs,
    figure_text,
    figure_value,
    headline,
    parse_figure,
    read_form,
    result_summary,
    stored_inputs,
    with_inputs,
)
from wizard.tui.widgets.capacity.line import CapacityLine

__all__ = [
    "FIELDS",
    "SHORT_TITLES",
    "TITLES",
    "CapacityLine",
    "FieldSpec",
    "FormProblem",
    "Inputs",
    "figure_text",
    "figure_value",
    "headline",
    "parse_figure",
    "read_form",
    "result_summary",
    "stored_inputs",
    "with_inputs",
]
