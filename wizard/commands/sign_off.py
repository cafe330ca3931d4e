"""``telewizard sign-off PATH --by NAME --role ROLE --outcome ...``: record a sign-off of the whole design."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from wizard.commands.common import EXIT_OK, UserError

HELP = "record a sign-off of the whole design"
OUTCOMES = ("approved", "approved-with-conditions", "rejected")


def date_argument(text: str) -> dt.date:
    """A date on the command line (YYYY-MM-DD); a usage error otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-01-15") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path")
    parser.add_argument("--by", required=True, help="who signs (a name)")
    parser.add_argument("--role", required=True, help="in what role (e.g. Medical Director)")
    parser.add_argument("--outcome", required=True, choices=OUTCOMES)
    parser.add_argument("--conditions", default="", help="the conditions of an approval, or why it was rejected")
    parser.add_argument("--on", type=date_argument, help="the date signed (default: today)")
    parser.add_argument("--effective", type=date_argument, help="when the signed version takes effect")
    parser.add_argument("--next-review", type=date_argument, help="when it is to be reviewed again")


def run(args: argparse.Namespace) -> int:
    """Append the sign-off to the design file and print the version recorded."""
    from wizard.content import ContentError, load_pack_by_ref
    from wizard.project import DesignError, DesignLock, items_owned_by, load_design, record_sign_off, utc_now

    by, role, conditions = " ".join(args.by.split()), " ".join(args.role.split()), args.conditions.strip()
    if not by or not role:
        _usage(args, f"--{'by' if not by else 'role'}: must not be empty")
    if args.outcome == "approved-with-conditions" and not conditions:
        _usage(args, "--outcome approved-with-conditions needs --conditions (what must happen)")
    if args.outcome == "approved" and conditions:
        _usage(args, "--conditions given with --outcome approved: use approved-with-conditions")
    lock = DesignLock(Path(args.path))
    if not lock.acquire():
        raise UserError(f"{args.path}: {lock.holder()} has this design open in a wizard; record the sign-off there")
    try:
        try:
            file = load_design(args.path, pack_loader=load_pack_by_ref)
            pack = load_pack_by_ref(file.design.project.content)
        except DesignError as exc:
            raise UserError(str(exc)) from None
        except ContentError as exc:
            raise UserError(f"{args.path}: project.content: {exc}") from None
        design = file.design
        sign_off = record_sign_off(
            design,
            [item.id for item in pack.items],
            by=by,
            role=role,
            outcome=args.outcome,
            on=args.on or dt.date.today(),
            conditions=conditions,
            effective=args.effective,
            next_review=args.next_review,
        )
        design.project.updated = utc_now()
        try:
            file.save()
        except DesignError as exc:
            raise UserError(str(exc)) from None
    finally:
        lock.release()
    signer = f"{by}, {role}"
    owned = items_owned_by(design, pack, signer)
    if owned:
        print(
            f"telewizard: warning: {signer} owns {len(owned)} of the items signed off ({', '.join(owned)}); "
            "a reviewer who is not their owner should look at those",
            file=sys.stderr,
        )
    still_open = [item.number for item in pack.items if design.status_of(item.id) in ("open", "drafting")]
    if still_open:
        print(
            f"telewizard: note: {len(still_open)} item(s) are still open ({', '.join(still_open)}); "
            "the playbook stays marked DRAFT until a sign-off with none open",
            file=sys.stderr,
        )
    print(f"Recorded version {sign_off.version}")
    return EXIT_OK


def _usage(args: argparse.Namespace, message: str) -> None:
    from wizard.cli import command_parser

    command_parser("sign-off").error(message)
