"""The decision form: approach, status, summary, rationale, owner, due date, KPIs, notes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from wizard.capacity import calculators_for
from wizard.content import ContentPack, Item
from wizard.guidance import CAUTION, RECOMMENDED, option_marks
from wizard.project import CUSTOM_OPTION, ClinicalContext, Decision
from wizard.tui.widgets.approach import ApproachSelect
from wizard.tui.widgets.capacity import CapacityLine
from wizard.tui.widgets.fields import TextEditor, TextInput
from wizard.tui.widgets.navigator import STATUS_MARKS

STATUS_OPTIONS = [
    (f"{STATUS_MARKS['open']} Open", "open"),
    (f"{STATUS_MARKS['drafting']} Drafting", "drafting"),
    (f"{STATUS_MARKS['decided']} Decided", "decided"),
    (f"{STATUS_MARKS['not-applicable']} Not applicable", "not-applicable"),
]
COMMON_OWNERS = [
    "Medical Director",
    "Chief Medical Officer",
    "Chief Nursing Officer",
    "Nursing lead",
    "Director of Virtual Care Operations",
    "Operations lead",
    "Compliance Officer",
    "Privacy Officer",
    "IT lead",
    "Practice manager",
    "Quality lead",
    "Revenue cycle lead",
    "Credentialing coordinator",
    "Behavioral health director",
    "Pharmacy lead",
]
TEXT_FIELDS = ("rationale", "kpis", "notes")
"""The text areas of the form (the one-line fields are Inputs)."""


def update_if_changed(static: Static, text: str) -> None:
    """Update a Static only when its text changes (every update lays the screen out again)."""
    if static.content != text:
        static.update(text)


class DecisionForm(VerticalScroll, can_focus=False):
    """The form of one item's decision; its fields are the Tab stops. The screen reads what is typed
    (their Changed messages) and ``fill`` puts another decision in."""

    def __init__(self, pack: ContentPack, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.filling = False
        """True while ``fill`` puts a decision in: what the fields report then is not the user's typing."""

    def compose(self) -> ComposeResult:
        yield Label("Approach")
        yield ApproachSelect([], prompt="Choose an approach", id="option", compact=True)
        yield Label("Status")
        yield Select[str](STATUS_OPTIONS, allow_blank=False, value="open", id="status", compact=True)
        yield Label("Summary: what was decided, in a sentence or two")
        yield TextInput(
            id="summary",
            placeholder="e.g. Per-diem clinicians staff one shared queue",
            compact=True,
            select_on_focus=False,  # typing after Tab must not replace what was written
        )
        yield CapacityLine(id="capacity-line")
        yield Label("Rationale (Markdown)")
        yield TextEditor(id="rationale", soft_wrap=True, tab_behavior="focus")
        with Horizontal(classes="pair"):
            with Vertical():
                yield Label("Owner")
                yield TextInput(
                    id="owner",
                    placeholder="Who puts it in place",
                    suggester=SuggestFromList(self._owner_suggestions(), case_sensitive=False),
                    compact=True,
                    select_on_focus=False,
                )
            with Vertical():
                yield Label("Due date")
                yield TextInput(id="due", placeholder="YYYY-MM-DD", max_length=10, compact=True, select_on_focus=False)
        yield Static("", id="due-error", classes="field-error")
        yield Label("KPIs, one per line")
        yield TextEditor(id="kpis", soft_wrap=True, tab_behavior="focus")
        yield Button("Insert suggested KPIs", id="insert-kpis", compact=True)
        yield Label("Notes")
        yield TextEditor(id="notes", soft_wrap=True, tab_behavior="focus")
        yield Static("", id="item-warnings")

    def _owner_suggestions(self) -> list[str]:
        roles = [entry.label.removesuffix("s") for entry in self.pack.roles]
        return COMMON_OWNERS + roles

    def fill(self, item: Item, decision: Decision, context: ClinicalContext) -> None:
        """Show ``decision`` of ``item``, with the approaches marked for ``context``, from the top."""
        marks = option_marks(item, context)
        options = []
        for opt in item.options:
            mark = marks[opt.id]
            suffix = " ★" if mark == RECOMMENDED else " ⚠" if mark == CAUTION else ""
            options.append((f"{opt.label}{suffix}", opt.id))
        options.append(("Custom approach (describe it in the summary)", CUSTOM_OPTION))
        self.filling = True
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            self.query_one("#option", ApproachSelect).replace(options, decision.option or None)
            self.query_one("#status", Select).value = decision.status
            self.query_one("#summary", Input).value = decision.summary
            self.query_one("#owner", Input).value = decision.owner
            self.query_one("#due", Input).value = decision.due.isoformat() if decision.due else ""
            for area_id, text in (
                ("#rationale", decision.rationale),
                ("#notes", decision.notes),
                ("#kpis", "\n".join(decision.kpis)),
            ):
                area = self.query_one(area_id, TextArea)
                if area.text != text:  # loading text re-wraps and repaints even when it is the same
                    area.text = text
        self.filling = False
        self.query_one(CapacityLine).show(calculators_for(item.id), decision.capacity)
        update_if_changed(self.query_one("#due-error", Static), "")
        self.scroll_home(animate=False)

    def show_status(self, status: str) -> None:
        """Show a status the screen set (typing in an open item makes it drafting)."""
        with self.prevent(Select.Changed):
            self.query_one("#status", Select).value = status
