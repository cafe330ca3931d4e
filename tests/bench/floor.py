"""What the floor shows: the texts the workspace shows for a design, item by item, for the minimal app
(``probe.MinimalScreen``) to put into the same widgets.

They are worked out here, in the bench's own process, with the functions the workspace itself calls
(its warnings, the approaches' marks, the capacity line's headline, the guidance), so the minimal app
shows what the wizard shows without importing any of the wizard. For a fresh process (the open
measurement) they go through a JSON file (``write_open_texts``); the item switch, measured in-process,
hands them over as they are.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from tests.bench.probe import FloorTexts, ItemTexts
from wizard.capacity import calculate, calculators_for
from wizard.checks import check_design, counts
from wizard.content import ContentPack, Item
from wizard.guidance import CAUTION, RECOMMENDED, guidance_markdown, option_marks
from wizard.project import Design, load_design, progress, utc_now
from wizard.tui.screens.workspace.alerts import item_warnings, review_line, version_text
from wizard.tui.screens.workspace.form import STATUS_OPTIONS
from wizard.tui.widgets.capacity.figures import SHORT_TITLES, headline, stored_inputs
from wizard.tui.widgets.navigator import REVIEW_MARKS, STATUS_MARKS


def item_texts(item: Item, design: Design, pack: ContentPack) -> ItemTexts:
    """What the workspace shows for one item: its header, warnings, form and guidance."""
    today = utc_now().date()
    decision = design.decision(item.id)
    status = dict((value, label) for label, value in STATUS_OPTIONS)[decision.status]
    if decision.review:
        state = "approved" if decision.review.state == "approved" else "changes requested"
        status += f"   {REVIEW_MARKS[decision.review.state]} {state}"
    warnings = [f"⚠ {text}" for text in item_warnings(item, decision, design, today)]
    if comment := review_line(decision):
        warnings.insert(0, comment)
    marks = option_marks(item, design.context)
    options = [
        ("★ " if marks[opt.id] == RECOMMENDED else "⚠ " if marks[opt.id] == CAUTION else "") + opt.label
        for opt in item.options
    ] + ["Custom approach (describe it in the summary)"]
    ids = [opt.id for opt in item.options]
    capacity: list[str] = []
    if calculators := calculators_for(item.id):
        inputs = stored_inputs(decision.capacity, calculators[0])
        result = headline(calculate(inputs)) if inputs is not None else "no figures yet"
        capacity = [f"{SHORT_TITLES[calculators[0]]} · F8", result]
    return ItemTexts(
        header=f"{item.number} {item.title}   {status}",
        warnings=warnings,
        options=options,
        option=ids.index(decision.option) if decision.option in ids else None,
        summary=decision.summary,
        capacity=capacity,
        owner=decision.owner,
        due=decision.due.isoformat() if decision.due else "",
        status=decision.status,
        topics=[(topic.title, topic.id in decision.covers) for topic in pack.safety_topics_of(item.id)],
        rationale=decision.rationale,
        kpis="\n".join(decision.kpis),
        notes=decision.notes,
        guidance=guidance_markdown(item, design.context, pack),
    )


def floor_texts(design_path: Path, pack: ContentPack) -> FloorTexts:
    """What the workspace shows for the design at ``design_path``: the screen, then every item in the
    order Ctrl+N visits them, from the one it opens at."""
    design = load_design(design_path, pack).design
    done = progress(design, pack)
    errors, warnings = counts(check_design(design, pack, utc_now().date()))
    found = errors + warnings
    sections = [
        (
            f"{section.number} {section.title} "
            f"{sum(1 for i in section.items if design.status_of(i.id) in ('decided', 'not-applicable'))}"
            f"/{len(section.items)}",
            [
                f"{STATUS_MARKS[design.status_of(i.id)]}"
                f"{REVIEW_MARKS[review.state] if (review := design.decision(i.id).review) else ' '}"
                f"{i.number} {i.title}"
                for i in section.items
            ],
        )
        for section in pack.sections
    ]
    first = next((index for index, item in enumerate(pack.items) if item.id == design.project.resume_at), 0)
    order = pack.items[first:] + pack.items[:first]
    return FloorTexts(
        title=design.project.title,
        sub_title=version_text(design, pack),
        sections=sections,
        statuses=[(label, value) for label, value in STATUS_OPTIONS],
        done=done["decided"] + done["not-applicable"],
        findings=f"⚠ {found} warning{'s' if found != 1 else ''} ^g" if found else "no warnings",
        first=pack.items.index(order[0]),
        items=[item_texts(item, design, pack) for item in order],
    )


def write_open_texts(texts: FloorTexts, path: Path) -> Path:
    """The texts of the first painted screen (its first item, whose guidance is not shown), as JSON
    for a fresh minimal app (``probe minimal PATH``)."""
    first = dataclasses.replace(texts.items[0], guidance="")
    opening = dataclasses.replace(texts, items=[first])
    path.write_text(json.dumps(dataclasses.asdict(opening)), encoding="utf-8")
    return path
