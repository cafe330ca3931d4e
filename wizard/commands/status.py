"""``telewizard status PATH``: progress per section, what needs the reviewer, and the open items."""

from __future__ import annotations

import argparse
from itertools import groupby

from wizard.commands.common import EXIT_OK, load, review_date

HELP = "progress per section, review states, what needs the reviewer, and the open items"
DONE = ("decided", "not-applicable")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path")


def run(args: argparse.Namespace) -> int:
    """Print the design's progress and what the playbook's brief would list."""
    from wizard.attention import TITLES, needs_attention, open_items
    from wizard.project import progress

    loaded, pack = load(args.path)
    today = review_date()  # before any output: a bad SOURCE_DATE_EPOCH is one line on stderr
    design = loaded.design
    counts = progress(design, pack)
    done = counts["decided"] + counts["not-applicable"]
    still_open = open_items(design, pack)
    title = " ".join(design.project.title.split()) or "Untitled design"
    print(f"{title} ({args.path})")
    care = pack.label("care_models", design.context.care_model) if design.context.care_model else "not chosen"
    print(f"Care model: {care}")
    print(
        f"Progress: {done}/{len(pack.items)} done ({counts['decided']} decided, "
        f"{counts['not-applicable']} not applicable); {len(still_open)} open "
        f"({counts['drafting']} drafting, {counts['open']} not started)"
    )
    states = [design.decision(item.id).review for item in pack.items]
    approved = sum(1 for review in states if review is not None and review.state == "approved")
    requested = sum(1 for review in states if review is not None and review.state == "changes-requested")
    done_items = [review for item, review in zip(pack.items, states, strict=True) if design.status_of(item.id) in DONE]
    unreviewed = sum(1 for review in done_items if review is None)
    print(
        f"Reviews: {approved} approved, {requested} changes requested, "
        f"{unreviewed} decided or not applicable without a review"
    )
    print()
    width = max(len(f"{s.number} {s.title}") for s in pack.sections)
    for section in pack.sections:
        finished = sum(1 for item in section.items if design.status_of(item.id) in ("decided", "not-applicable"))
        label = f"{section.number} {section.title}"
        bar = "#" * finished + "." * (len(section.items) - finished)
        print(f"  {label:<{width}}  {finished}/{len(section.items)}  {bar}")
    concerns = [c for c in needs_attention(design, pack, today) if c.kind != "open"]
    print()
    if concerns:
        print("Needs the reviewer (as the playbook's brief lists it):")
        for kind, group in groupby(concerns, key=lambda concern: concern.kind):
            found = list(group)
            print(f"  {TITLES[kind]} ({len(found)}):")
            for concern in found:
                where = f"{concern.item.number} {concern.item.title}" if concern.item else ""
                detail = " ".join(concern.detail.split())
                print(f"    {where}{': ' if where and detail else ''}{detail}")
        print()
    if not still_open:
        print("Open items (0): every item is decided or not applicable.")
        return EXIT_OK
    print(f"Open items ({len(still_open)}):")
    for item in still_open:
        decision = design.decision(item.id)
        extra: list[str] = [decision.status]
        if decision.owner.strip():
            extra.append(f"owner: {' '.join(decision.owner.split())}")
        if decision.due:
            extra.append(f"due {decision.due.isoformat()}")
        print(f"  {item.number} {item.title} ({'; '.join(extra)})")
    return EXIT_OK
