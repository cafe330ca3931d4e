"""copy_design: an equal, independent copy (saves keep it as the state last written)."""

from __future__ import annotations

import datetime as dt
import math

from wizard.project import Decision, Design, Review, copy_design, designs_equal


def _design() -> Design:
    return Design.model_validate(
        {
            "schema_version": 2,
            "project": {"title": "T", "resume_at": "a", "custom_project_key": {"nested": [1, 2]}},
            "context": {"care_model": "tele-icu", "roles": ["physician"], "visit_types": ["video"]},
            "decisions": {
                "a": {
                    "status": "decided",
                    "summary": "S",
                    "due": dt.date(2027, 1, 15),
                    "updated": dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
                    "kpis": ["one", "two"],
                    "review": {"state": "approved", "by": "Dr. Lee", "extra_review_key": "x"},
                    "unknown_number": math.nan,
                    "unknown_table": {"list": [{"deep": "value"}]},
                },
                "b": {"status": "open"},
            },
            "top_level_unknown": [1, "two", 3.5],
        }
    )


def test_the_copy_is_equal_and_independent() -> None:
    original = _design()
    copy = copy_design(original)
    assert designs_equal(copy, original)
    assert copy.decisions["a"].model_extra is not None
    copy.decisions["a"].kpis.append("three")
    copy.decisions["a"].model_extra["unknown_table"]["list"][0]["deep"] = "changed"
    copy.decisions["c"] = Decision(summary="new")
    assert copy.decisions["a"].review is not None
    copy.decisions["a"].review.by = "someone else"
    copy.project.model_extra["custom_project_key"]["nested"].append(3)  # type: ignore[index]
    assert original.decisions["a"].kpis == ["one", "two"]
    assert original.decisions["a"].model_extra == {
        "unknown_number": original.decisions["a"].model_extra["unknown_number"],
        "unknown_table": {"list": [{"deep": "value"}]},
    }
    assert "c" not in original.decisions
    assert original.decisions["a"].review == Review(state="approved", by="Dr. Lee", extra_review_key="x")
    assert original.project.model_extra == {"custom_project_key": {"nested": [1, 2]}}


def test_a_value_the_schema_refuses_is_still_copied() -> None:
    original = _design()
    original.decisions["a"].kpis.append(5)  # type: ignore[arg-type]  # mutated in place, never validated
    copy = copy_design(original)
    assert copy.decisions["a"].kpis == ["one", "two", 5]
    assert copy.decisions["a"].kpis is not original.decisions["a"].kpis
