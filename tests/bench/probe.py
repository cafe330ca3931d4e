"""Run one app headless to its first painted screen, print how long that took, and exit.

Run in a fresh interpreter from the repository root, so import time counts:

    python -m tests.bench.probe wizard DESIGN.toml
    python -m tests.bench.probe minimal

``BENCH_T0`` (``time.time()`` taken by the parent just before it started this process) makes the
time "since the process was started"; without it the time counts from this script's first line.
The probe waits until the target screen (the wizard's WorkspaceScreen, or the minimal app's one
screen) is current, every Markdown widget update on it (if any) has finished mounting, and the screen has been
painted with nothing left to refresh. Then it prints one JSON line (seconds, CPU seconds of this
process, peak RSS in KiB) and leaves at once with ``os._exit``, so teardown is not measured.

The minimal app is the framework's floor: the workspace's widgets, one for one in the same layout
(same classes, same counts, as many tree rows and footer keys), with placeholder content, no data,
no CSS file and a single screen.
Everything the wizard adds (its imports, loading the pack and the design, its CSS, its own logic)
is what the ratio measures.
"""

from __future__ import annotations

import os
import sys
import time

STARTED = float(os.environ.get("BENCH_T0") or time.time())
SIZE = (120, 40)
if os.environ.get("BENCH_PROFILE"):  # a cProfile of the whole run, for finding where time goes
    import cProfile

    _PROFILER: cProfile.Profile | None = cProfile.Profile()
    _PROFILER.enable()
else:
    _PROFILER = None

import asyncio  # noqa: E402 - the clock above must start before any import
import json  # noqa: E402
import resource  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, ClassVar  # noqa: E402

from rich.markdown import Markdown as RichMarkdown  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.await_complete import AwaitComplete  # noqa: E402
from textual.binding import Binding, BindingType  # noqa: E402
from textual.containers import Horizontal, Vertical, VerticalScroll  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widgets import (  # noqa: E402
    Button,
    Footer,
    Header,
    Input,
    Label,
    Markdown,
    ProgressBar,
    RichLog,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
    Tree,
)

_UPDATES: list[AwaitComplete] = []
"""Every Markdown update started since tracking began (see ``track_markdown_updates``)."""


def track_markdown_updates() -> None:
    """Remember every Markdown.update, so ``painted`` can wait for its blocks to be mounted."""
    original = Markdown.update
    if getattr(original, "_bench_tracked", False):
        return

    def tracked(self: Markdown, markdown: str) -> AwaitComplete:
        result = original(self, markdown)
        _UPDATES.append(result)
        return result

    tracked._bench_tracked = True  # type: ignore[attr-defined]
    Markdown.update = tracked  # type: ignore[method-assign]


def _guidance_text(n: int) -> str:
    """Markdown of an item's guidance size (about 9 KB: summary, six headed parts, lists)."""
    paragraph = " ".join(f"Sentence {k} of item {n} explains a point of the guidance in plain words." for k in range(8))
    parts = [f"**Item {n}: what to decide, in one sentence.**"]
    for heading in ("For your context", "Why it matters", "Key questions", "Options", "Compliance", "References"):
        parts += [f"## {heading}", paragraph, *(f"- Point {k}: {paragraph[:160]}" for k in range(4))]
    return "\n\n".join(parts)


class MinimalScreen(Screen[None]):
    """The workspace's widgets, one for one and in the same layout, with placeholder content."""

    # As many keys in the footer as the workspace shows (each is a widget the footer builds).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("f2", "guide", "Guide"),
    ] + [
        Binding(key, f"nothing('{label}')", label)
        for key, label in (
            ("ctrl+r", "Prev"),
            ("ctrl+o", "Open"),
            ("f3", "Review"),
            ("f5", "Export"),
        )
    ]

    current = 0
    """The item shown (the bench waits for it to change after Ctrl+N, as with the workspace)."""

    def action_nothing(self, label: str) -> None:
        """Placeholder action."""

    def action_next(self) -> None:
        """What any app showing the next item must do with these widgets: the framework's floor.

        New values of the workspace's sizes go into the same widgets (four multi-line text areas,
        two inputs, the options and value of a select, the header, the tree cursor) and, when the
        guidance tab shows, a Markdown text of an item's guidance length goes into the guidance log.
        """
        self.current += 1
        n = self.current
        self.query_one("#item-header", Static).update(f"3.1.{n} Item {n} with a longer title   Decided")
        select = self.query_one("#option", Select)
        select.set_options([(f"Option {n}.{k} with a label", f"o{n}-{k}") for k in range(4)])
        select.value = f"o{n}-1"
        self.query_one("#summary", TextArea).text = f"Decision {n}: a sentence or two about what was decided"
        self.query_one("#owner", Input).value = f"Owner {n}"
        self.query_one("#due", Input).value = f"2027-01-{n % 28 + 1:02d}"
        self.query_one("#rationale", TextArea).text = "\n".join(f"Rationale {n} line {k} " * 4 for k in range(6))
        self.query_one("#kpis", TextArea).text = "\n".join(f"KPI {n}.{k}: a measure and its target" for k in range(3))
        self.query_one("#notes", TextArea).text = f"Notes for item {n} " * 12
        tree = self.query_one(Tree)
        tree.move_cursor(tree.get_node_at_line(n % 45))
        if self.query_one(TabbedContent).active == "guidance-tab":
            guidance = self.query_one("#guidance", RichLog)
            guidance.clear()
            guidance.write(RichMarkdown(_guidance_text(n)))

    def action_guide(self) -> None:
        """Show the guidance tab."""
        self.query_one(TabbedContent).active = "guidance-tab"

    def on_mount(self) -> None:
        """Show the keys in the footer at once, as the workspace does."""
        self.refresh_bindings()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="banner")
        with Horizontal():
            tree: Tree[str] = Tree("Checklist")
            tree.show_root = False
            for section in range(1, 6):
                node = tree.root.add(f"3.{section} Section {section} 0/8", expand=True)
                for item in range(1, 9):
                    node.add_leaf(f"○ 3.{section}.{item} Item {item}")
            yield tree
            with Vertical():
                yield Static("3.1.1 Item   Open", id="item-header")
                with TabbedContent():
                    with TabPane("Decision", id="decision"), VerticalScroll():
                        yield Label("Approach")
                        yield Select[str]([("One", "one"), ("Two", "two")], compact=True, id="option")
                        yield Label("Status")
                        yield Select[str]([("Open", "open")], allow_blank=False, compact=True)
                        yield Label("Summary")
                        yield TextArea(soft_wrap=True, id="summary")
                        yield Label("Rationale")
                        yield TextArea(soft_wrap=True, id="rationale")
                        with Horizontal():
                            with Vertical():
                                yield Label("Owner")
                                yield Input(compact=True, id="owner")
                            with Vertical():
                                yield Label("Due date")
                                yield Input(compact=True, id="due")
                        yield Static("")
                        yield Label("KPIs")
                        yield TextArea(soft_wrap=True, id="kpis")
                        yield Button("Insert", compact=True)
                        yield Label("Notes")
                        yield TextArea(soft_wrap=True, id="notes")
                        yield Static("")
                    with TabPane("Guidance", id="guidance-tab"):
                        # The wizard's guidance pane is a line-API scroll view of Rich-rendered
                        # Markdown; RichLog is the framework's own widget of that kind.
                        guidance = RichLog(wrap=True, id="guidance")
                        guidance.write(RichMarkdown("**Summary.**\n\n## Heading\n\nText.\n\n- one\n- two\n"))
                        yield guidance
        with Horizontal():
            yield ProgressBar(total=40, show_eta=False)
            yield Static("0/40 done")
            yield Static("no warnings")
            yield Static("Opened")
        yield Footer(compact=True)


class MinimalApp(App[None]):
    """A minimal Textual app that opens straight onto MinimalScreen."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f1", "nothing", "Help"), Binding("ctrl+q", "quit", "Quit")]

    def action_nothing(self, label: str) -> None:
        """Placeholder action."""

    def on_mount(self) -> None:
        """Show the screen."""
        self.push_screen(MinimalScreen())


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (VmHWM)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def painted(screen: Screen[Any]) -> None:
    """Wait until every Markdown update has mounted and the screen has nothing left to paint."""
    while True:
        for update in list(_UPDATES):
            await update
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        screen.call_after_refresh(_resolve, done)
        await done
        if all(update.is_done for update in _UPDATES):
            return


def run(app: App[Any], target: type[Screen[Any]]) -> None:
    """Run app headless; report and exit once a target screen is painted."""

    async def auto_pilot(pilot: Pilot[Any]) -> None:
        while not (isinstance(app.screen, target) and app.screen.is_mounted):
            await asyncio.sleep(0.001)
        await painted(app.screen)
        report = {
            "seconds": time.time() - STARTED,
            "cpu_seconds": time.process_time(),
            "rss_kib": peak_rss_kib(),
            "screen": type(app.screen).__name__,
        }
        sys.stdout.write(json.dumps(report) + "\n")
        sys.stdout.flush()
        if _PROFILER is not None:
            _PROFILER.disable()
            _PROFILER.dump_stats(os.environ["BENCH_PROFILE"])
        os._exit(0)

    app.run(headless=True, size=SIZE, auto_pilot=auto_pilot)
    sys.stderr.write(f"probe: the app exited before showing {target.__name__}\n")
    os._exit(1)


def main(argv: list[str]) -> None:
    """probe wizard DESIGN | probe minimal"""
    track_markdown_updates()
    if argv[:1] == ["minimal"]:
        run(MinimalApp(), MinimalScreen)
    elif argv[:1] == ["wizard"] and len(argv) == 2:
        from wizard.cli import start_wizard  # as `telewizard DESIGN` starts (Textual is imported already)

        app = start_wizard(argv[1])
        from wizard.tui.screens.workspace import WorkspaceScreen

        run(app, WorkspaceScreen)
    else:
        sys.stderr.write("usage: python -m tests.bench.probe wizard DESIGN | minimal\n")
        os._exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
