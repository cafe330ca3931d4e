"""``make bench``: measure everything in one run and print one table against the budgets of SPEC.md.

Budgets ("Performance budgets" in the spec):
- open the full 40-item design to the first painted workspace: at most 1.5x a minimal Textual app
  with the same widget classes;
- switching items: a fully rendered pane within 1.3x the minimal app's repaint of the same widgets;
- autosave of a full design: under 10 ms median, never on the keystroke path;
- headless export: at most 1.6x ``python -c "import tomlkit, markdown_it, pydantic"``;
- scale: 1,000 generated items open, save and export with cost growing linearly.

Peak memory is reported against the minimal app, without a budget. Nothing here fails a test run:
the exit code is 1 when a budget does not hold, so CI can show it, and 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench.fixtures import bundled_pack
from tests.bench.floor import floor_texts, write_open_texts
from tests.bench.measure import (
    ExportResult,
    KeystrokeResult,
    OpenResult,
    Samples,
    SaveResult,
    ScaleResult,
    SwitchResult,
    Workspace,
    full_design,
    measure_autosave,
    measure_export,
    measure_item_switch,
    measure_keystroke,
    measure_open,
    measure_scale,
)

OPEN_RATIO = 1.5
EXPORT_RATIO = 1.6
SWITCH_RATIO = 1.3
AUTOSAVE_MS = 10.0
LINEAR_SLACK = 1.5
"""Growth counts as linear when the cost per added item from 500 to 1,000 items is at most this many
times the cost per added item from 250 to 500 (a quadratic term would double it), give or take what
the runs' own spread can explain (the interquartile range of each round's cost per added item, at both
steps: see ``growth``)."""


@dataclass
class Counts:
    """How many runs of each measurement."""

    open_runs: int = 11
    export_runs: int = 11
    switch_presses: int = 40
    guidance_presses: int = 15
    keys: int = 30
    save_runs: int = 30
    scale_sizes: tuple[int, ...] = (250, 500, 1000)
    scale_runs: int = 5
    warm_up: bool = True


@dataclass
class Row:
    """One line of the table."""

    name: str
    median: str
    p95: str = ""
    baseline: str = ""
    ratio: str = ""
    budget: str = ""
    verdict: str = ""


def ms(seconds: float) -> str:
    """Seconds as milliseconds for the table."""
    return f"{seconds * 1000:.1f} ms"


def mib(kib: float) -> str:
    """KiB as MiB for the table."""
    return f"{kib / 1024:.1f} MiB"


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"


def against(name: str, samples: Samples, baseline: Samples, budget: float | None = None) -> Row:
    """A median beside its baseline's, with the ratio; judged when there is a budget (a ratio)."""
    ratio = samples.median / baseline.median
    return Row(
        name,
        ms(samples.median),
        ms(samples.p95),
        ms(baseline.median),
        f"{ratio:.2f}x",
        f"<= {budget}x" if budget is not None else "(report)",
        verdict(ratio <= budget) if budget is not None else "info",
    )


def open_rows(result: OpenResult) -> list[Row]:
    """Open to first paint (wall time, and CPU time for information), and peak memory."""
    rss_ratio = result.wizard_rss_kib.median / result.minimal_rss_kib.median
    return [
        against("open 40-item design (first paint)", result.wizard, result.minimal, OPEN_RATIO),
        against("  the same, CPU time of the process", result.wizard_cpu, result.minimal_cpu),
        Row(
            "memory: peak RSS at first paint",
            mib(result.wizard_rss_kib.median),
            "",
            mib(result.minimal_rss_kib.median),
            f"{rss_ratio:.2f}x",
            "(report)",
            "info",
        ),
    ]


def switch_rows(result: SwitchResult, floor: SwitchResult) -> list[Row]:
    """Item switch, per tab, beside the minimal app doing the same widget updates (the floor)."""
    rows = []
    for name, samples, minimal in (
        ("decision tab", result.decision_tab, floor.decision_tab),
        ("guidance tab", result.guidance_tab, floor.guidance_tab),
    ):
        rows.append(
            Row(
                f"item switch, {name} (Ctrl+N to painted)",
                ms(samples.median),
                ms(samples.p95),
                ms(minimal.median),
                f"{samples.median / minimal.median:.2f}x" if minimal.median else "",
                budget=f"<= {SWITCH_RATIO}x",
                verdict=verdict(bool(minimal.median) and samples.median <= minimal.median * SWITCH_RATIO),
            )
        )
    return rows


def save_rows(result: SaveResult, keys: KeystrokeResult) -> list[Row]:
    """Autosave and the keystroke path."""
    off_path = keys.saves_in_handler == 0 and keys.saved and "MainThread" not in keys.save_threads
    return [
        Row(
            "autosave: DesignSession.save() after 1 field",
            ms(result.session_save.median),
            ms(result.session_save.p95),
            budget=f"< {AUTOSAVE_MS:.0f} ms",
            verdict=verdict(result.session_save.median < AUTOSAVE_MS / 1000),
        ),
        Row(
            "autosave: DesignFile.save() after 1 field",
            ms(result.file_save.median),
            ms(result.file_save.p95),
            budget="(report)",
            verdict="info",
        ),
        Row(
            "keystroke: summary Input.Changed handler",
            ms(keys.handler.median),
            ms(keys.handler.p95),
            budget=f"0 saves in handler (saw {keys.saves_in_handler})",
            verdict=verdict(off_path),
        ),
        Row(
            "keystroke: key to painted",
            ms(keys.key_to_paint.median),
            ms(keys.key_to_paint.p95),
            budget="saves ran in " + (", ".join(sorted(keys.save_threads)) or "no thread"),
            verdict="info",
        ),
    ]


def export_rows(result: ExportResult) -> list[Row]:
    """Headless export against importing its libraries (wall time, and CPU time for information), then
    the reference program that validates one pydantic model, against the same baseline."""
    cpu = "  the same, CPU time of the process"
    return [
        against("export 40-item design (subprocess)", result.export, result.baseline, EXPORT_RATIO),
        against(cpu, result.export_cpu, result.baseline_cpu),
        against("  reference: one pydantic model, validated once", result.first_model, result.baseline),
        against(cpu, result.first_model_cpu, result.baseline_cpu),
    ]


def growth(small: ScaleResult, middle: ScaleResult, large: ScaleResult, attribute: str) -> tuple[Samples, Samples]:
    """The cost per added item from the small size to the middle one, and from the middle to the large,
    once per round of runs. A round measures every size in turn, so a change in the machine's speed
    between rounds falls on both ends of each difference and cancels out, where differences of
    medians taken over all rounds kept it (a linearity row failed in two of three runs that way)."""
    a, b, c = (getattr(result, attribute).values for result in (small, middle, large))
    firsts = [(y - x) / (middle.size - small.size) for x, y in zip(a, b, strict=True)]
    seconds = [(z - y) / (large.size - middle.size) for y, z in zip(b, c, strict=True)]
    return Samples(firsts), Samples(seconds)


def scale_rows(results: list[ScaleResult], open_floor: float = 0.0, export_floor: float = 0.0) -> list[Row]:
    """Per size: load, render, first paint, save, export, with the cost per item; then linearity.

    The fresh-process rows show their floor in the baseline column: the minimal app's first paint for
    open, importing the three libraries for export (both measured earlier in the same run)."""
    rows = []
    floors = {"open (first paint)": open_floor, "export (subprocess)": export_floor}
    for result in results:
        for name, samples in (
            ("load pack from TOML, no cache (once)", result.cold_load),
            ("load pack+design (in-process)", result.load),
            ("open (first paint)", result.open),
            ("save after 1 field", result.save),
            ("render playbook (in-process)", result.render),
            ("export (subprocess)", result.export),
        ):
            per_item = samples.median / result.size
            rows.append(
                Row(
                    f"scale {result.size}: {name}",
                    ms(samples.median),
                    "",
                    ms(floors[name]) if floors.get(name) else "",
                    f"{per_item * 1e6:.0f} us/item",
                    "(report)",
                    "info",
                )
            )
    if len(results) >= 3:
        small, middle, large = sorted(results, key=lambda r: r.size)[-3:]
        # In-process work by wall time; fresh processes by CPU time (a busy machine stretches their wall
        # time by more than the growth being measured).
        for name, attribute in (
            ("load", "load"),
            ("save", "save"),
            ("render", "render"),
            ("open, CPU", "open_cpu"),
            ("export, CPU", "export_cpu"),
        ):
            firsts, seconds = growth(small, middle, large, attribute)
            first, second = max(firsts.median, 0.0), max(seconds.median, 0.0)
            noise = firsts.spread * LINEAR_SLACK + seconds.spread
            ok = second <= first * LINEAR_SLACK + noise
            rows.append(
                Row(
                    f"scale linearity: {name}, per added item {middle.size}->{large.size}",
                    f"{second * 1e6:.0f} us/item",
                    "",
                    f"{first * 1e6:.0f} us/item",
                    f"{(second / first) if first else 0:.2f}x",
                    f"<= {LINEAR_SLACK}x +{noise * 1e6:.0f}us spread",
                    verdict(ok),
                )
            )
    return rows


HEADERS = Row("measurement", "median", "p95", "baseline", "ratio", "budget", "result")


def table(rows: list[Row]) -> str:
    """Rows as a fixed-width text table."""
    cells = [[r.name, r.median, r.p95, r.baseline, r.ratio, r.budget, r.verdict] for r in [HEADERS, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def run(counts: Counts, root: Path, progress: bool = True) -> list[Row]:
    """Every measurement, in one run; returns the rows of the table."""
    ws = Workspace(root)

    def say(text: str) -> None:
        if progress:
            print(f"  {text}...", file=sys.stderr, flush=True)

    say("building the 40-item design, and what the workspace shows of it (the minimal app's texts)")
    design = full_design(ws)
    texts = floor_texts(design, bundled_pack())
    rows: list[Row] = []
    say(f"open: {counts.open_runs} fresh runs each of the wizard and the minimal app")
    opened = measure_open(
        ws, design, write_open_texts(texts, ws.root / "floor-open.json"), counts.open_runs, warm_up=counts.warm_up
    )
    rows += open_rows(opened)
    say(f"item switch: {counts.switch_presses} presses (decision tab), {counts.guidance_presses} (guidance tab)")
    switch = measure_item_switch(ws, design, counts.switch_presses, counts.guidance_presses)
    floor = measure_item_switch(ws, texts, counts.switch_presses, counts.guidance_presses)
    rows += switch_rows(switch, floor)
    say(f"autosave: {counts.save_runs} saves; keystroke: {counts.keys} keys")
    saves = measure_autosave(ws, design, counts.save_runs)
    keys = measure_keystroke(ws, design, counts.keys)
    rows += save_rows(saves, keys)
    say(f"export: {counts.export_runs} fresh runs each of export and the baseline")
    exported = measure_export(ws, design, counts.export_runs, warm_up=counts.warm_up)
    rows += export_rows(exported)
    sizes = ", ".join(str(size) for size in counts.scale_sizes)
    say(f"scale: packs of {sizes} items, {counts.scale_runs} runs each, taken in turn")
    scaled = measure_scale(ws, counts.scale_sizes, counts.scale_runs, warm_up=counts.warm_up)
    rows += scale_rows(scaled, opened.minimal.median, exported.baseline.median)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 when a budget does not hold."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few runs (a check that it works, not numbers)")
    args = parser.parse_args(argv)
    quick = Counts(open_runs=3, export_runs=3, switch_presses=10, guidance_presses=5, keys=5, save_runs=5, scale_runs=1)
    counts = quick if args.quick else Counts()
    started = time.perf_counter()
    print(
        f"telewizard bench: Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory(prefix="telewizard-bench-") as tmp:
        rows = run(counts, Path(tmp))
    print()
    print(table(rows))
    print(f"\n({time.perf_counter() - started:.0f} s in all; medians of fresh runs, interleaved with baselines)")
    return 1 if any(row.verdict == "FAIL" for row in rows) else 0
