"""``telewizard serve`` without a browser: its errors, its warning, the page it serves, a tab's wizard.

Every server here listens on 127.0.0.1 (or on every address, for the warning) at a free port, and
every request goes to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

from wizard.project import new_design
from wizard.serve.server import PAGE_DIR, SECURITY_WARNING, is_local, wizard_command

from .harness import ServeProcess, TerminalView, free_port, wait_until

REPO = Path(__file__).resolve().parents[2]


def serve(*args: str, cwd: Path, python: tuple[str, ...] = (sys.executable,)) -> subprocess.CompletedProcess[str]:
    """``telewizard serve ARGS`` run to its end (for the errors, which end it at once)."""
    return subprocess.run(
        [*python, "-m", "wizard", "serve", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 1, one line on stderr naming every needle, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


# -- errors and the warning ---------------------------------------------------------------------------


def test_without_textual_serve_it_says_how_to_install_it(tmp_path: Path) -> None:
    # `python -S` leaves site-packages (and so textual-serve) out, as in an install without the extra;
    # the command line itself needs nothing from there to say so.
    result = serve(cwd=tmp_path, python=(sys.executable, "-S"))
    assert_one_line_error(result, "textual-serve", 'pip install "telewizard[serve]"')
    assert result.stdout == ""


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve("--port", str(port), cwd=tmp_path)
    assert_one_line_error(result, f"--port {port}", "already in use")
    assert result.stdout == ""


def test_a_host_that_cannot_be_bound_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = serve("--host", "192.0.2.1", "--port", str(free_port()), cwd=tmp_path)  # TEST-NET-1: nobody's
    assert_one_line_error(result, "--host 192.0.2.1", "not an address of this machine")


def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = serve("--port", "70000", cwd=tmp_path)
    assert result.returncode == 2
    assert "not a port number" in result.stderr


def test_only_this_machine_counts_as_local() -> None:
    assert all(is_local(host) for host in ("127.0.0.1", "localhost", "LOCALHOST", "127.0.0.2", "::1"))
    assert not any(is_local(host) for host in ("0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "myhost"))


def test_another_host_prints_the_security_sentence_once_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    served = ServeProcess(tmp_path, "--host", "0.0.0.0")
    try:
        served.wait_listening()
        code = served.stop("ctrl+c")
    finally:
        served.kill()
    assert code == 0, served.errors
    assert served.errors.count(SECURITY_WARNING) == 1, served.errors
    assert f":{served.port}/" in served.output
    assert "Traceback" not in served.output + served.errors


def test_the_default_host_prints_no_warning_and_ctrl_c_stops_it(server: ServeProcess) -> None:
    assert server.stop("ctrl+c") == 0
    assert server.output.strip() == f"telewizard: serving the wizard at {server.url} (Ctrl+C stops it)"
    assert server.errors == ""


# -- the page: nothing from outside -------------------------------------------------------------------

CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
REFERENCE = re.compile(r"""(?:href|src)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^"')]*)["']?\s*\)""")
ABSOLUTE = re.compile(r"[a-z][a-z0-9+.-]*:|//", re.IGNORECASE)  # a scheme, or a protocol-relative //host


def outside_addresses(text: str) -> list[str]:
    """Every reference in a page or stylesheet that is not a path on the server that sent it, and every
    written-out web address (``scheme://``) anywhere in it."""
    found = [ref for ref in references(text) if ABSOLUTE.match(ref)]
    found += re.findall(r"[a-z][a-z0-9+.-]*://[^\s\"'<>)]*", text, flags=re.IGNORECASE)
    return found


def references(text: str) -> list[str]:
    """What a page or stylesheet loads (an inline ``data:`` address loads nothing)."""
    return [ref for pair in REFERENCE.findall(text) for ref in pair if ref and not ref.startswith("data:")]


def fetch(url: str) -> str:
    """GET one address on the local server."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return str(response.read().decode("utf-8"))


def test_the_served_page_and_what_it_loads_name_no_outside_address(server: ServeProcess) -> None:
    page = fetch(server.url)
    assert outside_addresses(page) == []
    assert "{{" not in page and "{%" not in page
    loaded = {urljoin(server.url, ref) for ref in references(page)}
    assert {url.removeprefix(server.url) for url in loaded} == {
        "static/css/xterm.css",
        "static/js/textual.js",
        "static/fonts/RobotoMono-VariableFont_wght.ttf",
        "static/fonts/RobotoMono-Italic-VariableFont_wght.ttf",
    }
    for url in sorted(loaded):
        if url.endswith(".ttf"):
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200 and len(response.read()) > 10_000, url
            continue
        text = fetch(url)
        if url.endswith(".css"):
            text = CSS_COMMENT.sub("", text)  # its licence comment names the projects it came from
            assert references(text) == [], url
        assert outside_addresses(text) == [], url


def test_the_check_finds_the_web_font_of_textual_serves_own_page() -> None:
    import textual_serve

    own_page = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    assert any("fonts.googleapis.com" in found for found in outside_addresses(own_page.read_text()))
    assert (PAGE_DIR / "app_index.html").read_text() != own_page.read_text()


# -- a tab's wizard -----------------------------------------------------------------------------------


def test_the_command_line_of_each_tab_opens_the_design_given(tmp_path: Path) -> None:
    path = tmp_path / "my designs" / "it's here.toml"
    argv = shlex.split(wizard_command(str(path)))
    assert argv == [sys.executable, "-m", "wizard", str(path)]
    assert shlex.split(wizard_command(None)) == [sys.executable, "-m", "wizard"]
    relative = shlex.split(wizard_command("status"))[-1]
    assert Path(relative).is_absolute() and Path(relative).name == "status"


def test_serve_path_opens_that_design_in_a_tab_and_a_closed_tab_ends_its_wizard(tmp_path: Path) -> None:
    design = new_design(
        tmp_path / "clinic.toml",
        title="Served Clinic",
        care_model="tele-icu",
        roles=["physician"],
        visit_types=["video"],
    )
    design.save()
    served = ServeProcess(tmp_path, "clinic.toml")
    try:
        served.wait_listening()
        lock = tmp_path / "clinic.toml.lock"
        screen, locked = asyncio.run(read_a_tab(f"ws://127.0.0.1:{served.port}/ws", "Served Clinic", lock))
        assert "3.1.1 Provider scheduling" in screen
        assert locked, "the tab's wizard did not hold the design"
        wait_until(lambda: not lock.exists(), "the wizard of the closed tab to let go of the design")
        assert served.stop("sigterm") == 0
    finally:
        served.kill()
    assert "Traceback" not in served.output + served.errors


async def read_a_tab(url: str, needle: str, lock: Path, timeout: float = 30.0) -> tuple[str, bool]:
    """Open a tab's connection as the page does, read its screen until needle shows, then close it.

    Returns the screen, and whether the lock file existed while the tab was open."""
    import aiohttp

    view = TerminalView()
    view.screen.resize(30, 100)
    async with aiohttp.ClientSession() as session, session.ws_connect(url + "?width=100&height=30") as websocket:
        await websocket.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        async with asyncio.timeout(timeout):
            while needle not in view.text():
                message = await websocket.receive()
                assert message.type == aiohttp.WSMsgType.BINARY, message
                view.stream.feed(message.data)
        locked = lock.exists()
        await websocket.close()
    return view.text(), locked
