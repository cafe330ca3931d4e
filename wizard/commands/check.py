"""``telewizard check PATH [--strict]``: errors and warnings about a design."""

from __future__ import annotations

import argparse
import sys

from wizard.commands.common import EXIT_FINDINGS, EXIT_OK, UserError, load, review_date

HELP = "validate the file and the design"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path")
    parser.add_argument("--strict", action="store_true", help="warnings count as errors")


def run(args: argparse.Namespace) -> int:
    """Print every finding and a count; exit 1 on errors (or, with --strict, warnings)."""
    from wizard.checks import check_design, counts

    try:
        loaded, pack = load(args.path)
    except UserError as exc:  # a file that does not load: every problem, not the first and a count
        for problem in exc.problems:
            print(f"telewizard: {problem}", file=sys.stderr)
        return EXIT_FINDINGS
    findings = check_design(loaded.design, pack, review_date())
    for finding in findings:
        print(f"{args.path}: {finding}")
    errors, warnings = counts(findings)
    print(f"{args.path}: {errors} error(s), {warnings} warning(s)")
    failing = errors + (warnings if args.strict else 0)
    return EXIT_FINDINGS if failing else EXIT_OK
