"""The capacity calculators in the playbook: method, inputs and results under each item that stores
them, the targets they plan for in the KPI register, and the playbook still well formed, lint-clean,
safe with hostile text around them, and byte-identical export after export."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.playbook.helpers import (
    PARSER_WITH_HTML,
    SIGN_OFF_HEADER,
    SUMMARY_HEADER,
    TODAY,
    example_design,
    expected_headings,
    headings,
    tables,
    write_design,
)
from tests.playbook.test_lint import assert_document_shape, assert_links_resolve, lint, lint_hostile_design
from wizard.capacity import (
    CapacityInputs,
    OverbookInputs,
    PanelInputs,
    QueueInputs,
    calculate,
    result_markdown,
)
from wizard.cli import main
from wizard.content import ContentPack
from wizard.playbook import HEADING_KPIS, HEADING_OPEN, render, render_playbook
from wizard.playbook.capacity import LABEL_TARGETS, TARGETS_HEADER
from wizard.project import Design

DAY = [0, 0, 0, 0, 0, 0, 2, 5, 12, 20, 25, 22, 18, 20, 24, 22, 18, 15, 30, 40, 28, 14, 6, 2]
QUEUE_DAY = QueueInputs(
    arrivals=[float(x) for x in DAY], handle_minutes=15, answer_within=10, target=0.8, shrinkage=0.3
)
QUEUE_ONE = QueueInputs(arrivals=[12.0], handle_minutes=15, answer_within=10, target=0.8)
PANEL = PanelInputs(visits_per_day=20, days_per_year=220, visits_per_patient_year=3.2)
OVERBOOK = OverbookInputs(slots=20, no_show_rate=0.15, overflow_risk=0.05)
QUEUE_HEADER = ["hour", "arrivals", "on shift", "scheduled", "in 10 min", "any wait", "avg wait", "occupancy"]


def with_capacity(design: Design) -> Design:
    """The design with the calculators' inputs under the items they serve (3.1.2 a day by hour, 3.3.2
    one figure, 3.3.3 the panel, 3.3.6 overbooking)."""
    figures = {
        "coverage-staffing": CapacityInputs(queue=QUEUE_DAY),
        "same-day-urgent-access": CapacityInputs(queue=QUEUE_ONE),
        "panel-capacity": CapacityInputs(panel=PANEL),
        "no-show-reduction": CapacityInputs(overbook=OVERBOOK),
    }
    for slug, capacity in figures.items():
        design.decisions[slug] = design.decision(slug).model_copy(update={"capacity": capacity})
    return design


def item_block(markdown: str, number: str) -> str:
    """The Markdown of one item's block, from its heading to the next heading."""
    start = markdown.index(f"\n### {number} ")
    return markdown[start : markdown.index("\n#", start + 1)]


def part(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}\n")
    return markdown[start : markdown.index("\n## ", start + 1)]


@pytest.fixture
def design(bundled_pack: ContentPack) -> Design:
    return with_capacity(example_design(bundled_pack))


def test_item_blocks_show_method_inputs_and_results(design: Design, bundled_pack: ContentPack) -> None:
    markdown = render_playbook(design, bundled_pack, TODAY)
    for number, inputs in (("3.1.2", QUEUE_DAY), ("3.3.2", QUEUE_ONE), ("3.3.3", PANEL), ("3.3.6", OVERBOOK)):
        block = item_block(markdown, number)
        assert result_markdown(calculate(inputs)) in block + "\n", number
    day = item_block(markdown, "3.1.2")
    assert "**Capacity, queue staffing (Erlang C):**" in day
    assert "| 19:00 | 40 | 12 | 18 | 88.2% | 44.9% | 3.4 min | 83.3% |" in day
    assert "Capacity:" not in item_block(markdown, "3.1.1")  # nothing stored there
    assert day.index("**Rationale:**") < day.index("**Capacity,")  # after the team's own words


def test_kpi_register_lists_the_targets_with_their_items(design: Design, bundled_pack: ContentPack) -> None:
    register = part(render_playbook(design, bundled_pack, TODAY), HEADING_KPIS)
    assert LABEL_TARGETS in register
    targets = register[register.index(LABEL_TARGETS) :]
    rows = [line for line in targets.split("\n") if line.startswith("| ") and "%" in line]
    assert rows == [
        "| 80% of patients answered within 10 minutes, in every hour with arrivals | 2 to 12 clinicians on shift by "
        "hour, 112 clinician-hours a day, 167 scheduled (Erlang C) "
        "| [3.1.2](#312-coverage-model-and-staffing-ratios) |",
        "| 80% of patients answered within 10 minutes | 5 clinicians on shift, 5 scheduled, for 12 arrivals an hour "
        "(Erlang C) | [3.3.2](#332-same-day-and-urgent-access) |",
        "| At most 5% of sessions with more patients than slots | 1 extra booking on 20 slots at a 15% no-show rate "
        "(binomial no-shows) | [3.3.6](#336-no-show-reduction-strategies) |",
    ]  # the panel size is a capacity, not a target: it stays under its item


def test_not_applicable_items_set_no_target(design: Design, bundled_pack: ContentPack) -> None:
    design.decisions["no-show-reduction"] = design.decisions["no-show-reduction"].model_copy(
        update={"status": "not-applicable"}
    )
    register = part(render_playbook(design, bundled_pack, TODAY), HEADING_KPIS)
    assert "3.3.6" not in register and "3.1.2" in register


def test_no_figures_no_targets(bundled_pack: ContentPack) -> None:
    markdown = render_playbook(example_design(bundled_pack), bundled_pack, TODAY)
    assert LABEL_TARGETS not in markdown and "**Capacity," not in markdown


def test_structure_is_the_playbooks_own(design: Design, bundled_pack: ContentPack) -> None:
    markdown = render_playbook(design, bundled_pack, TODAY)
    tokens = PARSER_WITH_HTML.parse(markdown)
    assert headings(tokens) == expected_headings(design, bundled_pack)
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    found = tables(tokens, markdown)
    assert (
        [table.header for table in found]
        == [
            SIGN_OFF_HEADER,
            SUMMARY_HEADER,
            QUEUE_HEADER,  # 3.1.2, by hour
            QUEUE_HEADER[1:],  # 3.3.2, one figure
            TARGETS_HEADER,  # the KPI register's measures are a list; the calculators' targets a table
        ]
    )
    assert [len(table.rows) for table in found[2:4]] == [24, 1]
    assert all(len(row) == len(table.header) for table in found for row in table.rows)
    assert HEADING_OPEN in markdown


def test_lint_clean_even_with_the_rules_for_user_text_on(design: Design, bundled_pack: ContentPack) -> None:
    markdown = render_playbook(design, bundled_pack, TODAY)
    assert_document_shape(markdown)
    assert_links_resolve(markdown)
    assert lint(markdown, strict=True) == []


def test_hostile_text_around_the_figures(bundled_pack: ContentPack) -> None:
    hostile = with_capacity(lint_hostile_design(bundled_pack))
    markdown = render_playbook(hostile, bundled_pack, TODAY)
    assert_document_shape(markdown)
    assert lint(markdown) == []
    tokens = PARSER_WITH_HTML.parse(markdown)
    assert headings(tokens) == expected_headings(hostile, bundled_pack)
    headers = [table.header for table in tables(tokens, markdown)]
    assert headers.count(QUEUE_HEADER) == 1 and TARGETS_HEADER in headers
    assert result_markdown(calculate(QUEUE_DAY)) in item_block(markdown, "3.1.2") + "\n"


def test_same_bytes_in_any_order_and_through_the_file(
    design: Design, bundled_pack: ContentPack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = render(design, bundled_pack, "markdown", TODAY)
    assert render(design.model_copy(deep=True), bundled_pack, "markdown", TODAY) == first
    slugs = list(design.decisions)
    random.Random(7).shuffle(slugs)
    shuffled = design.model_copy(update={"decisions": {slug: design.decisions[slug] for slug in slugs}})
    assert render(shuffled, bundled_pack, "markdown", TODAY) == first
    html = render(design, bundled_pack, "html", TODAY)
    assert html == render(shuffled, bundled_pack, "html", TODAY)
    assert "<td>19:00</td>" in html
    written = write_design(tmp_path / "design.toml", design, order=slugs)
    out = tmp_path / "playbook.md"
    assert main(["export", str(written), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == first
    capsys.readouterr()
