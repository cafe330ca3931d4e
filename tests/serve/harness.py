"""Helpers for the serve tests: a ``telewizard serve`` subprocess, and the wizard's screen as a browser shows it.

The browser draws the terminal on a canvas, so the page holds no text to read. ``TerminalView`` reads
the same bytes the page's terminal receives (the websocket's frames, seen through Playwright) into a
terminal emulator (pyte), so a test can wait for what a person would wait for, and find where to click.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.chromium import CHROMIUM_ARGS

__all__ = ["CHROMIUM_ARGS"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0, step: float = 0.05) -> None:
    """Poll until condition() holds; fail naming what was awaited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


class ServeProcess:
    """``python -m wizard serve`` in its own process group, as a terminal runs it (Ctrl+C reaches the group)."""

    def __init__(self, cwd: Path, *args: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wizard", "serve", "--port", str(self.port), *args],
            cwd=cwd,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.output = ""
        self.errors = ""

    def wait_listening(self, timeout: float = 30.0) -> None:
        """Until the port accepts connections (fails early if the server ended)."""

        def listening() -> bool:
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"the server ended (exit {self.process.returncode}): {out}{err}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return False
            return True

        wait_until(listening, f"the server to listen on port {self.port}", timeout)

    def stop(self, how: str = "ctrl+c", timeout: float = 60.0) -> int:
        """Ctrl+C in its terminal (SIGINT to the whole group) or SIGTERM to the server alone; its exit code."""
        if how == "ctrl+c":
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGTERM)
        self.output, self.errors = self.process.communicate(timeout=timeout)
        return self.process.returncode

    def kill(self) -> None:
        """End the group if a test left it running."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()


class TerminalView:
    """The wizard's screen as the page's terminal draws it, from the bytes the page receives."""

    def __init__(self) -> None:
        import pyte

        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def watch(self, page: Any) -> None:
        """Follow the page's websocket: its size messages out, the terminal's bytes in."""
        import json

        def on_socket(websocket: Any) -> None:
            def sent(payload: str | bytes) -> None:
                if isinstance(payload, str) and payload.startswith('["resize"'):
                    size = json.loads(payload)[1]
                    self.screen.resize(size["height"], size["width"])

            def received(payload: str | bytes) -> None:
                if isinstance(payload, bytes):
                    self.stream.feed(payload)

            websocket.on("framesent", sent)
            websocket.on("framereceived", received)

        page.on("websocket", on_socket)

    def text(self) -> str:
        """The screen, one line per row."""
        return "\n".join(self.screen.display)

    def find(self, needle: str) -> tuple[int, int] | None:
        """(row, column) of the first cell of needle on the screen, or None."""
        for row, line in enumerate(self.screen.display):
            column = line.find(needle)
            if column >= 0:
                return row, column
        return None

    def wait_for(self, page: Any, needle: str, timeout: float = 30.0) -> tuple[int, int]:
        """Wait (letting Playwright deliver the page's events) until needle is on the screen."""
        deadline = time.monotonic() + timeout
        while (where := self.find(needle)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never appeared on the screen:\n{self.text()}")
            page.wait_for_timeout(25)
        return where

    def click(self, page: Any, needle: str, timeout: float = 30.0) -> None:
        """Click the middle of the first cell of needle, as a person clicks a word on the screen."""
        row, column = self.wait_for(page, needle, timeout)
        box = page.locator(".xterm-screen").bounding_box()
        assert box is not None, "the terminal is not on the page"
        width = box["width"] / self.screen.columns
        height = box["height"] / self.screen.lines
        page.mouse.click(box["x"] + (column + 0.5) * width, box["y"] + (row + 0.5) * height)


def bright_pixels(page: Any, png: bytes) -> int:
    """How many pixels of a screenshot are light (text and bright widgets on the dark page).

    The browser itself decodes the picture (on a blank page), so the test needs no image library.
    """
    import base64

    source = "data:image/png;base64," + base64.b64encode(png).decode()
    count: int = page.evaluate(
        """async (source) => {
            const image = new Image();
            image.src = source;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width;
            canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, image.width, image.height).data;
            let bright = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                if (pixels[i] + pixels[i + 1] + pixels[i + 2] > 3 * 140) bright++;
            }
            return bright;
        }""",
        source,
    )
    return count
