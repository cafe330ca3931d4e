"""``telewizard new PATH --title T --care-model ID --roles ID,ID --visit-types ID,ID``: create a design."""

from __future__ import annotations

import argparse
from pathlib import Path

from wizard.commands.common import EXIT_OK, UserError, split_ids

HELP = "create a design without the wizard"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path", help="where to write the design (refuses to overwrite)")
    parser.add_argument("--title", required=True)
    parser.add_argument("--care-model", required=True, help="a care model id (see `content check --json`)")
    parser.add_argument("--care-model-note", default="", help="what 'other' means, when --care-model other")
    # Repeatable as well as comma-separated: "--roles a --roles b" keeps both (argparse also takes the
    # abbreviation "--role", and a plain option kept only the last one given, silently).
    parser.add_argument("--roles", required=True, action="append", help="role ids, comma-separated or repeated")
    parser.add_argument(
        "--visit-types", required=True, action="append", help="visit type ids, comma-separated or repeated"
    )
    parser.add_argument("--organization", default="")
    parser.add_argument("--lead", default="")


FLAGS = {"context.care_model": "--care-model", "context.roles": "--roles", "context.visit_types": "--visit-types"}
VOCABULARIES = {"--care-model": "care_models", "--roles": "roles", "--visit-types": "visit_types"}


def run(args: argparse.Namespace) -> int:
    """Create the design file."""
    from wizard.content import ContentError, load_pack_by_ref
    from wizard.project import DesignError, check_against_pack, new_design

    path = Path(args.path)
    if not args.title.strip():
        raise UserError("--title: must not be empty")
    if path.exists() or path.is_symlink():
        raise UserError(f"{path}: already exists; not overwriting it")
    try:
        pack = load_pack_by_ref()
    except ContentError as exc:
        raise UserError(str(exc)) from None
    created = new_design(
        path,
        title=args.title,
        care_model=args.care_model,
        care_model_note=args.care_model_note,
        roles=split_ids(",".join(args.roles)),
        visit_types=split_ids(",".join(args.visit_types)),
        organization=args.organization,
        lead=args.lead,
        content=pack.ref,
    )
    try:
        check_against_pack(created.design, pack, path)
    except DesignError as exc:
        flag = next((flag for place, flag in FLAGS.items() if exc.place.startswith(place)), "")
        known = ", ".join(entry.id for entry in pack.vocabulary(VOCABULARIES[flag])) if flag else ""
        raise UserError(f"{flag or exc.place}: {exc.detail}; known ids: {known}") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        created.save()
    except (DesignError, OSError) as exc:
        raise UserError(str(exc)) from None
    print(f"created {path}")
    return EXIT_OK
