"""The example playbook as a reviewer gets it: printed to PDF by headless Chromium on Letter paper.

Skipped, with one line, where Chromium or poppler-utils (pdfinfo, pdftotext) are not installed;
`.ci/run` installs both.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM_ARGS
from wizard.attention import TITLES, needs_attention
from wizard.content import ContentPack
from wizard.playbook import render
from wizard.project import load_design

EXAMPLE = Path(__file__).resolve().parents[2] / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml"
TODAY = dt.date(2026, 12, 1)
MAX_PAGES = 24
TOOLS = ("chromium", "pdfinfo", "pdftotext")

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in TOOLS),
    reason="needs headless Chromium and poppler-utils (pdfinfo, pdftotext); .ci/run installs them",
)


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """Chromium's own print of the page, without its header and footer (the page sets its own)."""
    command = [
        "chromium",
        "--headless",
        *CHROMIUM_ARGS,
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=180, check=False)
    assert pdf.is_file() and pdf.stat().st_size > 0, "Chromium wrote no PDF"


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, in order."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)$", info, flags=re.MULTILINE)
    assert found is not None, info
    count = int(found.group(1))
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def pages(bundled_pack: ContentPack, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("print")
    page = folder / "playbook.html"
    page.write_text(render(load_design(EXAMPLE, bundled_pack).design, bundled_pack, "html", TODAY), encoding="utf-8")
    pdf = folder / "playbook.pdf"
    print_to_pdf(page, pdf, folder / "profile")
    return page_texts(pdf)


def test_the_example_prints_on_at_most_24_letter_pages(pages: list[str]) -> None:
    assert 10 <= len(pages) <= MAX_PAGES


def test_every_page_is_numbered_and_marked_draft(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text, number
        assert "DRAFT: not signed" in text, number


def test_page_one_holds_the_whole_brief(pages: list[str], bundled_pack: ContentPack) -> None:
    first = " ".join(pages[0].split())
    assert first.startswith("DRAFT: not signed Riverbend Health Virtual Urgent Care")
    assert "Decision brief" in first and "Needs your attention, most serious first:" in first
    concerns = needs_attention(load_design(EXAMPLE, bundled_pack).design, bundled_pack, TODAY)
    kinds = Counter(concern.kind for concern in concerns)
    assert {"changes-requested", "open", "self-approved", "placeholder", "due"} <= set(kinds)
    for kind, count in kinds.items():  # every line of the brief, with its count
        assert f"{TITLES[kind]} ({count})" in first, kind
    last = concerns[-1]
    shown = last.item.number if last.item else last.detail.split(";")[0]
    assert shown in first.split(TITLES[last.kind])[1]  # the last line reaches page 1 too
    assert "Sign-off" not in first  # it starts page 2


def test_no_table_cell_is_broken_inside_a_word(pages: list[str], bundled_pack: ContentPack) -> None:
    """Dates, item numbers and statuses print whole, as often as the Markdown holds them (issue 14:
    "2027-01-15", "3.1.1" and "Decided" wrapped letter by letter in narrow table cells)."""
    printed = "\n".join(pages)
    markdown = render(load_design(EXAMPLE, bundled_pack).design, bundled_pack, "markdown", TODAY)
    markdown = re.sub(r"<https?://[^>]*>", "", markdown)  # a long web address may wrap anywhere
    words = set(re.findall(r"\b20\d\d-\d\d-\d\d\b", markdown)) | {item.number for item in bundled_pack.items}
    words |= {"Decided", "Drafting", "Approved"}
    short = {word: (printed.count(word), markdown.count(word)) for word in sorted(words)}
    assert {word: counts for word, counts in short.items() if counts[0] < counts[1]} == {}
