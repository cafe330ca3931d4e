"""``telewizard serve [--host H] [--port P] [PATH]``: the wizard in a web browser (textual-serve)."""

from __future__ import annotations

import argparse
import importlib.util

from wizard.commands.common import UserError

HELP = "the same wizard in a web browser (needs the serve extra)"

INSTALL_HINT = 'serve needs textual-serve, an optional extra: pip install "telewizard[serve]"'


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1 to 65535): {port}")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument("path", nargs="?", help="design each browser tab opens (default: the welcome screen)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only); any other lets others in",
    )
    parser.add_argument("--port", type=port_number, default=8000, help="port to listen on (default 8000)")


def run(args: argparse.Namespace) -> int:
    """Serve the wizard until Ctrl+C."""
    if importlib.util.find_spec("textual_serve") is None:
        raise UserError(INSTALL_HINT)
    from wizard.serve.server import serve

    return serve(args.host, args.port, args.path)
