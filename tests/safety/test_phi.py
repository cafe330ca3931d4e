"""The PHI guard: free text that looks like patient data is flagged; what designs really hold is not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wizard.checks import check_design, find_phi
from wizard.cli import main
from wizard.content import ContentPack
from wizard.project import Decision, Review, load_design

SSN, MRN, DOB, NAMED = (
    "a Social Security number",
    "a medical record number",
    "a date of birth",
    "a date of birth next to a name",
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Escalate if the caller gives SSN 123-45-6789 on the line.", SSN),
        ("ssn 123 45 6789", SSN),
        ("SSN: 123456789", SSN),
        ("Social security number 078-05-1120 was read aloud", SSN),
        ("MRN: 00123456", MRN),
        ("mrn#A1234567 in the chart", MRN),
        ("MRN-00123456", MRN),
        ("Medical record no. 7654321", MRN),
        ("DOB 03/14/1962", DOB),
        ("dob: 3/14/62", DOB),
        ("date of birth: March 14, 1962", DOB),
        ("born 14 March 1962", DOB),
        ("Jane Doe (DOB 1962-03-14) was seen", DOB),
        ("patient John Smith 03/14/1962", NAMED),
        ("Patient John Smith 03/14/1962", NAMED),
        ("Pt. Jane Doe, 3/14/62", NAMED),
        ("Mrs. Smith 1962-03-14", NAMED),
        ("the patient, Maria Garcia-Lopez, 12/01/1958, called back", NAMED),
        ("John Smith, 03/14/1962", NAMED),
        ("Example: Robert O'Neil 1948-07-02 missed two visits", NAMED),
    ],
)
def test_patient_data_is_flagged(text: str, kind: str) -> None:
    assert find_phi(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "After-hours line 555-123-4567",
        "Call (555) 123-4567 or 555.123.4567",
        "Toll free 1-800-555-1234",
        "Policy effective 2026-01-15",
        "Medical Director Dana Ortiz, due 2027-01-15",
        "Dana Ortiz 2027-01-15",
        "Reviewed by Dr. Sam Lee, Medical Director, 2026-12-01",
        "42 CFR 482.22 governs privileging by proxy",
        "Bill CPT codes 99421-99423 for e-visits",
        "Keep a 1:100 ratio of supervising physicians",
        "Mail to ZIP+4 12345-6789",
        "MRN matching must use two identifiers",
        "The Patient Portal 2026-01-15 launch",
        "Newborn visits start 2026-03-01",
        "HCPCS G2025 from 2025-01-01",
        "NPI 1234567890 on every claim",
        "Patients 18 and over; review 03/14/2026",
        "Go-live Monday 2027-01-15, then weekly huddles",
        "Time-box audio-only visits to 20 minutes; 3 no-shows trigger outreach",
    ],
)
def test_what_designs_hold_is_not_flagged(text: str) -> None:
    assert find_phi(text) is None


def test_every_free_text_field_is_guarded(design_path: Path, pack: ContentPack) -> None:
    loaded = load_design(design_path, pack)
    design = loaded.design
    design.project.lead = "Dana Ortiz"
    design.context.care_model_note = ""
    phi = "pt. John Smith DOB 03/14/1962"
    design.decisions["provider-scheduling"] = Decision(
        status="drafting",
        summary=phi,
        rationale=f"Why:\n{phi}",
        owner=phi,
        notes=phi,
        kpis=["Median wait under 15 minutes", phi],
        review=Review(state="changes-requested", by=phi, on=dt.date(2026, 12, 1), comment=phi),
    )
    design.project.organization = "Riverbend, MRN 00123456"
    places = {
        f.message.split(" looks like")[0]
        for f in check_design(design, pack, dt.date(2026, 12, 1))
        if "patient" in f.message
    }
    assert places >= {"summary", "rationale", "owner", "notes", "kpis[1]", "review.comment", "review.by"}
    assert any(
        f.place == "project.organization" and "medical record number" in f.message
        for f in check_design(design, pack, dt.date(2026, 12, 1))
    )


def test_check_warns_and_strict_fails(design_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = design_path.read_text(encoding="utf-8")
    design_path.write_text(text.replace('owner = "Medical Director"', 'owner = "Call patient Ann Lee 4/2/1950"'))

    assert main(["check", str(design_path)]) == 0
    out = capsys.readouterr().out
    assert "owner looks like it holds a date of birth next to a name" in out
    assert "a playbook must never carry patient data" in out
    assert main(["check", "--strict", str(design_path)]) == 1


def test_a_clean_design_has_no_phi_warning(design_path: Path, pack: ContentPack) -> None:
    design = load_design(design_path, pack).design
    assert not [f for f in check_design(design, pack, dt.date(2026, 12, 1)) if "patient data" in f.message]
