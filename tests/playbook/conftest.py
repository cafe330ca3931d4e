"""Fixtures of the playbook tests."""

from __future__ import annotations

import pytest

from tests.playbook.helpers import example_design
from wizard.content import ContentPack, load_pack_by_ref
from wizard.project import Design


@pytest.fixture(scope="session")
def bundled_pack() -> ContentPack:
    """The bundled content pack, loaded once."""
    return load_pack_by_ref()


@pytest.fixture
def example(bundled_pack: ContentPack) -> Design:
    """A nearly finished example design built from the bundled pack."""
    return example_design(bundled_pack)
