"""Run one app headless to its first painted screen, print how long that took, and exit.

Run in a fresh interpreter from the repository root, so import time counts:

    python -m tests.bench.probe wizard DESIGN.toml
    python -m tests.bench.probe minimal TEXTS.json

``BENCH_T0`` (``time.time()`` taken by the parent just before it started this process) makes the
time "since the process was started"; without it the time counts from this script's first line.
The probe waits until the target screen (the wizard's WorkspaceScreen, or the minimal app's one
screen) is current, every Markdown widget update on it (if any) has finished mounting, and the screen has been
painted with nothing left to refresh. Then it prints one JSON line (seconds, CPU seconds of this
process, peak RSS in KiB) and leaves at once with ``os._exit``, so teardown is not measured.

The minimal app is the framework's floor: the workspace's widgets, one for one, in the same layout
(the workspace's own rules for their sizes, borders and spacing, inline: no CSS file), showing the
same texts (the navigator's lines, the item's header, warnings, fields and guidance, the status line:
``tests.bench.floor`` works them out from the design and hands them over), on a single screen.
Everything the wizard adds (its imports, loading the pack and the design, its stylesheet, working out
what to show, its own logic) is what the ratio measures.
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
from dataclasses import dataclass  # noqa: E402
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
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
    Tree,
)
from textual.widgets.tree import TreeNode  # noqa: E402

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


@dataclass
class ItemTexts:
    """What the workspace shows for one item (``tests.bench.floor.item_texts``)."""

    header: str
    warnings: list[str]
    options: list[str]
    option: int | None
    """The index of the approach chosen among ``options`` (None: none chosen)."""
    summary: str
    capacity: list[str]
    """The capacity line's button and headline; empty on items no calculator serves."""
    owner: str
    due: str
    status: str
    topics: list[tuple[str, bool]]
    """The safety-net topics the item covers: title, and whether it is ticked."""
    rationale: str
    kpis: str
    notes: str
    guidance: str
    """The item's guidance, Markdown (empty in the texts of the first paint: it is not shown then)."""


@dataclass
class FloorTexts:
    """What the workspace shows for a design: the screen's texts and every item's, in Ctrl+N order."""

    title: str
    sub_title: str
    sections: list[tuple[str, list[str]]]
    """The navigator: each section's line and its items' lines (without the mark of the item shown)."""
    statuses: list[tuple[str, str]]
    done: int
    findings: str
    first: int
    """The navigator line (among the items) of ``items[0]``."""
    items: list[ItemTexts]

    @classmethod
    def from_json(cls, text: str) -> FloorTexts:
        """Read what ``tests.bench.floor.write_open_texts`` wrote."""
        data = json.loads(text)
        data["items"] = [ItemTexts(**item) for item in data["items"]]
        return cls(**data)


LAYOUT = """
#main { height: 1fr; }
#nav-pane { width: 34%; min-width: 26; max-width: 68; border-right: solid $primary 50%; }
#navigator { scrollbar-size-vertical: 1; overflow-x: hidden; }
#item-pane { width: 1fr; }
#item-header { padding: 0 1; height: auto; }
#item-warnings { height: auto; max-height: 7; padding: 0 1; }
#form { padding: 0 1; }
Input.-textual-compact, Select.-textual-compact, TextArea { border: none !important; border-left: blank !important; }
TextArea { padding: 0 1 0 0; height: 4; }
#summary { height: 3; }
#rationale { height: 5; }
#form SelectCurrent Static#label { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
.pair { height: auto; }
.pair > * { width: 1fr; height: auto; }
#due-box { width: 12; }
#status-box { width: 19; }
#covers-box { height: auto; }
#covers { height: auto; max-height: 8; }
#insert-kpis { margin: 0 0 1 0; }
#capacity-line { height: auto; margin: 1 0 0 0; }
#capacity-line Button { margin: 0 1 0 0; }
#capacity-line Static { width: 1fr; }
#guidance { padding: 0 1; border-left: blank; }
#statusbar { height: 1; padding: 0 1; }
#statusbar > Static { height: 1; }
#progress { width: 30; }
#progress Bar { width: 18; }
#progress-text { width: 11; padding: 0 0 0 1; }
#findings { width: 19; padding: 0 0 0 1; }
#save-status { width: 1fr; text-align: right; }
"""
"""The workspace's rules for where its widgets go and how big they are (from ``app.tcss`` and the
capacity line's own), without its colours and emphasis: the same widgets take the same room."""


class MinimalScreen(Screen[None]):
    """The workspace's widgets, one for one and in the same layout, showing the same texts.

    Each of the wizard's own widget classes is here as the framework class it is built on: the
    navigator a Tree, the approach a Select, the text fields TextAreas and Inputs, the covers checklist
    a SelectionList, the capacity line and the status line Horizontals, the guidance pane (a line-API
    scroll view of Rich-rendered Markdown) a RichLog, the framework's own widget of that kind.
    """

    DEFAULT_CSS = LAYOUT
    AUTO_FOCUS = "#option"  # where the workspace puts the focus
    # As many keys in the footer as the workspace shows (each is a widget the footer builds).
    # Priority bindings, as the workspace's are (checked before the focused field sees the key).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("f9", "nothing('Decided')", "Decided", priority=True),
        Binding("f2", "guide", "Guide", priority=True),
        Binding("f3", "nothing('Review')", "Review", priority=True),
        Binding("f5", "nothing('Export')", "Export", priority=True),
    ]

    def __init__(self, texts: FloorTexts) -> None:
        super().__init__()
        self.texts = texts
        self.current = 0
        """The item shown (the bench waits for it to change after Ctrl+N, as with the workspace)."""
        self.items: list[TreeNode[str]] = []

    def action_nothing(self, label: str = "") -> None:
        """Placeholder action."""

    def action_next(self) -> None:
        """Show the next item."""
        self.current += 1
        self.show(self.current)

    def show(self, index: int) -> None:
        """What any app showing an item must do with these widgets: the framework's floor.

        Its texts go into the widgets the workspace shows them in, and a widget that shows (or hides)
        only on some items is shown or hidden. The form is filled only while its tab is showing, the
        guidance written only while its tab is, as the workspace does.
        """
        texts = self.texts.items[index % len(self.texts.items)]
        self.query_one("#item-header", Static).update(texts.header)
        warnings = self.query_one("#item-warnings", Static)
        warnings.update("\n".join(texts.warnings))
        warnings.display = bool(texts.warnings)
        tree = self.query_one(Tree)
        before = self.items[(self.texts.first + index - 1) % len(self.items)] if index else None
        node = self.items[(self.texts.first + index) % len(self.items)]
        if before is not None:
            before.set_label(f" {before.data}")
        node.set_label(f"▶{node.data}")
        tree.move_cursor(node)
        tree.scroll_to_node(node, animate=False)
        if self.query_one(TabbedContent).active == "guidance-tab":
            self.show_guidance(texts)
            return
        select = self.query_one("#option", Select)
        select.set_options([(label, k) for k, label in enumerate(texts.options)])
        select.value = Select.NULL if texts.option is None else texts.option
        self.query_one("#summary", TextArea).text = texts.summary
        line = self.query_one("#capacity-line")
        line.display = bool(texts.capacity)
        if texts.capacity:
            self.query_one("#open-capacity", Button).label = texts.capacity[0]
            self.query_one("#capacity-headline", Static).update(texts.capacity[1])
        self.query_one("#owner", Input).value = texts.owner
        self.query_one("#due", Input).value = texts.due
        self.query_one("#status", Select).value = texts.status
        self.query_one("#covers-box").display = bool(texts.topics)
        covers = self.query_one("#covers", SelectionList)
        if texts.topics or covers.option_count:
            covers.clear_options()
            covers.add_options([(title, k, ticked) for k, (title, ticked) in enumerate(texts.topics)])
        self.query_one("#rationale", TextArea).text = texts.rationale
        self.query_one("#kpis", TextArea).text = texts.kpis
        self.query_one("#notes", TextArea).text = texts.notes
        self.query_one("#form").scroll_home(animate=False)

    def show_guidance(self, texts: ItemTexts) -> None:
        """Render an item's guidance into the guidance pane."""
        guidance = self.query_one("#guidance", RichLog)
        guidance.clear()
        guidance.write(RichMarkdown(texts.guidance, hyperlinks=False))

    def action_guide(self) -> None:
        """Show the guidance tab, with the focus in it (as the workspace does: left on the hidden
        approach, the focus would bring its tab back)."""
        self.query_one(TabbedContent).active = "guidance-tab"
        self.query_one("#guidance").focus()
        self.show_guidance(self.texts.items[self.current % len(self.texts.items)])

    def on_mount(self) -> None:
        """The first item, and the keys in the footer at once, as the workspace shows them."""
        self.title, self.sub_title = self.texts.title, self.texts.sub_title
        self.query_one("#banner").display = False
        self.query_one("#nav-filter").display = False
        self.query_one("#due-error").display = False
        self.query_one("#progress", ProgressBar).update(progress=self.texts.done)
        self.query_one("#progress-text", Static).update(f"{self.texts.done}/{len(self.items)} done")
        self.query_one("#findings", Static).update(self.texts.findings)
        self.query_one("#save-status", Static).update(time.strftime("Opened %H:%M:%S"))
        self.show(0)
        self.refresh_bindings()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="banner")
        with Horizontal(id="main"):
            with Vertical(id="nav-pane"):
                yield Static("Filter: needs attention", id="nav-filter")
                tree: Tree[str] = Tree("Checklist", id="navigator")
                tree.show_root = False
                tree.guide_depth = 2
                for label, items in self.texts.sections:
                    section = tree.root.add(label, expand=True)
                    self.items += [section.add_leaf(f" {item}", data=item) for item in items]
                yield tree
            with Vertical(id="item-pane"):
                yield Static("", id="item-header")
                with TabbedContent():
                    with TabPane("Decision", id="decision"):
                        yield Static("", id="item-warnings")
                        with VerticalScroll(id="form"):
                            yield Label("Approach")
                            yield Select[int]([], prompt="Choose an approach", compact=True, id="option")
                            yield Label("Summary: what was decided, in a sentence or two")
                            yield TextArea(soft_wrap=True, id="summary")
                            with Horizontal(id="capacity-line"):
                                yield Button("Capacity (F8)", compact=True, id="open-capacity")
                                yield Static("", id="capacity-headline")
                            with Horizontal(classes="pair"):
                                with Vertical():
                                    yield Label("Owner")
                                    yield Input(compact=True, id="owner")
                                with Vertical(id="due-box"):
                                    yield Label("Due date")
                                    yield Input(compact=True, id="due")
                                with Vertical(id="status-box"):
                                    yield Label("Status")
                                    yield Select[str](self.texts.statuses, allow_blank=False, compact=True, id="status")
                            yield Static("", id="due-error")
                            with Vertical(id="covers-box"):
                                yield Label("This decision covers:")
                                yield SelectionList[int](compact=True, id="covers")
                            yield Label("Rationale (Markdown)")
                            yield TextArea(soft_wrap=True, id="rationale")
                            yield Label("KPIs, one per line")
                            yield TextArea(soft_wrap=True, id="kpis")
                            yield Button("Insert suggested KPIs", compact=True, id="insert-kpis")
                            yield Label("Notes")
                            yield TextArea(soft_wrap=True, id="notes")
                    with TabPane("Guidance", id="guidance-tab"):
                        yield RichLog(wrap=True, auto_scroll=False, id="guidance")
        with Horizontal(id="statusbar"):
            yield ProgressBar(total=sum(len(items) for _, items in self.texts.sections), show_eta=False, id="progress")
            yield Static("", id="progress-text")
            yield Static("", id="findings")
            yield Static("", id="save-status")
        yield Footer(compact=True)


class MinimalApp(App[None]):
    """A minimal Textual app that opens straight onto MinimalScreen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "nothing", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, texts: FloorTexts) -> None:
        super().__init__()
        self.texts = texts

    def action_nothing(self, label: str = "") -> None:
        """Placeholder action."""

    def on_mount(self) -> None:
        """Show the screen."""
        self.push_screen(MinimalScreen(self.texts))


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
    """probe wizard DESIGN | probe minimal TEXTS"""
    track_markdown_updates()
    if argv[:1] == ["minimal"] and len(argv) == 2:
        run(MinimalApp(FloorTexts.from_json(Path(argv[1]).read_text(encoding="utf-8"))), MinimalScreen)
    elif argv[:1] == ["wizard"] and len(argv) == 2:
        from wizard.cli import start_wizard  # as `telewizard DESIGN` starts (Textual is imported already)

        app = start_wizard(argv[1])
        from wizard.tui.screens.workspace import WorkspaceScreen

        run(app, WorkspaceScreen)
    else:
        sys.stderr.write("usage: python -m tests.bench.probe wizard DESIGN | minimal TEXTS\n")
        os._exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
