"""Round trips (hypothesis): what is saved loads back equal, and a hand-written file keeps its comments
and unknown keys through many random edits made through the core.

The normal suite runs a modest number of examples; ``make stress`` runs the same properties with
many more (the ``slow`` twins at the bottom).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from pydantic import BaseModel

from wizard.project import (
    REVIEW_STATES,
    STATUSES,
    ClinicalContext,
    Decision,
    Design,
    DesignFile,
    ProjectInfo,
    Review,
    load_design,
    new_design,
)

# --------------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------------

TRICKY = [
    '"', '""', '"""', '""""', "'", "'''", "\\", "\\\\", "\\n", "\\u0041", "\n", "\r", "\r\n", "\t",
    "\x00", "\x01", "\x1b[0m", "\x7f", "\u2028", "\u0085", "\ufeff", "é", "日本", "🩺", "#", "# not a comment",
    "=", "[decisions.x]", "key = 1", " ", "",
]  # fmt: skip

fragment = st.one_of(st.text(st.characters(codec="utf-8"), max_size=12), st.sampled_from(TRICKY))
line = st.lists(fragment, max_size=4).map("".join)
ENDINGS = ["", "", '"', '""', '"""', '""""', '"""""', "\\", "\n", "'''"]
# Mostly multi-line text (the file's multi-line strings are where escaping goes wrong), often ending
# in a run of quotes or a backslash right before the closing delimiter.
text = st.one_of(
    st.builds(
        lambda lines, newline, end: newline.join(lines) + end,
        st.lists(line, max_size=4),
        st.sampled_from(["\n", "\r\n", "\r"]),
        st.sampled_from(ENDINGS),
    ),
    line,
)
short_text = st.one_of(st.text(st.characters(codec="utf-8"), max_size=8), st.sampled_from(TRICKY))
SLUGS = ["provider-scheduling", "same-day-urgent-access", "no-show-reduction", "note-templates"]
slug = st.one_of(st.sampled_from(SLUGS), st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,3}", fullmatch=True))
any_key = st.one_of(slug, st.text(st.characters(codec="utf-8"), min_size=1, max_size=10))
ZONES = [dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(-dt.timedelta(hours=8))]
datetimes = st.one_of(
    st.datetimes(timezones=st.sampled_from(ZONES)),
    st.datetimes(),  # local date-times (no offset) are TOML too
)
dates = st.dates()
reviews = st.builds(Review, state=st.sampled_from(REVIEW_STATES), by=text, on=st.none() | dates, comment=text)
decisions = st.builds(
    Decision,
    status=st.sampled_from(STATUSES),
    option=short_text,
    summary=text,
    rationale=text,
    owner=text,
    due=st.none() | dates,
    kpis=st.lists(text, max_size=4),
    notes=text,
    updated=st.none() | datetimes,
    review=st.none() | reviews,
)
designs = st.builds(
    Design,
    project=st.builds(
        ProjectInfo,
        title=text,
        organization=text,
        lead=text,
        content=short_text,
        created=st.none() | datetimes,
        updated=st.none() | datetimes,
        resume_at=short_text,
    ),
    context=st.builds(
        ClinicalContext,
        care_model=short_text,
        care_model_note=text,
        roles=st.lists(short_text, max_size=4),
        visit_types=st.lists(short_text, max_size=4),
    ),
    decisions=st.dictionaries(any_key, decisions, max_size=5),
)


def _without_blank_decisions(design: Design) -> Design:
    """An item with no table is open: a blank decision and a missing one are the same file."""
    copy = design.model_copy(deep=True)
    copy.decisions = {k: v for k, v in copy.decisions.items() if v != Decision()}
    return copy


# --------------------------------------------------------------------------------------------------
# Save then load
# --------------------------------------------------------------------------------------------------

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STRESS = settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _save_then_load(design: Design) -> None:
    with tempfile.TemporaryDirectory() as folder, mock.patch("os.fsync"):  # content, not durability
        path = Path(folder) / "design.toml"
        created = new_design(path, title="")
        created.design = design.model_copy(deep=True)
        created.save()
        loaded = load_design(path)
        assert loaded.design == _without_blank_decisions(design)
        assert not created.reformatted, "a design written from scratch needs no rebuilding"
        # A second save of an unchanged design leaves the bytes alone.
        before = path.read_bytes()
        loaded.save()
        assert path.read_bytes() == before


@FAST
@given(designs)
def test_save_then_load_gives_the_same_design(design: Design) -> None:
    _save_then_load(design)


HARD_CASES: dict[str, Callable[[str], bool]] = {
    "three quotes": lambda v: '"""' in v,
    "CRLF": lambda v: "\r\n" in v,
    "a backslash": lambda v: "\\" in v,
    "a NUL": lambda v: "\x00" in v,
    "multi-line, ending in three quotes": lambda v: "\n" in v and v.endswith('"""'),
    "multi-line, ending in a backslash": lambda v: "\n" in v and v.endswith("\\"),
    "multi-line, ending in a quote": lambda v: "\n" in v and v.endswith('"') and not v.endswith('""'),
}


@pytest.mark.parametrize("case", HARD_CASES)
def test_the_strategies_reach_the_hard_cases(case: str) -> None:
    """Guard against a strategy that quietly stopped producing the strings that broke saving before."""
    find(text, HARD_CASES[case], settings=settings(max_examples=2000, database=None, phases=[Phase.generate]))


# --------------------------------------------------------------------------------------------------
# A hand-commented file through many random edits
# --------------------------------------------------------------------------------------------------

# Every comment carries a tag naming the table it physically sits in (or the key whose line it ends),
# so the test knows which comments may legitimately go: those of a table or key the edits removed.
HAND_WRITTEN = '''\
# {top} Riverbend's design. Edited by hand and by telewizard; kept in git.
schema_version = 2  # {top:schema_version}
team = "virtual-care-ops"  # {top} an unknown key of ours
[project]
# {project} who and what
title = "Riverbend Health Virtual Urgent Care"  # {project:title}
organization = "Riverbend Health"
lead = "Dana Ortiz"  # {project:lead}
content = "telemedicine-clinical-workflows@1"
created = 2026-11-26T09:14:00Z  # {key:project.created}
ticket = "OPS-1234"  # {project} unknown key in [project]

    # {project} an indented comment before the next table
[context]
care_model = "dtc-virtual-urgent-care"  # {context:care_model}
roles = [
    "physician",  # {context:roles} a comment inside an array
    "nurse-practitioner",
]
visit_types = ["video"]
region = { name = "midwest", states = ["IA", "NE"] }  # {context} an unknown inline table

[decisions.provider-scheduling]
# {decision:provider-scheduling} the first item we settled
status = "decided"  # {decision:provider-scheduling} open | drafting | decided | not-applicable
option = "on-demand-queue"
summary = "Per-diem clinicians share one queue."
rationale = """
Markdown here.
# {decision:provider-scheduling} this line is text inside a string, not a comment
"""
owner = "Medical Director"  # {decision:provider-scheduling}
due = 2027-01-15  # {key:provider-scheduling.due}
kpis = ["Median wait under 15 minutes"]  # {decision:provider-scheduling}
board_meeting = "March"  # {decision:provider-scheduling} unknown key in a decision
budget = { amount = 12000, currency = "USD" }

[decisions.provider-scheduling.review]
# {review:provider-scheduling} Dr. Lee reviewed it in person
state = "approved"
by = "Dr. Sam Lee"  # {review:provider-scheduling}
on = 2026-12-01  # {key:provider-scheduling.review.on}
signed = true  # {review:provider-scheduling} unknown key in a review

[decisions.provider-scheduling.attachments]
# {attachments} an unknown sub-table of a decision
links = ["https://example.org/queue.pdf"]

# {attachments} the next item is still being drafted
[decisions.same-day-urgent-access]
status = "drafting"  # {decision:same-day-urgent-access}
summary = "Walk-in queue."

[appendix]
# {appendix} a table of our own at the end
notes = ["keep", "these"]

[[appendix.meetings]]
when = 2026-12-05  # {appendix}
topic = "staffing"
'''

COMMENT = re.compile(r"#[^\n]*\{(?P<tag>[^}]+)\}[^\n]*")
EDIT_SLUGS = [*SLUGS[:2], "no-show-reduction", "note-templates"]


def _comments(text: str) -> dict[str, str]:
    """Each real comment (not text inside a string) by its whole text."""
    comments = {}
    for match in COMMENT.finditer(text):
        if "this line is text inside a string" not in match.group():
            comments[match.group()] = match["tag"]
    return comments


@dataclass
class Session:
    """One file under random edits, and what the edits may legitimately have removed."""

    file: DesignFile
    gone: set[str] = field(default_factory=set)
    """Comment tags whose table or key the edits removed."""

    @property
    def design(self) -> Design:
        return self.file.design

    def decision(self, slug: str) -> Decision:
        return self.design.decisions.setdefault(slug, Decision())


Edit = Callable[[Session], None]


def _set_project(name: str, value: str) -> Edit:
    def edit(session: Session) -> None:
        setattr(session.design.project, name, value)

    return edit


def _set_context(name: str, value: Any) -> Edit:
    def edit(session: Session) -> None:
        if name == "roles" and value[:1] != session.design.context.roles[:1]:
            session.gone.add("context:roles")  # the comment sits beside the first role, now removed
        setattr(session.design.context, name, value)

    return edit


def _set_decision(slug: str, name: str, value: Any) -> Edit:
    def edit(session: Session) -> None:
        setattr(session.decision(slug), name, value)
        if value is None:
            session.gone.add(f"key:{slug}.{name}")

    return edit


def _set_review(slug: str, review: Review | None) -> Edit:
    def edit(session: Session) -> None:
        decision = session.decision(slug)
        if review is None or decision.review is None:
            session.gone.update({f"review:{slug}", f"key:{slug}.review.on"})
        elif review.on is None:
            session.gone.add(f"key:{slug}.review.on")
        decision.review = review

    return edit


def _set_review_field(slug: str, name: str, value: Any) -> Edit:
    def edit(session: Session) -> None:
        decision = session.decision(slug)
        if decision.review is None:
            decision.review = Review(state="approved")
            session.gone.update({f"review:{slug}", f"key:{slug}.review.on"})
        setattr(decision.review, name, value)
        if value is None:
            session.gone.add(f"key:{slug}.review.{name}")

    return edit


def _add_decision(slug: str, decision: Decision) -> Edit:
    def edit(session: Session) -> None:
        if slug in session.design.decisions:
            session.gone.update(
                {f"review:{slug}", f"key:{slug}.review.on", f"key:{slug}.due"} if slug in EDIT_SLUGS[:2] else set()
            )
        session.design.decisions[slug] = decision.model_copy(deep=True)

    return edit


def _remove_added_decision(slug: str) -> Edit:
    def edit(session: Session) -> None:
        if slug not in SLUGS[:2]:  # never the hand-written ones: their comments must stay
            session.design.decisions.pop(slug, None)

    return edit


edit_slug = st.sampled_from(EDIT_SLUGS)
edits = st.one_of(
    st.builds(_set_project, st.sampled_from(["title", "organization", "lead"]), text),
    st.builds(_set_project, st.just("created"), st.none() | datetimes).map(
        lambda edit: _with_gone(edit, "key:project.created")
    ),
    st.builds(_set_context, st.just("care_model_note"), text),
    st.builds(_set_context, st.sampled_from(["roles", "visit_types"]), st.lists(short_text, max_size=3)),
    st.builds(_set_decision, edit_slug, st.sampled_from(["summary", "rationale", "owner", "notes"]), text),
    st.builds(_set_decision, edit_slug, st.just("status"), st.sampled_from(STATUSES)),
    st.builds(_set_decision, edit_slug, st.just("option"), short_text),
    st.builds(_set_decision, edit_slug, st.just("due"), st.none() | dates),
    st.builds(_set_decision, edit_slug, st.just("updated"), st.none() | datetimes),
    st.builds(_set_decision, edit_slug, st.just("kpis"), st.lists(text, max_size=3)),
    st.builds(_set_review, edit_slug, st.none() | reviews),
    st.builds(_set_review_field, edit_slug, st.sampled_from(["by", "comment"]), text),
    st.builds(_set_review_field, edit_slug, st.just("on"), st.none() | dates),
    st.builds(_add_decision, slug, decisions),
    st.builds(_remove_added_decision, edit_slug),
)


def _with_gone(edit: Edit, tag: str) -> Edit:
    def wrapped(session: Session) -> None:
        edit(session)
        if session.design.project.created is None:
            session.gone.add(tag)

    return wrapped


def _known(model: BaseModel) -> dict[str, Any]:
    """The schema's fields only (no unknown keys), blank decisions left out."""
    data: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            value = _known(value)
        elif name == "decisions":
            value = {k: _known(v) for k, v in value.items() if _known(v) != _known(Decision())}
        data[name] = value
    return data


def _unknown_kept(model: BaseModel, loaded: BaseModel) -> None:
    """Every unknown key the model holds is in the file, with its value (the file may hold more:
    a save never deletes a user's unknown keys, even where the model replaced a whole decision)."""
    extra = loaded.model_extra or {}
    for key, value in (model.model_extra or {}).items():
        assert extra.get(key) == value, f"unknown key {key!r} lost or changed"
    for name in type(model).model_fields:
        mine = getattr(model, name)
        if isinstance(mine, BaseModel):
            _unknown_kept(mine, getattr(loaded, name))
        elif name == "decisions":
            for slug, decision in mine.items():
                if slug in getattr(loaded, name):
                    _unknown_kept(decision, getattr(loaded, name)[slug])


def _check_file(session: Session, path: Path, comments: dict[str, str], order: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    assert not session.file.reformatted, "a standard hand-written file never needs rebuilding"
    loaded = load_design(path)
    assert _known(loaded.design) == _known(session.design)
    _unknown_kept(session.design, loaded.design)
    missing = [c for c, tag in comments.items() if tag not in session.gone and c not in text]
    assert not missing, f"comments lost: {missing}"
    # Unknown keys everywhere, with their values (the model's equality covers them too).
    data = tomllib.loads(text)
    assert data["team"] == "virtual-care-ops" and data["project"]["ticket"] == "OPS-1234"
    assert data["context"]["region"] == {"name": "midwest", "states": ["IA", "NE"]}
    assert data["appendix"] == {
        "notes": ["keep", "these"],
        "meetings": [{"when": dt.date(2026, 12, 5), "topic": "staffing"}],
    }
    ps = data["decisions"]["provider-scheduling"]
    assert ps["board_meeting"] == "March" and ps["budget"] == {"amount": 12000, "currency": "USD"}
    assert ps["attachments"] == {"links": ["https://example.org/queue.pdf"]}
    # Key order is stable: the hand-written tables keep their places (a table the edits removed and
    # added again comes back at the end of its parent).
    kept = [h for h in order if not (h.endswith(".review") and f"review:{h.split('.')[1]}" in session.gone)]
    headers = [h for h in re.findall(r"^\[+([^\]]+)\]+", text, re.MULTILINE) if h in kept]
    assert headers == [h for h in kept if h in headers]


def _many_edits(steps: list[list[Edit]]) -> None:
    text = HAND_WRITTEN
    comments = _comments(text)
    order = re.findall(r"^\[+([^\]]+)\]+", text, re.MULTILINE)
    with tempfile.TemporaryDirectory() as folder, mock.patch("os.fsync"):
        path = Path(folder) / "riverbend.toml"
        path.write_text(text, encoding="utf-8")
        session = Session(load_design(path))
        session.file.save()
        assert path.read_text(encoding="utf-8") == text, "a save without edits changes nothing"
        for batch in steps:  # a batch of edits, then a save (as the wizard's autosave does)
            for edit in batch:
                edit(session)
            session.file.save()
            _check_file(session, path, comments, order)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(edits, min_size=1, max_size=4), min_size=1, max_size=8))
def test_a_hand_commented_file_survives_many_random_edits(steps: list[list[Edit]]) -> None:
    _many_edits(steps)


def test_the_hand_written_file_is_what_the_test_thinks() -> None:
    comments = _comments(HAND_WRITTEN)
    assert len(comments) >= 25
    assert {"top", "project", "context", "appendix", "attachments"} <= set(comments.values())
    assert load_design_text(HAND_WRITTEN).decision("provider-scheduling").review is not None


def load_design_text(text: str) -> Design:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.toml"
        path.write_text(text, encoding="utf-8")
        return load_design(path).design


# --------------------------------------------------------------------------------------------------
# Stress twins (make stress)
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
@STRESS
@given(designs)
def test_stress_save_then_load(design: Design) -> None:
    _save_then_load(design)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(edits, min_size=1, max_size=5), min_size=1, max_size=20))
def test_stress_hand_commented_file(steps: list[list[Edit]]) -> None:
    _many_edits(steps)
