"""Shared pieces of the data-safety tests: a realistic design file written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

DESIGN = """\
# Riverbend's design, kept in git.
schema_version = 2

[project]
title = "Riverbend Health Virtual Urgent Care"
organization = "Riverbend Health"
lead = "Dana Ortiz, Director of Virtual Care Operations"
content = "telemedicine-clinical-workflows@1"
created = 2026-11-26T09:14:00Z
updated = 2026-11-26T11:02:31Z
resume_at = "provider-scheduling"

[context]
care_model = "dtc-virtual-urgent-care"
care_model_note = ""
roles = ["physician", "nurse-practitioner"]
visit_types = ["video", "audio-only"]

[decisions.provider-scheduling]
status = "decided"
option = "on-demand-queue"
summary = "Per-diem clinicians log in to one shared on-demand queue in 4-hour blocks."
owner = "Medical Director"
due = 2027-01-15
kpis = ["Median queue wait under 15 minutes"]
"""


@pytest.fixture
def design_path(tmp_path: Path) -> Path:
    """A valid design file in a temporary folder."""
    path = tmp_path / "riverbend.toml"
    path.write_text(DESIGN, encoding="utf-8")
    return path
