"""The wizard in a real browser: ``telewizard serve`` on a free local port, headless Chromium driven by
Playwright (the system's Chromium: Playwright downloads no browser of its own).

A person opens the page, sees the welcome screen, creates a design with the mouse and the keyboard, types
into it and stops the server with Ctrl+C (or the system stops it with SIGTERM): the design and what was
typed last are on disk, and the page loaded nothing from anywhere but the server.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from wizard.project import load_design

from .harness import CHROMIUM_ARGS, ServeProcess, TerminalView, bright_pixels, wait_until

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not found (Debian package chromium; .ci/run installs it)"
)

SCREEN_SIZE = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, started once for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def same_origin(url: str, server: ServeProcess) -> bool:
    """True when url points at the server (http for the page, ws for the terminal's socket)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "ws") and parts.netloc == f"127.0.0.1:{server.port}"


@pytest.mark.parametrize("stop", ["ctrl+c", "sigterm"])
def test_a_design_made_in_the_browser_is_on_disk_after_the_server_stops(
    browser: Any, server: ServeProcess, tmp_path: Path, stop: str
) -> None:
    page = browser.new_page(viewport=SCREEN_SIZE)
    addresses: list[str] = []
    page.on("request", lambda request: addresses.append(request.url))
    page.on("websocket", lambda websocket: addresses.append(websocket.url))
    view = TerminalView()
    view.watch(page)

    page.goto(server.url)
    blank = page.screenshot(path=tmp_path / "0-start-page.png")
    assert not page.evaluate("document.body.classList.contains('-first-byte')"), "the wizard drew before the page"
    blank_light = bright_pixels(page, blank)

    # The welcome screen: on the terminal's screen, and painted on the canvas (far more light pixels than
    # the start page, whose only text is one short line).
    view.wait_for(page, "Open the example")
    view.wait_for(page, "Recent designs")
    shots: list[bytes] = []

    def painted() -> bool:
        shots.append(page.screenshot())
        return bright_pixels(page, shots[-1]) > 5 * blank_light

    wait_until(painted, "the welcome screen to be painted on the page", timeout=20, step=0.2)
    (tmp_path / "1-welcome.png").write_bytes(shots[-1])

    # A new design, as a person makes one: click, type, click.
    view.click(page, "New design")
    view.wait_for(page, "New design: clinical context")
    page.keyboard.type("Browser Clinic")
    view.wait_for(page, "browser-clinic.toml")  # the file path follows the title
    view.click(page, "Choose the care delivery model")
    view.click(page, "Hybrid primary care")
    view.click(page, "Physicians")
    view.wait_for(page, "✓▌ Physicians")  # only a ticked box shows its mark
    view.click(page, "Video")
    view.wait_for(page, "✓▌ Video")
    page.screenshot(path=tmp_path / "2-context.png")
    page.keyboard.press("F10")  # "f10 Save context", says the footer (the form's button is below the fold)
    view.wait_for(page, "3.1.1 Provider scheduling")
    design = tmp_path / "browser-clinic.toml"
    wait_until(design.exists, f"{design} to be written")
    created = load_design(design).design
    assert created.project.title == "Browser Clinic"
    assert created.context.care_model == "hybrid-primary-care"
    assert created.context.roles == ["physician"]
    assert created.context.visit_types == ["video"]

    # Type a decision's summary and stop the server at once, before the autosave's delay has passed.
    view.click(page, "e.g. ")  # the summary's example, the first on the form
    page.keyboard.type("Typed in the browser")
    view.wait_for(page, "Typed in the browser")
    page.screenshot(path=tmp_path / "3-typed.png")
    started = time.monotonic()
    code = server.stop(stop)
    took = time.monotonic() - started
    assert code == 0, server.errors
    # The server ends each tab's wizard itself, not after waiting for the browser to hang up (20 s and more).
    assert took < 15, f"the server took {took:.1f} s to stop"
    assert "Traceback" not in server.output + server.errors, server.output + server.errors
    summaries = [decision.summary for decision in load_design(design).design.decisions.values()]
    assert summaries == ["Typed in the browser"]
    assert not design.with_name("browser-clinic.toml.lock").exists()

    assert addresses, "the page made no request"
    assert [url for url in addresses if not same_origin(url, server)] == []
    page.close()
