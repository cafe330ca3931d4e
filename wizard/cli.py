"""The command line: ``telewizard [PATH]`` opens the wizard, ``telewizard COMMAND ...`` runs a headless
command.

Each headless command is a module of ``wizard.commands`` (named in ``COMMANDS``) with
``add_arguments(parser)`` and ``run(args) -> int``. Only the module of the command given is imported
and only its parser is built; none of them imports Textual, so they start fast. Only the wizard
itself imports Textual.

Exit codes: 0 ok, 1 invalid data or findings, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from wizard import __version__
from wizard.commands.common import EXIT_FINDINGS, EXIT_USAGE, UserError

if TYPE_CHECKING:
    from wizard.tui.app import TeleWizardApp

COMMANDS: dict[str, str] = {
    "new": "new PATH --title T ...",
    "status": "status PATH",
    "check": "check PATH [--strict]",
    "export": "export PATH [-o OUT]",
    "sign-off": "sign-off PATH --by N --role R --outcome O",
    "diff": "diff OLD NEW",
    "content": "content check [DIR]",
    "capacity": "capacity queue|panel|overbook ...",
    "serve": "serve [--host H] [--port P] [PATH]",
}
"""Every headless command (its module is ``wizard.commands.<name>``) and its line in the help."""


class Parser(argparse.ArgumentParser):
    """argparse, with usage errors exiting 2 (as they do) after the usage line on stderr."""

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def command_module(name: str) -> object:
    """The module of a headless command."""
    return importlib.import_module(f"wizard.commands.{name.replace('-', '_')}")


def command_parser(name: str) -> argparse.ArgumentParser:
    """The parser of one headless command (the usage line still names every command)."""
    parser = Parser(prog="telewizard")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, metavar="{" + ",".join(COMMANDS) + "}"
    )
    module = command_module(name)
    module.add_arguments(sub.add_parser(name, help=module.HELP))  # type: ignore[attr-defined]
    return parser


def wizard_parser() -> argparse.ArgumentParser:
    """The parser of ``telewizard [PATH]``; its help lists the commands."""
    width = max(len(line) for line in COMMANDS.values()) + 2
    lines = []
    for name, line in COMMANDS.items():
        lines.append(f"  {line:<{width}}{command_module(name).HELP}")  # type: ignore[attr-defined]
    parser = Parser(
        prog="telewizard",
        description=(
            "Design telemedicine clinical workflows, item by item, and export a review-ready playbook. "
            "With no command, opens the wizard."
        ),
        epilog="commands (run `telewizard COMMAND --help` for each):\n" + "\n".join(lines) + "\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", nargs="?", help="design file to open (created on first save if missing)")
    parser.add_argument("--version", action="version", version=f"telewizard {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: a headless command, or the wizard."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            namespace = command_parser(args[0]).parse_args(args)
            code: int = command_module(namespace.command).run(namespace)  # type: ignore[attr-defined]
            sys.stdout.flush()  # a closed pipe shows up here, inside the handler below
            return code
        return run_wizard(wizard_parser().parse_args(args).path)
    except UserError as exc:
        print(f"telewizard: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`telewizard status x.toml | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS


def console() -> NoReturn:
    """The ``telewizard`` console script and ``python -m wizard``.

    telewizard uses no pydantic plugins, and one installed in the same environment could change how
    design files are validated, so they are turned off here (unless the user set the variable).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    raise SystemExit(main())


def run_wizard(path: str | None) -> int:
    """Start the Textual app (the only place the command line imports Textual)."""
    import signal

    app = start_wizard(path)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, app.on_terminate_signal)
    app.run()
    return app.return_code or 0


def start_wizard(path: str | None) -> TeleWizardApp:
    """Import the interface and build the app.

    What the imports built lives as long as the process; ``gc.freeze`` moves it out of the cyclic
    collector's way, so its collections only walk what the screens build.
    """
    import gc

    from wizard.tui.app import make_app

    gc.freeze()
    return make_app(path=Path(path) if path else None)
