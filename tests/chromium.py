"""Headless Chromium for the tests that read what we export or serve as a browser does.

The flags keep it off the network: on a closed network its background connections are refused
(many at a time) and it fails to look up Google's hosts at every start.
"""

from __future__ import annotations

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Arguments for every headless Chromium the tests start."""
