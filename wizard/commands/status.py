"""``telewizard status PATH``: progress per section and the open items."""

from __future__ import annotations

import argparse

from wizard.commands.common import EXIT_OK, load

HELP = "progress per section and the open items"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path")


def run(args: argparse.Namespace) -> int:
    """Print the design's progress."""
    from wizard.playbook import STATUS_LABELS
    from wizard.project import progress

    loaded, pack = load(args.path)
    design = loaded.design
    counts = progress(design, pack)
    done = counts["decided"] + counts["not-applicable"]
    title = design.project.title or "Untitled design"
    print(f"{title} ({args.path})")
    care = pack.label("care_models", design.context.care_model) if design.context.care_model else "not chosen"
    print(f"Care model: {care}")
    print(
        f"Progress: {done}/{len(pack.items)} done ({counts['decided']} decided, "
        f"{counts['not-applicable']} not applicable), {counts['drafting']} drafting, {counts['open']} open"
    )
    print()
    width = max(len(f"{s.number} {s.title}") for s in pack.sections)
    for section in pack.sections:
        finished = sum(1 for item in section.items if design.status_of(item.id) in ("decided", "not-applicable"))
        label = f"{section.number} {section.title}"
        bar = "#" * finished + "." * (len(section.items) - finished)
        print(f"  {label:<{width}}  {finished}/{len(section.items)}  {bar}")
    open_items = [item for item in pack.items if design.status_of(item.id) in ("open", "drafting")]
    print()
    if not open_items:
        print("No open items.")
        return EXIT_OK
    print(f"Open items ({len(open_items)}):")
    for item in open_items:
        decision = design.decision(item.id)
        extra = [STATUS_LABELS[decision.status].lower()]
        if decision.owner:
            extra.append(f"owner: {' '.join(decision.owner.split())}")
        if decision.due:
            extra.append(f"due {decision.due.isoformat()}")
        print(f"  {item.number} {item.title} ({'; '.join(extra)})")
    return EXIT_OK
