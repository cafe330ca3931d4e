"""argparse parsers for the command line: the wizard's, and one per headless command.

Imported only when a command line needs them: the wizard's, and any headless one that is not plain
(see ``wizard.arguments``).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from wizard import __version__
from wizard.arguments import COMMANDS, PLAIN
from wizard.cli import EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def wizard_parser() -> argparse.ArgumentParser:
    """The parser of ``telewizard [PATH]``."""
    parser = _Parser(
        prog="telewizard",
        description=(
            "Design telemedicine clinical workflows, item by item, and export a review-ready playbook. "
            "With no command, opens the wizard."
        ),
        epilog=(
            "commands (run `telewizard COMMAND --help` for each):\n"
            "  new PATH --title T ...      create a design without the wizard\n"
            "  status PATH                 progress per section and the open items\n"
            "  check PATH [--strict]       validate the file and the design\n"
            "  export PATH [-o OUT]        write the playbook (Markdown or HTML)\n"
            "  content check [DIR]         validate a content pack\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", nargs="?", help="design file to open (created on first save if missing)")
    parser.add_argument("--version", action="version", version=f"telewizard {__version__}")
    return parser


def command_parser(command: str) -> argparse.ArgumentParser:
    """The parser for one headless command.

    Only that command's parser is built (all five cost an export 18M instructions, one 13M, most of
    it imports the export needs anyway); the choices still name every command, so usage lines and
    errors read the same.
    """
    parser = _Parser(prog="telewizard")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="{" + ",".join(COMMANDS) + "}"
    )
    if command in PLAIN:
        _plain_arguments(sub, command)
    else:
        _content_arguments(sub)
    return parser


def _plain_arguments(sub: argparse._SubParsersAction[_Parser], command: str) -> None:
    help_text, path_help, options = PLAIN[command]
    parser = sub.add_parser(command, help=help_text)
    parser.add_argument("path", help=path_help)
    for flags, keywords in options:
        parser.add_argument(*flags, **keywords)


def _content_arguments(sub: argparse._SubParsersAction[_Parser]) -> None:
    content = sub.add_parser("content", help="content pack commands")
    content_sub = content.add_subparsers(dest="content_command", required=True, parser_class=_Parser)
    content_check = content_sub.add_parser("check", help="validate a content pack")
    content_check.add_argument("directory", nargs="?", help="pack folder (default: the bundled pack)")
    content_check.add_argument("--json", action="store_true", help="print the validated pack as JSON")
