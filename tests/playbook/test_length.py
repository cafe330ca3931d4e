"""The example playbook can be signed in one sitting (issue 14, "Done when"): at most 9,000 words,
counted as `wc -w` counts them, with every word the team wrote still in it (test_every_word.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.playbook.test_every_word import written_fields
from wizard.content import ContentPack
from wizard.playbook import render
from wizard.project import load_design

EXAMPLE = Path(__file__).resolve().parents[2] / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml"
TODAY = dt.date(2026, 12, 1)
MAX_WORDS = 9000


def test_the_example_playbook_is_at_most_9000_words(bundled_pack: ContentPack) -> None:
    design = load_design(EXAMPLE, bundled_pack).design
    words = len(render(design, bundled_pack, "markdown", TODAY).split())
    team = sum(len(text.split()) for _, text in written_fields(design))
    assert team > 4000  # the team's own words are most of it
    assert words <= MAX_WORDS, f"{words} words, {words - team} of them not the team's"
