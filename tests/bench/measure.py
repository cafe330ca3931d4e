"""The measurements: each function takes its counts as arguments, so the smoke test can run them tiny.

Subprocess measurements run a fresh interpreter each time (import time counts) from the repository
root, with bytecode cached in the bench's own folder (PYTHONPYCACHEPREFIX) as an installed package
would have it, and with one unmeasured warm-up run of each command first. Runs of the two sides of
a comparison are interleaved (ABBA), so drift in machine load hits both.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bench.fixtures import SCALE_PACK_ID, bundled_pack, change_one_field, generate_pack, write_full_design
from tests.bench.probe import FloorTexts
from wizard.content import load_pack
from wizard.playbook import render
from wizard.project import load_design

REPO = Path(__file__).resolve().parents[2]
BASELINE_IMPORTS = "import tomlkit, markdown_it, pydantic"
FIRST_MODEL = "import os\nfrom pydantic import BaseModel\nclass M(BaseModel):\n    x: int = 0\nM(x=1)\nos._exit(0)"
"""A reference beside the export baseline: the least a program that validates with pydantic does
(``import pydantic`` alone imports no model machinery; the first model class and its first
validation bring in the rest, plugin discovery included). It ends as the export does, at once
(``os._exit``), so the two differ only by the export's own work."""


@dataclass
class Samples:
    """Timings (seconds) or sizes of one measurement."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """The median (0 when empty)."""
        return statistics.median(self.values) if self.values else 0.0

    @property
    def spread(self) -> float:
        """The interquartile range (nearest ranks): how much runs of the same thing differ."""
        if len(self.values) < 2:
            return 0.0
        ordered = sorted(self.values)
        return ordered[(3 * len(ordered)) // 4] - ordered[len(ordered) // 4]

    @property
    def p95(self) -> float:
        """The 95th percentile, nearest rank (0 when empty)."""
        if not self.values:
            return 0.0
        ordered = sorted(self.values)
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


@dataclass
class Workspace:
    """The bench's own folder: designs, generated packs and user data live here."""

    root: Path
    pycache: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "telewizard-bench-pycache")
    """Bytecode of every module the subprocesses import, as an installed package has it; kept between
    runs (in the system temporary folder, never in the repository) so only a first run compiles."""

    def __post_init__(self) -> None:
        for folder in (self.root / "data", self.root / "out", self.pycache):
            folder.mkdir(parents=True, exist_ok=True)

    def env(self, content_path: Path | None = None) -> dict[str, str]:
        """Environment of a measured subprocess (and of in-process runs: see ``isolated``)."""
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("TELEWIZARD_CONTENT_PATH", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        env.pop("TELEWIZARD_DATA_DIR", None)
        if sys.platform.startswith("linux"):
            # The user's own path to the data and cache folders (XDG_*, read by platformdirs and, for
            # the cache, by wizard.paths), here pointed into the bench's folder; elsewhere platformdirs
            # ignores XDG_*, so the override is used.
            for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
                env[name] = str(self.root / "data" / name.lower())
        else:
            env["TELEWIZARD_DATA_DIR"] = str(self.root / "data")
        env["SOURCE_DATE_EPOCH"] = "1796083200"
        if content_path is not None:
            env["TELEWIZARD_CONTENT_PATH"] = str(content_path)
        return env

    @contextmanager
    def isolated(self, content_path: Path | None = None) -> Iterator[None]:
        """Run in-process code with the bench's user data folder (never the real one)."""
        saved = dict(os.environ)
        env = self.env(content_path)
        os.environ.update({k: v for k, v in env.items() if k.startswith(("TELEWIZARD", "SOURCE", "XDG_"))})
        for name in ("TELEWIZARD_CONTENT_PATH", "TELEWIZARD_DATA_DIR"):
            if name not in env:
                os.environ.pop(name, None)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


# ---------------------------------------------------------------------------
# Subprocesses
# ---------------------------------------------------------------------------


def run_probe(ws: Workspace, args: Sequence[str], content_path: Path | None = None) -> dict[str, Any]:
    """One probe run: seconds from process start to the first painted screen, and peak RSS."""
    env = ws.env(content_path)
    env["BENCH_T0"] = repr(time.time())
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.probe", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"probe {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def run_timed(ws: Workspace, args: Sequence[str], content_path: Path | None = None) -> tuple[float, float]:
    """Wall time and CPU time of one command, start to exit (a fresh interpreter: ``python ARGS``)."""
    env = ws.env(content_path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def interleaved(runs: int, *measures: Callable[[], Any], warm_up: bool = True) -> tuple[list[Any], ...]:
    """One unmeasured warm-up of each, then rounds in forward and backward order by turns (ABBA for
    two: a, b, b, a, a, b...), so drift in machine load hits every measure alike."""
    if warm_up:
        for measure in measures:
            measure()
    samples: list[list[Any]] = [[] for _ in measures]
    for index in range(runs):
        order = range(len(measures)) if index % 2 == 0 else range(len(measures) - 1, -1, -1)
        for position in order:
            samples[position].append(measures[position]())
    return tuple(samples)


@dataclass
class OpenResult:
    """Opening the full design to the first painted workspace, against the minimal app."""

    wizard: Samples
    minimal: Samples
    wizard_rss_kib: Samples
    minimal_rss_kib: Samples
    wizard_cpu: Samples
    minimal_cpu: Samples


def measure_open(ws: Workspace, design: Path, floor: Path, runs: int, *, warm_up: bool = True) -> OpenResult:
    """Fresh-process time to first paint (and peak RSS) of the wizard opening ``design`` and of the
    minimal app showing the same texts (``floor``: see ``tests.bench.floor.write_open_texts``)."""
    wizard, minimal = interleaved(
        runs,
        lambda: run_probe(ws, ["wizard", str(design)]),
        lambda: run_probe(ws, ["minimal", str(floor)]),
        warm_up=warm_up,
    )
    for report in wizard:
        assert report["screen"] == "WorkspaceScreen", report
    return OpenResult(
        Samples([r["seconds"] for r in wizard]),
        Samples([r["seconds"] for r in minimal]),
        Samples([r["rss_kib"] for r in wizard]),
        Samples([r["rss_kib"] for r in minimal]),
        Samples([r["cpu_seconds"] for r in wizard]),
        Samples([r["cpu_seconds"] for r in minimal]),
    )


def export_args(design: Path, out: Path) -> list[str]:
    """``python -m wizard export DESIGN -o OUT``."""
    return ["-m", "wizard", "export", str(design), "-o", str(out)]


@dataclass
class ExportResult:
    """Headless export against importing its libraries: wall and CPU time."""

    export: Samples
    baseline: Samples
    export_cpu: Samples
    baseline_cpu: Samples
    first_model: Samples
    first_model_cpu: Samples


def measure_export(ws: Workspace, design: Path, runs: int, *, warm_up: bool = True) -> ExportResult:
    """Headless export of the design against importing its three libraries, with pydantic's first
    model (``FIRST_MODEL``) as a reference."""
    out = ws.root / "out" / "playbook.md"
    export, baseline, first_model = interleaved(
        runs,
        lambda: run_timed(ws, export_args(design, out)),
        lambda: run_timed(ws, ["-c", BASELINE_IMPORTS]),
        lambda: run_timed(ws, ["-c", FIRST_MODEL]),
        warm_up=warm_up,
    )
    return ExportResult(
        Samples([wall for wall, _ in export]),
        Samples([wall for wall, _ in baseline]),
        Samples([cpu for _, cpu in export]),
        Samples([cpu for _, cpu in baseline]),
        Samples([wall for wall, _ in first_model]),
        Samples([cpu for _, cpu in first_model]),
    )


# ---------------------------------------------------------------------------
# In-process: item switch, keystroke, autosave
# ---------------------------------------------------------------------------


@dataclass
class SwitchResult:
    """Next item to a fully rendered pane, per tab."""

    decision_tab: Samples
    guidance_tab: Samples


@dataclass
class KeystrokeResult:
    """One character typed into the summary: the handler, the whole key, and where the save ran."""

    handler: Samples
    key_to_paint: Samples
    saves_in_handler: int
    save_threads: set[str]
    saved: bool


async def _send_key(app: Any, key: str, character: str | None = None) -> None:
    """Deliver a key the way the terminal driver does (no Pilot sleeps in the timed path)."""
    from textual import events

    event = events.Key(key, character)
    event.set_sender(app)
    app._driver.send_message(event)
    await asyncio.sleep(0)


async def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the wizard did not react in time")
        await asyncio.sleep(0)


async def _open_workspace(design: Path) -> Any:
    from tests.bench.probe import SIZE, track_markdown_updates
    from wizard.tui.app import make_app

    track_markdown_updates()
    return make_app(design), SIZE


def measure_item_switch(
    ws: Workspace, subject: Path | FloorTexts, presses: int, guidance_presses: int | None = None
) -> SwitchResult:
    """Ctrl+N to the next item, timed until the pane is painted:
    ``presses`` on the decision tab, then ``guidance_presses`` (default: as many) on the guidance tab.

    ``subject`` is the design the wizard opens, or what the workspace shows of it (``floor_texts``)
    for the minimal app instead (the probe's MinimalScreen putting the same texts into the same
    widgets): the framework's floor for the same work."""
    from tests.bench.probe import SIZE, MinimalApp, MinimalScreen, painted
    from wizard.tui.screens.workspace import WorkspaceScreen

    design = subject if isinstance(subject, Path) else None

    async def scenario() -> SwitchResult:
        if isinstance(subject, FloorTexts):
            app: Any = MinimalApp(subject)
            size: tuple[int, int] = SIZE
            target: type[Any] = MinimalScreen
        else:
            app, size = await _open_workspace(subject)
            target = WorkspaceScreen
        result = SwitchResult(Samples(), Samples())
        async with app.run_test(size=size) as pilot:
            await _wait_for(lambda: isinstance(app.screen, target))
            screen = app.screen
            await painted(screen)
            for samples, count in (
                (result.decision_tab, presses),
                (result.guidance_tab, presses if guidance_presses is None else guidance_presses),
            ):
                if samples is result.guidance_tab:
                    await pilot.press("f2")
                    await painted(screen)
                for _ in range(count):
                    before = screen.current
                    start = time.perf_counter()
                    await _send_key(app, "ctrl+n")
                    await _wait_for(lambda before=before: screen.current != before)
                    await painted(screen)
                    samples.values.append(time.perf_counter() - start)
            if design is not None:
                await screen.flush_before_quit()
        return result

    with ws.isolated():
        return asyncio.run(scenario())


def measure_keystroke(ws: Workspace, design: Path, keys: int) -> KeystrokeResult:
    """Type into the summary: time the Input.Changed handler and the key to paint; find where saves run."""
    from textual.widgets import Input

    from tests.bench.probe import painted
    from wizard.tui.screens.workspace import SAVE_DELAY, WorkspaceScreen

    async def scenario() -> KeystrokeResult:
        app, size = await _open_workspace(design)
        result = KeystrokeResult(Samples(), Samples(), 0, set(), False)
        async with app.run_test(size=size) as pilot:
            await _wait_for(lambda: isinstance(app.screen, WorkspaceScreen))
            screen = app.screen
            await painted(screen)
            await asyncio.sleep(SAVE_DELAY * 2)  # let the resume-point save of opening pass
            await _wait_for(lambda: not screen.session.dirty)
            session = screen.session
            summary = screen.query_one("#owner", Input)  # a one-line field (the summary is a text area)
            summary.focus()
            await pilot.pause()
            in_handler = False
            original_save = session.save

            def counting_save(*args: Any, **kwargs: Any) -> Any:
                if in_handler:
                    result.saves_in_handler += 1
                result.save_threads.add(threading.current_thread().name)
                return original_save(*args, **kwargs)

            session.save = counting_save  # type: ignore[method-assign]
            original_handler = WorkspaceScreen._input_changed

            for index in range(keys):
                # The handler itself, as the message dispatch calls it.
                summary.value = summary.value + "x"
                event = Input.Changed(summary, summary.value)
                in_handler = True
                start = time.perf_counter()
                original_handler(screen, event)
                result.handler.values.append(time.perf_counter() - start)
                in_handler = False
                # The whole key: delivery, Input, handler, repaint.
                before = summary.value
                start = time.perf_counter()
                await _send_key(app, "a" if index % 2 else "b", "a" if index % 2 else "b")
                await _wait_for(lambda before=before: summary.value != before)
                await painted(screen)
                result.key_to_paint.values.append(time.perf_counter() - start)
            await asyncio.sleep(SAVE_DELAY * 2)
            await app.workers.wait_for_complete()
            result.saved = not session.dirty
            await screen.flush_before_quit()
        return result

    with ws.isolated():
        return asyncio.run(scenario())


@dataclass
class SaveResult:
    """Saving a full design after a one-field change."""

    session_save: Samples
    file_save: Samples


def measure_autosave(ws: Workspace, design: Path, runs: int) -> SaveResult:
    """``DesignSession.save()`` (what autosave runs) and ``DesignFile.save()`` after one changed field."""
    from wizard.content import load_pack_by_ref
    from wizard.tui.session import DesignSession

    result = SaveResult(Samples(), Samples())
    with ws.isolated():
        loaded = load_design(design, pack_loader=load_pack_by_ref)
        pack = load_pack_by_ref(loaded.design.project.content)
        session = DesignSession(loaded, pack)
        slug = pack.items[0].id
        for index in range(runs + 1):
            decision = session.decision(slug)
            decision.summary = f"{decision.summary.rstrip('0123456789 ')} {index}"
            session.touch(slug)
            start = time.perf_counter()
            outcome = session.save()
            elapsed = time.perf_counter() - start
            assert outcome.ok, outcome.message
            if index:  # the first save parses the file's document: measured below, not here
                result.session_save.values.append(elapsed)
        file = load_design(design, pack)
        file.save()
        for index in range(runs):
            change_one_field(file, index)
            result.file_save.values.append(_timed(file.save))
    return result


def _timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# ---------------------------------------------------------------------------
# Scale
# ---------------------------------------------------------------------------


@dataclass
class ScaleResult:
    """One generated pack size: load, render and save in-process; first paint and export as fresh
    processes (wall time, and CPU time, which a busy machine disturbs less)."""

    size: int
    load: Samples = field(default_factory=Samples)
    open: Samples = field(default_factory=Samples)
    save: Samples = field(default_factory=Samples)
    export: Samples = field(default_factory=Samples)
    cold_load: Samples = field(default_factory=Samples)
    """Loading the pack from its TOML files, before the pack cache holds it (once)."""
    render: Samples = field(default_factory=Samples)
    open_cpu: Samples = field(default_factory=Samples)
    export_cpu: Samples = field(default_factory=Samples)


def prepare_scale(ws: Workspace, size: int) -> tuple[Path, Path, float]:
    """Generate a pack of ``size`` items and a design answering all of them.

    Returns the content root, the design, and the seconds the first load of the pack took (from its
    TOML files: the pack cache does not hold it yet)."""
    root = generate_pack(ws.root / f"scale-{size}" / "content", size)
    with ws.isolated(root):
        start = time.perf_counter()
        pack = load_pack(root / SCALE_PACK_ID)
        cold = time.perf_counter() - start
        design = write_full_design(ws.root / f"scale-{size}" / "design.toml", pack, title=f"Scale {size}")
    return root, design, cold


def measure_scale(ws: Workspace, sizes: Sequence[int], runs: int, *, warm_up: bool = True) -> list[ScaleResult]:
    """Every size: load, render and save in-process; first paint and export as fresh processes.

    The runs go round the sizes (smallest to largest, then back), so a change in the machine's load
    during the measurement falls on every size alike instead of bending the growth curve.
    """
    prepared = {size: prepare_scale(ws, size) for size in sizes}
    results = {size: ScaleResult(size, cold_load=Samples([prepared[size][2]])) for size in sizes}
    outs = {size: ws.root / "out" / f"scale-{size}.md" for size in sizes}

    def rounds() -> Iterator[int]:
        for index in range(runs):
            yield from (sizes if index % 2 == 0 else list(reversed(sizes)))

    if warm_up:  # bytecode, the file cache, the pack cache
        for size in sizes:
            root, design, _ = prepared[size]
            run_probe(ws, ["wizard", str(design)], root)
            run_timed(ws, export_args(design, outs[size]), root)
    for size in rounds():
        root, design, _ = prepared[size]
        report = run_probe(ws, ["wizard", str(design)], root)
        results[size].open.values.append(report["seconds"])
        results[size].open_cpu.values.append(report["cpu_seconds"])
        wall, cpu = run_timed(ws, export_args(design, outs[size]), root)
        results[size].export.values.append(wall)
        results[size].export_cpu.values.append(cpu)
    files = {}
    for size in rounds():
        root, design, _ = prepared[size]
        with ws.isolated(root):
            files.pop(size, None)  # the previous load is freed outside the timed part
            start = time.perf_counter()
            pack = load_pack(root / SCALE_PACK_ID)
            file = load_design(design, pack)
            results[size].load.values.append(time.perf_counter() - start)
            start = time.perf_counter()
            render(file.design, pack)
            results[size].render.values.append(time.perf_counter() - start)
            files[size] = file
            del pack, file  # freed here, not inside the next timed load
    for size in sizes:
        files[size].save()  # the first save checks the document; later ones are the autosave's
    for index, size in enumerate(rounds()):
        change_one_field(files[size], index)
        results[size].save.values.append(_timed(files[size].save))
    return [results[size] for size in sizes]


def full_design(ws: Workspace) -> Path:
    """The 40-item design of the bundled pack, every item decided."""
    return write_full_design(ws.root / "riverbend.toml", bundled_pack())
