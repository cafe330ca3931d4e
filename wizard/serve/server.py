"""The web server of ``telewizard serve``: textual-serve runs one wizard process per browser tab.

textual-serve's own page links a web font from a public address; ours (``page/app_index.html``) loads
only what this server serves, so nothing leaves the machine and the page works offline.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import shlex
import socket
import sys
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from wizard.commands.common import UserError

PAGE_DIR = Path(__file__).resolve().parent / "page"
"""The folder of our page template (textual-serve looks for ``app_index.html`` in it)."""

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
"""Host names that only this machine can reach (as are loopback addresses); any other host gets SECURITY_WARNING."""

SECURITY_WARNING = (
    "anyone who can reach this port can open and edit every design the user running this server can read "
    "(the wizard opens any file path typed into it); there is no password"
)


def is_local(host: str) -> bool:
    """True for a host only this machine can reach (localhost, or a loopback address)."""
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


WILDCARD_HOSTS = frozenset({"0.0.0.0", "::"})
"""Hosts that mean every address of this machine."""


def address(host: str, port: int) -> str:
    """The address to open in a browser: this machine's name for a wildcard host, an IPv6 one in brackets."""
    shown = socket.gethostname() if host in WILDCARD_HOSTS else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def wizard_command(path: str | None) -> str:
    """The command line textual-serve runs for each browser tab: this Python, ``-m wizard``, the design.

    The path is made absolute, so a design named like a command (``status``) is still a design.
    """
    argv = [sys.executable, "-m", "wizard"]
    if path:
        argv.append(str(Path(path).expanduser().absolute()))
    return shlex.join(argv)


def check_bindable(host: str, port: int) -> None:
    """Bind every address of host at port, as the server will, and let go; UserError when one cannot be."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UserError(f"--host {host}: cannot be bound: {exc.strerror}") from None
    for family, kind, proto, _, sockaddr in infos:
        with socket.socket(family, kind, proto) as probe:
            # The same options as the server's socket: a port left in TIME_WAIT by a server just
            # stopped can be bound again, and an IPv6 socket does not claim the IPv4 port too.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(sockaddr)
            except OSError as exc:
                raise UserError(bind_error(host, port, exc)) from None


def bind_error(host: str, port: int, exc: OSError) -> str:
    """One line: why host:port cannot be bound."""
    import errno

    if exc.errno == errno.EADDRINUSE:
        return f"--port {port}: already in use on {host}; choose another port with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"--host {host}: cannot be bound: not an address of this machine"
    if exc.errno == errno.EACCES:
        return f"--port {port}: cannot be bound: permission denied (ports below 1024 need privileges)"
    return f"--host {host} --port {port}: cannot be bound: {exc.strerror or exc}"


class WizardServer(Server):
    """textual-serve's server with our page, quiet start-up, plain log lines, and a stop that waits for
    every tab's wizard to save and end."""

    def __init__(self, command: str, host: str, port: int) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="telewizard",
            public_url=address(host, port).rstrip("/"),
            templates_path=PAGE_DIR,
        )
        self.sessions: set[asyncio.Task[object]] = set()
        """The connection of each open tab (each runs one wizard process while it lasts)."""

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab's connection, which runs its wizard: recorded while it lasts, so a stop can end it."""
        task = asyncio.current_task()
        assert task is not None  # aiohttp runs each request in a task
        self.sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """The server is stopping: end every tab's connection and wait until its wizard has ended.

        Ending a connection tells its wizard to quit, and the wizard saves every open design as it
        quits. Without this the server would wait for each browser to hang up, and then end the
        wizards after its own loop had closed.
        """
        for task in self.sessions:
            task.cancel()
        await asyncio.gather(*self.sessions, return_exceptions=True)

    def initialize_logging(self) -> None:
        """Warnings and errors only (a wizard that failed to start), not a line per request."""
        logging.basicConfig(level=logging.WARNING, format="telewizard serve: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to print: the command printed the address before starting."""


def serve(host: str, port: int, path: str | None) -> int:
    """Serve the wizard until Ctrl+C; UserError when the address cannot be bound."""
    check_bindable(host, port)
    if not is_local(host):
        print(f"telewizard: warning: {SECURITY_WARNING}", file=sys.stderr)
    print(f"telewizard: serving the wizard at {address(host, port)} (Ctrl+C stops it)", flush=True)
    server = WizardServer(wizard_command(path), host, port)
    try:
        server.serve()
    except OSError as exc:  # taken between the check and the start
        raise UserError(bind_error(host, port, exc)) from None
    return 0
