"""``telewizard export PATH [-o OUT] [--format markdown|html] [--strict]``: write the playbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from wizard.commands.common import EXIT_OK, UserError, load, review_date

HELP = "write the playbook"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path")
    parser.add_argument("-o", "--output", help="file to write (default: exports/<name>-playbook.md beside PATH)")
    parser.add_argument("--format", choices=("markdown", "html"), default="markdown")
    parser.add_argument(
        "--strict", action="store_true", help="refuse on what `check --strict` fails: open items, errors, warnings"
    )


def run(args: argparse.Namespace) -> int:
    """Write the playbook and print where."""
    from wizard.paths import default_export_path
    from wizard.playbook import render
    from wizard.project import DesignError, write_export

    loaded, pack = load(args.path)
    design = loaded.design
    today = review_date()
    if args.strict:
        from wizard.checks import check_design, counts

        findings = check_design(design, pack, today)
        if findings:  # exactly what makes `check --strict` fail
            errors, warnings = counts(findings)
            found = " and ".join(
                f"{count} {noun}{'s' if count != 1 else ''}"
                for count, noun in ((errors, "error"), (warnings, "warning"))
                if count
            )
            first = " ".join(f"{findings[0].place}: {findings[0].message}".split())
            raise UserError(
                f"{args.path}: not exported (--strict): `telewizard check --strict` finds {found}, "
                f"the first: {first}; see `telewizard check`"
            )
    out = Path(args.output) if args.output else default_export_path(Path(args.path), args.format)
    text = render(design, pack, args.format, today)
    try:
        write_export(out, text)
    except DesignError as exc:
        raise UserError(str(exc)) from None
    print(out)
    return EXIT_OK
