"""The decision form: approach, summary, owner, due date, status, the safety-net topics it covers,
rationale, KPIs, notes. The fields come in the order a decision is usually recorded: what, who, by
when; F9 marks it decided from anywhere."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from wizard.capacity import calculators_for
from wizard.content import ContentPack, Item, SafetyNetTopic
from wizard.guidance import CAUTION, RECOMMENDED, option_marks
from wizard.project import CUSTOM_OPTION, ClinicalContext, Decision
from wizard.tui.widgets.approach import ApproachSelect
from wizard.tui.widgets.capacity import CapacityLine
from wizard.tui.widgets.checklist import CheckList
from wizard.tui.widgets.fields import LineEditor, TextEditor, TextInput
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
TEXT_FIELDS = ("summary", "rationale", "kpis", "notes")
"""The text areas of the form (the one-line fields are Inputs)."""
SUMMARY_LABEL = "Summary: what was decided, in a sentence or two"
REASON_LABEL = "Why not applicable (one line, shown in the playbook)"
FIRST_FIELD = "#option"
"""Where the focus goes when another item comes up."""


def update_if_changed(static: Static, text: str) -> None:
    """Update a Static only when its text changes (every update lays the screen out again)."""
    if static.content != text:
        static.update(text)


def summary_example(item: Item, decision: Decision, context: ClinicalContext) -> str:
    """The summary's placeholder: an example for this item, from the approach chosen (or the one
    recommended for the context, or the first): the first sentence of its description."""
    option = item.option(decision.option) or next(iter(item.recommended_options(context)), None)
    option = option or (item.options[0] if item.options else None)
    if option is None:
        return "e.g. What the service will do, in a sentence or two"
    first = re.split(r"(?<=[.!?])\s", " ".join(option.description.split()), maxsplit=1)[0]
    return f"e.g. {first}"


class DecisionForm(VerticalScroll, can_focus=False):
    """The form of one item's decision; its fields are the Tab stops. The screen reads what is typed
    (their Changed messages) and ``fill`` puts another decision in."""

    def __init__(self, pack: ContentPack, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.filling = False
        """True while ``fill`` puts a decision in: what the fields report then is not the user's typing."""
        self.topics: list[SafetyNetTopic] = []
        """The safety-net topics the item on screen is expected to cover (its covers list)."""

    def compose(self) -> ComposeResult:
        yield Label("Approach")
        yield ApproachSelect([], prompt="Choose an approach", id="option", compact=True)
        yield Label(SUMMARY_LABEL, id="summary-label")
        yield LineEditor(id="summary", soft_wrap=True, tab_behavior="focus")
        yield CapacityLine(id="capacity-line")
        with Horizontal(classes="pair", id="owner-row"):
            with Vertical():
                yield Label("Owner")
                yield TextInput(
                    id="owner",
                    placeholder="Who puts it in place",
                    suggester=SuggestFromList(self._owner_suggestions(), case_sensitive=False),
                    compact=True,
                    select_on_focus=False,  # typing after Tab must not replace what was written
                )
            with Vertical(id="due-box"):
                yield Label("Due date")
                yield TextInput(id="due", placeholder="YYYY-MM-DD", max_length=10, compact=True, select_on_focus=False)
            with Vertical(id="status-box"):
                yield Label("Status")
                yield Select[str](STATUS_OPTIONS, allow_blank=False, value="open", id="status", compact=True)
        yield Static("", id="due-error", classes="field-error")
        # -- the safety-net topics this decision covers (only on items the pack names for a topic) --
        with Vertical(id="covers-box"):
            yield Label("This decision covers:")
            yield CheckList([], id="covers", compact=True)
        yield Label("Rationale (Markdown)")
        yield TextEditor(id="rationale", soft_wrap=True, tab_behavior="focus")
        yield Label("KPIs, one per line")
        yield TextEditor(id="kpis", soft_wrap=True, tab_behavior="focus")
        yield Button("Insert suggested KPIs", id="insert-kpis", compact=True)
        yield Label("Notes")
        yield TextEditor(id="notes", soft_wrap=True, tab_behavior="focus")

    def _owner_suggestions(self) -> list[str]:
        roles = [entry.label.removesuffix("s") for entry in self.pack.roles]
        return COMMON_OWNERS + roles

    def fill(self, item: Item, decision: Decision, context: ClinicalContext, due_text: str | None = None) -> None:
        """Show ``decision`` of ``item``, with the approaches marked for ``context``, from the top.

        ``due_text``: what the user last typed in the due date when it was not a valid date (kept, so
        nothing typed is lost on leaving the item)."""
        marks = option_marks(item, context)
        options = []
        for opt in item.options:
            mark = marks[opt.id]
            prefix = "★ " if mark == RECOMMENDED else "⚠ " if mark == CAUTION else ""
            options.append((f"{prefix}{opt.label}", opt.id))  # the mark first: a long label is cut at its end
        options.append(("Custom approach (describe it in the summary)", CUSTOM_OPTION))
        self.topics = self.pack.safety_topics_of(item.id)
        self.filling = True
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed, CheckList.SelectedChanged):
            self.query_one("#option", ApproachSelect).replace(options, decision.option or None)
            self.query_one("#status", Select).value = decision.status
            self.query_one("#owner", Input).value = decision.owner
            self.query_one("#due", Input).value = due_text or (decision.due.isoformat() if decision.due else "")
            for area_id, text in (
                ("#summary", decision.summary),
                ("#rationale", decision.rationale),
                ("#notes", decision.notes),
                ("#kpis", "\n".join(decision.kpis)),
            ):
                area = self.query_one(area_id, TextArea)
                if area.text != text:  # loading text re-wraps and repaints even when it is the same
                    area.text = text
            self._fill_covers(decision)
        self.filling = False
        # The field that kept the focus (a move to another item from inside it): typing goes on at the end
        # of what it now holds, as after a Tab. The others show their text from its start.
        focused = self.screen.focused
        if isinstance(focused, TextArea) and focused.parent is self:
            focused.move_cursor(focused.document.end)
        elif isinstance(focused, Input) and self in focused.ancestors:
            focused.cursor_position = len(focused.value)
        self.show_summary_hint(item, decision, context)
        self.query_one(CapacityLine).show(calculators_for(item.id), decision.capacity)
        update_if_changed(self.query_one("#due-error", Static), "")
        self.scroll_home(animate=False)

    def _fill_covers(self, decision: Decision) -> None:
        box = self.query_one("#covers-box")
        box.display = bool(self.topics)
        covers = self.query_one("#covers", CheckList)
        if not self.topics and not covers.option_count:
            return  # most items cover no topic: an empty list stays as it is (clearing it lays out the form)
        covers.clear_options()
        covers.add_options([(topic.title, topic.id, topic.id in decision.covers) for topic in self.topics])

    def covered(self, decision: Decision) -> list[str]:
        """The decision's covers list as the checklist shows it: the topics ticked here, in pack order,
        and any other topic the file names (kept as it is)."""
        offered = {topic.id for topic in self.topics}
        ticked = set(self.query_one("#covers", CheckList).selected)
        return [topic.id for topic in self.topics if topic.id in ticked] + [
            topic for topic in decision.covers if topic not in offered
        ]

    def show_summary_hint(self, item: Item, decision: Decision, context: ClinicalContext) -> None:
        """The summary's label and example follow the status: a not-applicable item asks why."""
        not_applicable = decision.status == "not-applicable"
        label = self.query_one("#summary-label", Label)
        wanted = REASON_LABEL if not_applicable else SUMMARY_LABEL
        if str(label.content) != wanted:
            label.update(wanted)
        summary = self.query_one("#summary", TextArea)
        summary.placeholder = (
            "e.g. We offer no such visits: patients go to their own primary care."
            if not_applicable
            else summary_example(item, decision, context)
        )

    def show_status(self, status: str) -> None:
        """Show a status the screen set (typing in an open item makes it drafting)."""
        with self.prevent(Select.Changed):
            self.query_one("#status", Select).value = status
