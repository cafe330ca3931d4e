"""Fixtures of the ``telewizard serve`` tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import ServeProcess


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServeProcess]:
    """``telewizard serve`` on 127.0.0.1 at a free port, started in tmp_path (a new design's relative
    path lands there)."""
    served = ServeProcess(tmp_path)
    try:
        served.wait_listening()
        yield served
    finally:
        served.kill()
