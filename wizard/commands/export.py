"""``telewizard export PATH [-o OUT] [--format markdown|html] [--strict]``: write the playbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from wizard.commands.common import EXIT_OK, UserError, load

HELP = "write the playbook"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path")
    parser.add_argument("-o", "--output", help="file to write (default: exports/<name>-playbook.md beside PATH)")
    parser.add_argument("--format", choices=("markdown", "html"), default="markdown")
    parser.add_argument("--strict", action="store_true", help="refuse while items are open or errors exist")


def run(args: argparse.Namespace) -> int:
    """Write the playbook and print where."""
    from wizard.paths import default_export_path
    from wizard.playbook import render
    from wizard.project import DesignError, progress, write_export

    loaded, pack = load(args.path)
    design = loaded.design
    if args.strict:
        from wizard.checks import check_design

        numbers = progress(design, pack)
        open_count = numbers["open"] + numbers["drafting"]
        errors = [finding for finding in check_design(design, pack) if finding.severity == "error"]
        if open_count or errors:
            reasons = []
            if open_count:
                drafting = f", {numbers['drafting']} of them in drafting" if numbers["drafting"] else ""
                verb = "item is" if open_count == 1 else "items are"
                reasons.append(f"{open_count} {verb} still open{drafting}")
            if errors:
                first = " ".join(f"{errors[0].place}: {errors[0].message}".split())
                more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
                noun = "error" if len(errors) == 1 else "errors"
                reasons.append(f"{len(errors)} {noun} ({first}{more}; see `telewizard check`)")
            raise UserError(f"{args.path}: not exported (--strict): {'; '.join(reasons)}")
    out = Path(args.output) if args.output else default_export_path(Path(args.path), args.format)
    try:
        text = render(design, pack, args.format)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    try:
        write_export(out, text)
    except DesignError as exc:
        raise UserError(str(exc)) from None
    print(out)
    return EXIT_OK
