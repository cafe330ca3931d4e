"""The capacity calculators in the wizard: F8 beside the items they serve, the figures typed as a lead
types them, the results following, the sentence inserted into the decision, and the figures saved in
the design and shown again when the item is reopened (also after a hand edit of the file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TabbedContent, TextArea

from wizard.capacity import OverbookInputs, QueueInputs, calculate, result_sentence
from wizard.content import ContentPack
from wizard.project import DesignFile, load_design, new_design
from wizard.tui.screens.capacity import CapacityScreen
from wizard.tui.screens.workspace import WorkspaceScreen
from wizard.tui.widgets.capacity import FormProblem, figure_text, read_form
from wizard.tui.widgets.capacity.form import HourTable, Readout

from .conftest import FIXED_NOW, opened
from .test_typing_order import applied

DAY = [0, 0, 0, 0, 0, 0, 2, 5, 12, 20, 25, 22, 18, 20, 24, 22, 18, 15, 30, 40, 28, 14, 6, 2]
QUEUE = {"handle_minutes": "15", "answer_within": "10", "target": "80", "shrinkage": "30"}


@pytest.fixture
def dtc_design(tmp_path: Path) -> Callable[..., DesignFile]:
    """A direct-to-consumer design resuming at 3.1.2 (Coverage model and staffing ratios)."""

    def make(resume: str = "coverage-staffing") -> DesignFile:
        created = new_design(
            tmp_path / "dtc.toml",
            title="Riverbend Virtual Urgent Care",
            organization="Riverbend Health",
            lead="Dana Ortiz",
            care_model="dtc-virtual-urgent-care",
            roles=["physician", "nurse-practitioner"],
            visit_types=["video", "audio-only"],
        )
        created.design.project.created = FIXED_NOW
        created.design.project.updated = FIXED_NOW
        created.design.project.resume_at = resume
        created.save()
        return created

    return make


async def press_text(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*text)


async def type_the_day(pilot: Pilot[int], day: list[int]) -> None:
    """Each hour's figure then Enter, as a lead types a column."""
    for figure in day:
        await press_text(pilot, str(figure))
        await pilot.press("enter")
    await applied(pilot)


async def saved(pilot: Pilot[int], screen: WorkspaceScreen) -> None:
    """Let the autosave write (it runs off the keystroke path, about a second after a change)."""
    await pilot.pause(1.2)
    await pilot.app.workers.wait_for_complete()
    await applied(pilot)
    assert not screen.session.dirty


def cell(table: HourTable, row: str, column: str) -> str:
    return str(table.get_cell(row, column))


# ---------------------------------------------------------------------------
# Reading the form (no app)
# ---------------------------------------------------------------------------


def test_percentages_are_stored_as_the_shares_typed() -> None:
    inputs = read_form("queue", {**QUEUE, "target": "85.5", "shrinkage": "30"}, ["12"])
    assert isinstance(inputs, QueueInputs)
    assert (inputs.target, inputs.shrinkage, inputs.arrivals) == (0.855, 0.3, [12.0])
    assert figure_text("percent", inputs.target) == "85.5"
    assert figure_text("percent", 0.3) == "30"
    assert figure_text("number", 15.0) == "15"


def test_blank_hours_are_zero_and_blank_shrinkage_is_none() -> None:
    hours = [""] * 24
    hours[9] = "20"
    inputs = read_form("queue", {**QUEUE, "shrinkage": ""}, hours)
    assert isinstance(inputs, QueueInputs)
    assert inputs.arrivals == [0.0] * 9 + [20.0] + [0.0] * 14
    assert inputs.shrinkage == 0


@pytest.mark.parametrize(
    ("figures", "arrivals", "problem"),
    [
        ({**QUEUE, "handle_minutes": ""}, ["12"], "Visit length: enter a figure (e.g. 15)"),
        ({**QUEUE, "handle_minutes": "fifteen"}, ["12"], "Visit length: 'fifteen' is not a number"),
        ({**QUEUE, "handle_minutes": "0"}, ["12"], "Visit length: must be more than 0 (got 0)"),
        ({**QUEUE, "target": "100"}, ["12"], "Answered in time: must be a percent above 0 and below 100 (got 100)"),
        ({**QUEUE, "shrinkage": "-5"}, ["12"], "Shrinkage: must be a percent from 0 to below 100 (got -5)"),
        (QUEUE, [""], "Arrivals an hour: enter a figure (e.g. 12)"),
        (QUEUE, ["", "", "1e3", *[""] * 21], "Arrivals at 02:00: '1e3' is not a number"),
        (QUEUE, ["-4", *[""] * 23], "Arrivals at 00:00: must not be negative (got -4)"),
        (
            QUEUE,
            [""] * 24,
            "Arrivals: type each hour's figure in the table, Enter for the next (a blank hour is 0)",
        ),
        (QUEUE, ["0"] * 24, "Arrivals: must be more than 0 (in at least one hour)"),
    ],
)
def test_what_cannot_be_read_is_one_line_naming_the_field(
    figures: dict[str, str], arrivals: list[str], problem: str
) -> None:
    with pytest.raises(FormProblem) as caught:
        read_form("queue", figures, arrivals)
    assert str(caught.value) == problem


def test_other_calculators_name_their_fields() -> None:
    with pytest.raises(FormProblem, match=r"^Slots: must be a whole number$"):
        read_form("overbook", {"slots": "20.5", "no_show_rate": "15", "overflow_risk": "5"})
    with pytest.raises(FormProblem, match=r"^Days a year: must be at most 366 \(got 400\)$"):
        read_form("panel", {"visits_per_day": "20", "days_per_year": "400", "visits_per_patient_year": "3"})
    booking = read_form("overbook", {"slots": "20", "no_show_rate": "15", "overflow_risk": "5"})
    assert booking == OverbookInputs(slots=20, no_show_rate=0.15, overflow_risk=0.05)


# ---------------------------------------------------------------------------
# The calculator in the wizard
# ---------------------------------------------------------------------------


async def test_a_day_by_hour_typed_saved_inserted_and_reloaded(
    dtc_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    """The Done-when walk: 3.1.2 on a direct-to-consumer design, a day's arrivals by hour, the staffing
    per hour, the sentence into the rationale; all of it in the file, and back when reopened."""
    design = dtc_design()
    async with opened(design.path, size=(80, 24)) as (pilot, screen):
        assert screen.current == "coverage-staffing"
        line = str(screen.query_one("#capacity-headline", Static).render())
        assert line == "no figures yet"
        await pilot.press("f8")
        await applied(pilot)
        calculator = pilot.app.screen
        assert isinstance(calculator, CapacityScreen)
        table = calculator.query_one(HourTable)
        assert [str(table.get_row_at(0)[0]), len(table.rows)] == ["00:00", 24]
        for figure in ("15", "10", "80", "30"):  # visit length, answer within, target, shrinkage
            await press_text(pilot, figure)
            await pilot.press("tab")
        await pilot.press("tab")  # past the arrivals mode (by hour) to the table
        await applied(pilot)
        assert pilot.app.focused is table
        outcome = calculator.query_one("#outcome", Readout)
        assert outcome.text.startswith("Arrivals: type each hour's figure in the table")
        assert "-hint" in outcome.classes and "-problem" not in outcome.classes  # the next step, not an error
        await type_the_day(pilot, DAY[:10])
        # the results follow as the hours are typed: 09:00's row, with the day so far
        assert [cell(table, "9", key) for key in ("arrivals", "on-shift", "scheduled", "in-time")] == [
            "20",
            "7",
            "10",
            "91.5%",
        ]
        await type_the_day(pilot, DAY[10:])
        typed = QueueInputs(arrivals=[float(x) for x in DAY], handle_minutes=15, answer_within=10, target=0.8)
        expected = calculate(typed.model_copy(update={"shrinkage": 0.3}))
        assert cell(table, "19", "on-shift") == "12" and cell(table, "19", "occupancy") == "83.3%"
        assert cell(table, "3", "on-shift") == "0" and cell(table, "3", "in-time") == "-"
        assert outcome.text == result_sentence(expected)
        await saved(pilot, screen)  # saved while the calculator is still open
        stored = load_design(design.path, pack).design.decisions["coverage-staffing"]
        assert stored.capacity is not None and stored.capacity.queue == expected.inputs
        assert stored.status == "drafting" and stored.rationale == ""

        await pilot.press("f10")  # into the rationale
        await applied(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one("#tabs", TabbedContent).active == "tab-decision"
        rationale = screen.query_one("#rationale", TextArea)
        assert rationale.text == result_sentence(expected)
        assert pilot.app.focused is rationale
        assert str(screen.query_one("#capacity-headline", Static).render()) == (
            "2 to 12 on shift by hour, 167 scheduled a day"
        )
        await saved(pilot, screen)
        text = design.path.read_text(encoding="utf-8")
        assert "[decisions.coverage-staffing.capacity.queue]" in text
        assert "arrivals = [0, 0, 0, 0, 0, 0, 2, 5, 12, 20, 25, 22" in text  # whole numbers as typed
        assert "target = 0.8\n" in text and "shrinkage = 0.3\n" in text
        assert load_design(design.path, pack).design.decisions["coverage-staffing"].rationale == result_sentence(
            expected
        )
        await pilot.press("ctrl+q")

    async with opened(design.path, size=(80, 24)) as (pilot, screen):
        assert screen.current == "coverage-staffing"
        await pilot.press("f8")
        await applied(pilot)
        calculator = pilot.app.screen
        assert isinstance(calculator, CapacityScreen)
        values = {name: calculator.query_one(f"#figure-{name}", Input).value for name in QUEUE}
        assert values == QUEUE
        assert calculator.query_one("#arrivals-mode", Select).value == "day"
        table = calculator.query_one(HourTable)
        assert [cell(table, str(hour), "arrivals") for hour in range(24)] == [str(x) for x in DAY]
        assert cell(table, "19", "on-shift") == "12"
        await pilot.press("escape")
        await applied(pilot)
        assert pilot.app.screen is screen


async def test_invalid_figures_show_one_line_and_keep_the_last_that_worked(
    dtc_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = dtc_design()
    async with opened(design.path, size=(80, 24)) as (pilot, screen):
        await pilot.press("f8")
        await applied(pilot)
        calculator = pilot.app.screen
        outcome = calculator.query_one("#outcome", Readout)
        assert outcome.text == "Type the figures: the results follow as you type."
        calculator.query_one("#arrivals-mode", Select).value = "one"
        await applied(pilot)
        for name, figure in QUEUE.items():
            calculator.query_one(f"#figure-{name}", Input).focus()
            await press_text(pilot, figure)
        calculator.query_one("#arrivals-any", Input).focus()
        await press_text(pilot, "12")
        await applied(pilot)
        table = calculator.query_one(HourTable)
        assert [cell(table, "any", key) for key in ("arrivals", "on-shift", "scheduled")] == ["12", "5", "8"]
        assert "-problem" not in outcome.classes
        calculator.query_one("#figure-target", Input).focus()
        await pilot.press("end", "0")  # 800%
        await applied(pilot)
        assert outcome.text == "Answered in time: must be a percent above 0 and below 100 (got 800)"
        assert "-problem" in outcome.classes
        assert cell(table, "any", "on-shift") == ""  # no stale result beside a figure that cannot be used
        assert calculator.query_one("#capacity-insert-rationale").disabled
        await saved(pilot, screen)
        kept = load_design(design.path, pack).design.decisions["coverage-staffing"].capacity
        assert kept is not None and kept.queue is not None and kept.queue.target == 0.8  # the last that worked
        await pilot.press("backspace")
        await applied(pilot)
        assert cell(table, "any", "on-shift") == "5" and not calculator.query_one("#capacity-insert-rationale").disabled


async def test_overbooking_into_the_kpis_and_removed(dtc_design: Callable[..., DesignFile], pack: ContentPack) -> None:
    design = dtc_design(resume="no-show-reduction")
    async with opened(design.path, size=(120, 40)) as (pilot, screen):
        assert "Overbooking" in str(screen.query_one("#open-capacity").render())
        await pilot.press("f8")
        await applied(pilot)
        calculator = pilot.app.screen
        assert isinstance(calculator, CapacityScreen)
        await press_text(pilot, "20")
        await pilot.press("tab")
        await press_text(pilot, "15")
        await pilot.press("tab")
        await press_text(pilot, "5")
        await applied(pilot)
        sentence = result_sentence(calculate(OverbookInputs(slots=20, no_show_rate=0.15, overflow_risk=0.05)))
        assert calculator.query_one("#outcome", Readout).text.endswith(sentence)
        calculator.query_one("#capacity-insert-kpis").press()
        await applied(pilot)
        assert pilot.app.screen is screen
        assert screen.query_one("#kpis", TextArea).text == sentence
        await saved(pilot, screen)
        decision = load_design(design.path, pack).design.decisions["no-show-reduction"]
        assert decision.kpis == [sentence]
        assert decision.capacity is not None and decision.capacity.overbook is not None

        await pilot.press("f8")  # again: the figures are there; inserting twice adds nothing
        await applied(pilot)
        calculator = pilot.app.screen
        assert calculator.query_one("#figure-slots", Input).value == "20"
        calculator.query_one("#capacity-remove").press()
        await applied(pilot)
        assert calculator.query_one("#figure-slots", Input).value == ""
        await pilot.press("escape")
        await saved(pilot, screen)
        decision = load_design(design.path, pack).design.decisions["no-show-reduction"]
        assert decision.capacity is None and decision.kpis == [sentence]
        assert "[decisions.no-show-reduction.capacity" not in design.path.read_text(encoding="utf-8")


async def test_hand_edited_figures_come_back_and_the_comment_stays(
    dtc_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = dtc_design(resume="panel-capacity")
    with design.path.open("a", encoding="utf-8") as file:
        file.write(
            '\n[decisions.panel-capacity]\nstatus = "drafting"\n\n'
            "# from the 2026 scheduling export\n"
            "[decisions.panel-capacity.capacity.panel]\n"
            "visits_per_day = 18  # clinic days only\n"
            "days_per_year = 220\nvisits_per_patient_year = 3.2\n"
        )
    async with opened(design.path, size=(80, 24)) as (pilot, screen):
        assert str(screen.query_one("#capacity-headline", Static).render()) == "panel of 1237 patients"
        await pilot.press("f8")
        await applied(pilot)
        calculator = pilot.app.screen
        field = calculator.query_one("#figure-days_per_year", Input)
        assert field.value == "220"
        field.focus()
        await pilot.press("end", "backspace", "backspace", "backspace")
        await press_text(pilot, "200")
        await applied(pilot)
        assert calculator.query_one("#outcome", Readout).text.startswith("Panel size: 1125 patients per clinician")
        await pilot.press("escape")
        await saved(pilot, screen)
    text = design.path.read_text(encoding="utf-8")
    assert "# from the 2026 scheduling export\n" in text
    assert "visits_per_day = 18  # clinic days only\n" in text
    assert "days_per_year = 200\n" in text


async def test_items_no_calculator_serves(
    make_design: Callable[..., DesignFile], pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = make_design(decided=0)
    async with opened(design.path) as (pilot, screen):
        notes: list[str] = []
        monkeypatch.setattr(screen, "notify", lambda message, **_: notes.append(message))
        screen.show_item("credentialing-privileging")  # 3.1.3
        await applied(pilot)
        assert not screen.query_one("#capacity-line").display
        await pilot.press("f8")
        await applied(pilot)
        assert pilot.app.screen is screen
        served = "3.1.1, 3.1.2, 3.3.2, 3.3.3, 3.3.4, 3.3.6, 3.3.8"
        assert notes == [f"No capacity calculator serves 3.1.3; they serve {served}."]
        screen.show_item("provider-scheduling")  # 3.1.1
        await applied(pilot)
        assert screen.query_one("#capacity-line").display
        assert "Capacity calculator (F8)" in [command.title for command in screen.system_commands()]


async def test_pasting_a_day_fills_the_hours(dtc_design: Callable[..., DesignFile]) -> None:
    design = dtc_design()
    async with opened(design.path, size=(80, 24)) as (pilot, _):
        await pilot.press("f8")
        await applied(pilot)
        calculator = pilot.app.screen
        table = calculator.query_one(HourTable)
        table.focus()
        await pilot.press("down", "down")
        await applied(pilot)
        pilot.app.post_message(events.Paste("4\n6\n8\r\n"))  # a column copied from a spreadsheet
        await applied(pilot)
        assert [cell(table, str(hour), "arrivals") for hour in range(5)] == ["", "", "4", "6", "8"]


async def test_read_only_calculates_and_keeps_nothing(make_design: Callable[..., DesignFile]) -> None:
    """A design another wizard holds: the calculator works, nothing is kept or inserted."""
    design = make_design(decided=1)
    async with opened(design.path), opened(design.path) as (pilot, screen):
        assert screen.session.read_only and screen.current == "provider-scheduling"
        generation = screen.session.generation
        await pilot.press("f8")
        await applied(pilot)
        calculator = pilot.app.screen
        assert isinstance(calculator, CapacityScreen)
        assert "Read-only" in str(calculator.query_one("#capacity-read-only", Static).render())
        calculator.query_one("#arrivals-mode", Select).value = "one"
        for name, figure in {**QUEUE, "arrivals_any": "12"}.items():
            field = calculator.query_one(f"#figure-{name}" if name != "arrivals_any" else "#arrivals-any", Input)
            field.focus()
            await press_text(pilot, figure)
        await applied(pilot)
        assert cell(calculator.query_one(HourTable), "any", "on-shift") == "5"
        assert calculator.query_one("#capacity-insert-rationale").disabled
        await pilot.press("f10")
        await applied(pilot)
        assert pilot.app.screen is calculator
        assert screen.session.design.decision("provider-scheduling").capacity is None
        assert screen.session.generation == generation  # no change recorded
    assert "capacity" not in design.path.read_text(encoding="utf-8")
