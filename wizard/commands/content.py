"""``telewizard content check [DIR] [--json]``: validate a content pack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard.commands.common import EXIT_FINDINGS, EXIT_OK

HELP = "content pack commands"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments: ``content check``."""
    sub = parser.add_subparsers(dest="content_command", required=True, parser_class=type(parser))
    check = sub.add_parser("check", help="validate a content pack")
    check.add_argument("directory", nargs="?", help="pack folder (default: the bundled pack)")
    check.add_argument("--json", action="store_true", help="print the validated pack as JSON")


def run(args: argparse.Namespace) -> int:
    """Validate the pack; print its problems and a summary (or, with --json, the pack)."""
    from wizard.content import DEFAULT_PACK_ID, bundled_content_dir, check_pack

    folder = Path(args.directory) if args.directory else bundled_content_dir() / DEFAULT_PACK_ID
    pack, problems = check_pack(folder)
    errors = [p for p in problems if p.severity == "error"]
    if args.json and pack is not None and not errors:
        import json

        print(json.dumps(pack.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return EXIT_OK
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr if problem.severity == "error" else sys.stdout)
    if pack is None:
        print(f"{folder}: not a valid content pack: {len(errors)} error(s)", file=sys.stderr)
        return EXIT_FINDINGS
    warnings = len(problems) - len(errors)
    print(
        f"{pack.id} {pack.version}: {len(pack.items)} items in {len(pack.sections)} sections, "
        f"{len(problems)} problem(s) ({len(errors)} error(s), {warnings} warning(s))"
    )
    return EXIT_FINDINGS if errors else EXIT_OK
