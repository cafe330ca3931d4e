"""What the calculators accept (as the design file and the wizard will store it), their one-line
messages naming the field, the sentences and Markdown blocks of their results, and which items each
serves."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pymarkdown.api import PyMarkdownApi

from wizard.capacity import (
    CALCULATOR_ITEMS,
    CapacityInputs,
    OverbookInputs,
    PanelInputs,
    QueueInputs,
    calculate,
    calculators_for,
    one_line,
    read_inputs,
    result_markdown,
    result_sentence,
)
from wizard.capacity.inputs import option_field
from wizard.content import ContentPack

REPO = Path(__file__).resolve().parents[2]
QUEUE = {"arrivals": [12], "handle_minutes": 15, "answer_within": 10, "target": 0.8}
PANEL = {"visits_per_day": 20, "days_per_year": 220, "visits_per_patient_year": 3.2}
OVERBOOK = {"slots": 20, "no_show_rate": 0.15, "overflow_risk": 0.05}
DAY = [0, 0, 0, 0, 0, 0, 2, 5, 12, 20, 25, 22, 18, 20, 24, 22, 18, 15, 30, 40, 28, 14, 6, 2]


def message(model: type[QueueInputs | PanelInputs | OverbookInputs], **changes: Any) -> str:
    """The one-line message for the standard inputs with some fields changed (None: removed)."""
    base = {QueueInputs: QUEUE, PanelInputs: PANEL, OverbookInputs: OVERBOOK}[model]
    data = {key: value for key, value in {**base, **changes}.items() if value is not None}
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return one_line(caught.value)


@pytest.mark.parametrize(
    ("model", "changes", "expected"),
    [
        (QueueInputs, {"arrivals": [0]}, "arrivals: must be more than 0 (in at least one hour)"),
        (QueueInputs, {"arrivals": [12, -1] + [0] * 22}, "arrivals: must not be negative (got -1)"),
        (QueueInputs, {"arrivals": [12, 14]}, "arrivals: give one figure, or 24"),
        (QueueInputs, {"arrivals": [12, "x"]}, "arrivals[1]: must be a number"),
        (QueueInputs, {"arrivals": [float("inf")]}, "arrivals: must be a finite number (got inf)"),
        (QueueInputs, {"handle_minutes": 0}, "handle_minutes: must be more than 0 (got 0)"),
        (QueueInputs, {"handle_minutes": "15"}, "handle_minutes: must be a number"),
        (QueueInputs, {"handle_minutes": True}, "handle_minutes: must be a number"),
        (QueueInputs, {"handle_minutes": float("nan")}, "handle_minutes: must be a finite number"),
        (QueueInputs, {"arrivals": [50_000], "handle_minutes": 15}, "handle_minutes: at 50000 arrivals an hour"),
        (QueueInputs, {"answer_within": -2}, "answer_within: must be more than 0 (got -2)"),
        (QueueInputs, {"target": 1}, "target: no finite number of clinicians answers every patient in time"),
        (QueueInputs, {"target": 80}, "target: no finite number of clinicians"),
        (QueueInputs, {"target": 0}, "target: must be a share above 0 and below 1"),
        (QueueInputs, {"shrinkage": 1}, "shrinkage: must be a share from 0 to below 1"),
        (QueueInputs, {"shrinkage": -0.1}, "shrinkage: must be a share from 0 to below 1"),
        (QueueInputs, {"target": None}, "target: is missing"),
        (QueueInputs, {"handle_minute": 15}, "handle_minute: is not a field of this calculator"),
        (PanelInputs, {"visits_per_day": 0}, "visits_per_day: must be more than 0"),
        (PanelInputs, {"days_per_year": 400}, "days_per_year: must be at most 366 (got 400)"),
        (PanelInputs, {"visits_per_patient_year": -3}, "visits_per_patient_year: must be more than 0 (got -3)"),
        (OverbookInputs, {"slots": 0}, "slots: must be at least 1 (got 0)"),
        (OverbookInputs, {"slots": 20.5}, "slots: must be a whole number"),
        (OverbookInputs, {"no_show_rate": 1}, "no_show_rate: must be below 1: if every patient is a no-show"),
        (OverbookInputs, {"no_show_rate": 0.995}, "no_show_rate: must be a share from 0 to 0.99"),
        (OverbookInputs, {"overflow_risk": 0}, "overflow_risk: must be a share above 0 and below 1"),
        (OverbookInputs, {"overflow_risk": 1}, "overflow_risk: must be a share above 0 and below 1"),
    ],
)
def test_bad_inputs_get_one_line_naming_the_field(
    model: type[QueueInputs | PanelInputs | OverbookInputs], changes: dict[str, Any], expected: str
) -> None:
    line = message(model, **changes)
    assert "\n" not in line
    assert line.startswith(expected), line


def test_several_problems_share_one_line() -> None:
    line = message(QueueInputs, handle_minutes=0, target=2)
    assert line == (
        "handle_minutes: must be more than 0 (got 0); target: no finite number of clinicians answers every "
        "patient in time; give a share below 1, such as 0.8 (got 2)"
    )


def test_fields_are_named_as_the_design_and_the_command_line_spell_them() -> None:
    with pytest.raises(ValidationError) as caught:
        CapacityInputs.model_validate({"queue": {**QUEUE, "arrivals": [1, -2] + [0] * 22, "target": 3}})
    assert one_line(caught.value).startswith("queue.arrivals: must not be negative (got -2); queue.target: ")
    assert one_line(caught.value, option_field).startswith("--arrivals: must not be negative")
    assert option_field(("arrivals", 3)) == "--arrivals (figure 4)"


def test_a_hand_edited_single_figure_and_a_day_profile_are_read() -> None:
    assert read_inputs("queue", {**QUEUE, "arrivals": 12}) == QueueInputs.model_validate(QUEUE)
    day = read_inputs("queue", {**QUEUE, "arrivals": DAY})
    assert isinstance(day, QueueInputs) and len(day.arrivals) == 24
    assert read_inputs("panel", PANEL) == PanelInputs(**PANEL)
    assert read_inputs("overbook", OVERBOOK) == OverbookInputs(**OVERBOOK)
    assert CapacityInputs.model_validate({"panel": PANEL}).queue is None


def test_inputs_dump_back_to_the_same_table() -> None:
    """What the wizard will save is what it read (results are not part of it)."""
    for model, data in ((QueueInputs, QUEUE), (PanelInputs, PANEL), (OverbookInputs, OVERBOOK)):
        dumped = model.model_validate(data).model_dump()
        assert set(dumped) >= set(data)
        assert model.model_validate(dumped) == model.model_validate(data)


def test_every_calculator_item_is_in_the_pack(pack: ContentPack) -> None:
    numbers = {name: [pack.items_by_id[slug].number for slug in slugs] for name, slugs in CALCULATOR_ITEMS.items()}
    assert numbers == {
        "queue": ["3.1.1", "3.1.2", "3.3.2", "3.3.4", "3.3.8"],
        "panel": ["3.3.3"],
        "overbook": ["3.3.6"],
    }
    assert calculators_for("coverage-staffing") == ("queue",)
    assert calculators_for("no-show-reduction") == ("overbook",)
    assert calculators_for("identity-verification") == ()


def test_sentences_carry_the_results() -> None:
    queue = calculate(QueueInputs.model_validate(QUEUE))
    assert result_sentence(queue) == (
        "By Erlang C, at 12 arrivals an hour and 15-minute visits, 5 clinicians on shift answer 93.8% within "
        "10 minutes (target 80%; average wait 1.8 minutes, occupancy 60%), so 5 scheduled after 0% shrinkage."
    )
    day = calculate(QueueInputs.model_validate({**QUEUE, "arrivals": DAY, "shrinkage": 0.3}))
    assert result_sentence(day) == (
        "By Erlang C, with 15-minute visits and 80% of patients answered within 10 minutes, the day needs 2 to 12 "
        "clinicians on shift in the 18 hours with arrivals (the most at 19:00, for 40 arrivals an hour): "
        "112 clinician-hours on shift, 167 scheduled after 30% shrinkage."
    )
    assert sum(row.clinicians for row in day.hours) == 112
    assert result_sentence(calculate(PanelInputs(**PANEL))) == (
        "At 20 visits a day on 220 days a year (4400 visits) and 3.2 visits per patient a year, one clinician "
        "can carry a panel of 1375 patients."
    )
    assert result_sentence(calculate(OverbookInputs(**OVERBOOK))) == (
        "With 20 slots and a 15% no-show rate, booking 1 extra (21 in all) keeps the chance that more patients "
        "come than there are slots at 3.3%, within the accepted 5%; one more would raise it to 13.7%."
    )


def lint(markdown: str) -> list[str]:
    """pymarkdownlnt's failures for a block, with the repository's configuration (a block has no title)."""
    api = PyMarkdownApi().configuration_file_path(str(REPO / ".pymarkdown.yml"))
    api.disable_rule_by_identifier("md041")
    with contextlib.redirect_stderr(io.StringIO()):
        result = api.scan_string(markdown)
    return [f"{failure.rule_id} line {failure.line_number}" for failure in result.scan_failures]


def test_markdown_blocks_name_the_method_and_lint_clean() -> None:
    day = result_markdown(calculate(QueueInputs.model_validate({**QUEUE, "arrivals": DAY})))
    lines = day.splitlines()
    assert lines[0] == "**Capacity, queue staffing (Erlang C):**"
    assert "| hour | arrivals | on shift | scheduled | in 10 min | any wait | avg wait | occupancy |" in lines
    assert "| 19:00 | 40 | 12 | 12 | 88.2% | 44.9% | 3.4 min | 83.3% |" in lines
    assert "| 03:00 | 0 | 0 | 0 | - | - | - | - |" in lines
    assert len([line for line in lines if line.startswith("| ")]) == 26
    single = result_markdown(calculate(QueueInputs.model_validate(QUEUE)))
    assert "| 12 | 5 | 5 | 93.8% | 23.6% | 1.8 min | 60% |" in single.splitlines()
    panel = result_markdown(calculate(PanelInputs(**PANEL)))
    assert panel.startswith("**Capacity, panel size (visits offered over visits needed):**\n")
    overbooking = result_markdown(calculate(OverbookInputs(**OVERBOOK)))
    assert overbooking.startswith("**Capacity, overbooking (binomial no-shows):**\n")
    for block in (day, single, panel, overbooking):
        assert lint(block) == [], block


def test_results_are_recomputed_not_stored() -> None:
    """The inputs hold no result fields, and a changed input changes the result."""
    assert not {"clinicians", "panel_size", "extra_bookings"} & set(QueueInputs.model_fields | PanelInputs.model_fields)
    first = calculate(QueueInputs.model_validate(QUEUE))
    busier = calculate(QueueInputs.model_validate({**QUEUE, "arrivals": [24]}))
    assert first.hours[0].clinicians < busier.hours[0].clinicians
