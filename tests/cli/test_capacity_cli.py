"""``telewizard capacity queue|panel|overbook`` as a user runs it: output, JSON shapes, exit codes, and one
line naming the option for bad input (exit 2, never a traceback)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_commands import run
from wizard.cli import main

TEXTBOOK = [
    "capacity",
    "queue",
    "--arrivals",
    "12",
    "--handle-minutes",
    "15",
    "--answer-within",
    "10",
    "--target",
    "0.8",
]
DAY = "0,0,0,0,0,0,2,5,12,20,25,22,18,20,24,22,18,15,30,40,28,14,6,2"


def assert_one_line_usage_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr that names every needle."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_the_textbook_case(tmp_path: Path) -> None:
    result = run(*TEXTBOOK, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert " ".join(lines[:2]).startswith("Queue staffing (Erlang C): 12 arrivals an hour; average handle time 15")
    assert lines[3].split() == ["arrivals", "on", "shift", "scheduled", "in", "10", "min", "any", "wait", "avg", "wait",
                                "occupancy"]  # fmt: skip
    assert lines[4].split() == ["12", "5", "5", "93.8%", "23.6%", "1.8", "min", "60%"]
    assert " ".join(lines[6:]).startswith("By Erlang C, at 12 arrivals an hour and 15-minute visits, 5 clinicians on")
    assert max(len(line) for line in lines) <= 80


def test_queue_json_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    result = run(*TEXTBOOK, "--shrinkage", "0.3", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["method", "results"]
    assert data["method"] == "erlang-c"
    (row,) = data["results"]
    assert list(row) == [
        "arrivals_per_hour",
        "clinicians",
        "scheduled",
        "service_level",
        "wait_probability",
        "average_wait_minutes",
        "occupancy",
    ]
    assert (row["arrivals_per_hour"], row["clinicians"], row["scheduled"]) == (12, 5, 8)
    assert row["service_level"] == pytest.approx(0.93775, abs=1e-5)
    assert row["wait_probability"] == pytest.approx(0.23615, abs=1e-5)
    assert row["average_wait_minutes"] == pytest.approx(1.77114, abs=1e-5)
    assert row["occupancy"] == pytest.approx(0.6)


def test_a_day_by_hour(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["capacity", "queue", "--arrivals", DAY, "--handle-minutes", "15", "--answer-within", "10"]
    assert main([*args, "--target", "0.8", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]
    assert len(rows) == 24
    assert [row["clinicians"] for row in rows] == [0] * 6 + [2, 3, 5, 7, 8, 7, 6, 7, 8, 7, 6, 6, 9, 12, 9, 5, 3, 2]
    assert main([*args, "--target", "0.8"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[out.index("") + 2].split() == ["00:00", "0", "0", "0", "-", "-", "-", "-"]
    assert out[out.index("") + 21].split()[:3] == ["19:00", "40", "12"]
    assert " ".join(out).endswith("112 clinician-hours on shift, 112 scheduled after 0% shrinkage.")
    assert max(len(line) for line in out) <= 80  # words and table fit an 80-column terminal


def test_panel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["capacity", "panel", "--visits-per-day", "20", "--days-per-year", "220", "--visits-per-patient-year", "3.2"]
    result = run(*args, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"method": "panel", "panel_size": 1375}
    assert main(args) == 0
    assert " ".join(capsys.readouterr().out.split()).endswith("one clinician can carry a panel of 1375 patients.")


def test_overbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["capacity", "overbook", "--slots", "20", "--no-show-rate", "0.15", "--overflow-risk", "0.05"]
    result = run(*args, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["method", "extra_bookings", "overflow_probability"]
    assert data["method"] == "binomial" and data["extra_bookings"] == 1
    assert data["overflow_probability"] == pytest.approx(0.85**21)
    assert main(args) == 0
    assert "booking 1 extra (21 in all)" in " ".join(capsys.readouterr().out.split())


def test_bad_figures_in_a_subprocess(tmp_path: Path) -> None:
    """As a user sees it: one line, exit 2, the option named."""
    bad = [*TEXTBOOK[:-1], "1"]
    assert_one_line_usage_error(run(*bad, cwd=tmp_path), "capacity queue", "--target", "no finite number")
    result = run(
        "capacity", "overbook", "--slots", "20", "--no-show-rate", "1", "--overflow-risk", "0.05", cwd=tmp_path
    )
    assert_one_line_usage_error(result, "--no-show-rate", "must be below 1")


QUEUE = {"--arrivals": "12", "--handle-minutes": "15", "--answer-within": "10", "--target": "0.8"}
PANEL = {"--visits-per-day": "20", "--days-per-year": "220", "--visits-per-patient-year": "3.2"}
OVERBOOK = {"--slots": "20", "--no-show-rate": "0.15", "--overflow-risk": "0.05"}


@pytest.mark.parametrize(
    ("calculator", "option", "value", "expected"),
    [
        ("queue", "--arrivals", "0", "--arrivals: must be more than 0"),
        ("queue", "--arrivals", "-3", "--arrivals: must not be negative (got -3)"),
        ("queue", "--arrivals", "12,x", "--arrivals (figure 2): 'x' is not a number"),
        ("queue", "--arrivals", "12,14,16", "--arrivals: give one figure, or 24"),
        ("queue", "--arrivals", "nan", "--arrivals: must be a finite number"),
        ("queue", "--arrivals", "1e9", "--arrivals: must be at most 100000 an hour"),
        ("queue", "--handle-minutes", "0", "--handle-minutes: must be more than 0 (got 0)"),
        ("queue", "--handle-minutes", "fifteen", "--handle-minutes: 'fifteen' is not a number"),
        ("queue", "--answer-within", "-1", "--answer-within: must be more than 0 (got -1)"),
        ("queue", "--target", "1", "--target: no finite number of clinicians answers every patient in time"),
        ("queue", "--target", "80", "--target: no finite number of clinicians"),
        ("queue", "--target", "0", "--target: must be a share above 0 and below 1"),
        ("queue", "--shrinkage", "1", "--shrinkage: must be a share from 0 to below 1"),
        ("panel", "--visits-per-day", "0", "--visits-per-day: must be more than 0"),
        ("panel", "--days-per-year", "400", "--days-per-year: must be at most 366"),
        ("panel", "--visits-per-patient-year", "-2", "--visits-per-patient-year: must be more than 0"),
        ("overbook", "--slots", "0", "--slots: must be at least 1"),
        ("overbook", "--slots", "20.5", "--slots: must be a whole number"),
        ("overbook", "--no-show-rate", "1", "--no-show-rate: must be below 1"),
        ("overbook", "--no-show-rate", "-0.1", "--no-show-rate: must be a share from 0 to 0.99"),
        ("overbook", "--overflow-risk", "0", "--overflow-risk: must be a share above 0 and below 1"),
        ("overbook", "--overflow-risk", "1.5", "--overflow-risk: must be a share above 0 and below 1"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(
    calculator: str, option: str, value: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = {"queue": QUEUE, "panel": PANEL, "overbook": OVERBOOK}[calculator] | {option: value}
    args = ["capacity", calculator] + [f"{name}={figure}" for name, figure in figures.items()]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith(f"telewizard capacity {calculator}: {expected}"), lines


@pytest.mark.parametrize(
    "args",
    [
        ["capacity"],
        ["capacity", "erlang"],
        ["capacity", "queue", "--arrivals", "12", "--handle-minutes", "15", "--answer-within", "10"],
        ["capacity", "panel", "--visits-per-day", "20"],
    ],
    ids=lambda args: " ".join(args),
)
def test_missing_options_are_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert "usage: telewizard capacity" in capsys.readouterr().err


@pytest.mark.parametrize("calculator", ["queue", "panel", "overbook"])
def test_each_calculator_has_help(calculator: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["capacity", calculator, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: telewizard capacity {calculator}")


def test_check_warns_of_figures_on_an_item_the_calculator_does_not_serve(tmp_path: Path) -> None:
    """Inputs pasted under the wrong item (3.1.1 holds the panel's, which serves 3.3.3) are a warning
    naming the item, the calculator and the item it serves; the same table under 3.3.3 is not."""
    from tests.cli.test_commands import write_design
    from wizard.content import load_pack_by_ref

    pack = load_pack_by_ref()
    path = write_design(tmp_path / "d.toml", pack)
    panel = "visits_per_day = 20\ndays_per_year = 220\nvisits_per_patient_year = 3.2\n"
    queue = "arrivals = 12\nhandle_minutes = 15\nanswer_within = 10\ntarget = 0.8\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(f"\n[decisions.provider-scheduling.capacity.panel]\n{panel}")
        file.write(f"\n[decisions.provider-scheduling.capacity.queue]\n{queue}")
        file.write(f"\n[decisions.panel-capacity.capacity.panel]\n{panel}")
    result = run("check", "d.toml", cwd=tmp_path)
    misplaced = [line for line in result.stdout.splitlines() if "calculator does not serve" in line]
    assert misplaced == [
        "d.toml: warning: 3.1.1 Provider scheduling and availability: capacity.panel: the panel calculator does not "
        "serve this item (it serves 3.3.3); its inputs are kept, but belong under the item it serves"
    ], result.stdout
    strict = run("check", "d.toml", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
