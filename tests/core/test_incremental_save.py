"""Incremental saving: a save merges only the decisions that changed since the last save, and writes
exactly the bytes a full merge would.

Each test drives two files side by side through the same edits: the one under test, and a twin that
merges every decision on every save ("full"). After every save the two files must hold the same bytes,
and the file's text must be what tomlkit renders for its live document.

A full merge of an unchanged decision is not always a no-op: tomllib reads CRLF inside a multi-line
string as LF, tomlkit keeps it, so the first merge of a CRLF file's decision rewrites its multi-line
strings. Saving has always left unchanged decisions alone, so the CRLF layout is compared with the
"current" twin only.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from tests.safety.test_round_trips import HAND_WRITTEN, Session, decisions, edits, reviews, short_text, text
from wizard.content import ContentPack
from wizard.project import (
    SCHEMA_VERSION,
    Decision,
    Design,
    DesignError,
    DesignFile,
    Review,
    SaveConflictError,
    SaveError,
    copy_design,
    designs_equal,
    load_design,
    same_decision,
)
from wizard.tui.session import DesignSession

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml"

# Hand-written layouts beyond the tidy one: each is valid and loads; the save may keep it, or rebuild it
# (both files must then do the same).
CRAMPED = (
    "schema_version = 2   \n"
    "[project]   # the project\n"
    'title = "Cramped"   \n'
    'content = "telemedicine-clinical-workflows@1"\n'
    "[context]\n"
    'roles = ["physician"]   # trailing spaces after the comment   \n'
    "[decisions.provider-scheduling]\n"
    'status = "decided"\n'
    "   # an indented comment at the end of a table\n"
    "[decisions.same-day-urgent-access]\n"
    'status = "drafting"   \n'
    "[decisions.same-day-urgent-access.review]\n"
    'state = "approved"'  # no newline at the end of the file
)
CRLF = HAND_WRITTEN.replace("\n", "\r\n")
OUT_OF_ORDER = """\
schema_version = 2
[decisions.provider-scheduling]
status = "decided"  # before the project table
[project]
title = "Out of order"
[decisions.same-day-urgent-access]
status = "drafting"
[decisions.provider-scheduling.review]
state = "approved"  # the review of the first item, after the second
"""
DOTTED = """\
schema_version = 2
project.title = "Dotted"
project.lead = "Dana"
context = { care_model = "dtc-virtual-urgent-care", roles = ["physician"] }

[decisions]
provider-scheduling.status = "decided"
provider-scheduling.summary = "A dotted decision."
same-day-urgent-access = { status = "drafting", kpis = ["one"] }
"""
ARRAY_OF_TABLES = """\
schema_version = 2

[[meetings]]
when = 2026-12-05
topic = "staffing"

[project]
title = "With meetings"

[decisions.provider-scheduling]
status = "decided"
"""
COMMENTED = """\
# top
schema_version = 2

[project]
title = "Commented"

# ---- 3.1 ----

[decisions.provider-scheduling]
status = "decided"

# ---- 3.2 ----
# two comment lines between items

[decisions.same-day-urgent-access]
status = "drafting"
summary = "Walk-in queue."
# a comment at the end of the file
"""
LAYOUTS = {
    "hand-written": HAND_WRITTEN,
    "example": EXAMPLE.read_text(encoding="utf-8"),
    "cramped": CRAMPED,
    "crlf": CRLF,
    "out-of-order": OUT_OF_ORDER,
    "dotted": DOTTED,
    "array-of-tables": ARRAY_OF_TABLES,
    "commented": COMMENTED,
}


@dataclass
class Twins:
    """The file under test and its twin, at two paths with the same bytes."""

    mine: DesignFile
    twin: DesignFile
    full: bool = False
    """The twin merges every decision on every save (not only those changed since the last save)."""

    @property
    def design(self) -> Design:
        return self.mine.design

    def save(self, *, force: bool = False) -> None:
        """Save both (the twin gets an independent copy of the design) and compare the bytes."""
        self.twin.design = self.mine.design.model_copy(deep=True)
        if self.full:
            self.twin._saved = None  # nothing known as saved: every decision is merged (and read back)
        outcomes = []
        for file in (self.mine, self.twin):
            try:
                file.save(force=force)
                outcomes.append("saved")
            except (SaveConflictError, SaveError) as exc:
                outcomes.append(type(exc).__name__)
        assert outcomes[0] == outcomes[1]
        self.check(saved=outcomes[0] == "saved")

    def check(self, *, saved: bool = True) -> None:
        mine, twin = self.mine.path.read_bytes(), self.twin.path.read_bytes()
        assert mine == twin, "the incremental save wrote other bytes than a full merge"
        if saved:
            assert mine == self.mine.text.encode("utf-8")
            assert self.mine.text == self.mine.doc.as_string(), "the text is not the live document's text"
            assert self.mine.reformatted == self.twin.reformatted or self.full

    def their_edit(self, edit: Callable[[str], str]) -> None:
        """Someone else changes both files on disk the same way."""
        for file in (self.mine, self.twin):
            data = file.path.read_bytes().decode("utf-8")
            file.path.write_bytes(edit(data).encode("utf-8"))

    def reload(self) -> bool:
        """Both take theirs; False (both unchanged) when the file on disk no longer loads."""
        outcomes = []
        for file in (self.mine, self.twin):
            try:
                file.reload()
                outcomes.append(True)
            except DesignError:
                outcomes.append(False)
        assert outcomes[0] == outcomes[1]
        return outcomes[0]


@contextmanager
def twins(text: str, *, full: bool = True) -> Iterator[Twins]:
    with tempfile.TemporaryDirectory() as folder, mock.patch("os.fsync"):  # content, not durability
        paths = [Path(folder) / "mine.toml", Path(folder) / "twin.toml"]
        for path in paths:
            path.write_bytes(text.encode("utf-8"))
        mine, twin = (load_design(path) for path in paths)
        yield Twins(mine, twin, full)


# --------------------------------------------------------------------------------------------------
# Edits beyond those of the round-trip tests: unknown keys (of every TOML type), and changes on disk
# --------------------------------------------------------------------------------------------------

EXTRA_VALUES = [1, 1.0, True, 0, False, "1", "", float("nan"), [1, 2], ["a"], {"a": 1}, dt.date(2027, 1, 2)]


def _set_extra(where: str, key: str, value: Any) -> Callable[[Session], None]:
    def edit(session: Session) -> None:
        design = session.design
        target: BaseModel
        if where == "design":
            target = design
        elif where == "project":
            target = design.project
        elif where == "context":
            target = design.context
        else:
            decision = session.decision(where)
            if decision.review is None:
                decision.review = Review(state="approved")
            target = decision.review if key == "signed" else decision
        setattr(target, key, value)

    return edit


def _their_change(kind: str) -> Callable[[str], str]:
    """Someone else's edit: always a change (the file may no longer load: then it is overwritten)."""

    def change(data: str) -> str:
        if kind == "same-size" and "e" in data:
            return data.replace("e", "E", 1)
        if kind == "rewrite":
            return f"schema_version = {SCHEMA_VERSION}\n[project]\ntitle = 'Theirs {len(data)}-{hash(data) % 1000}'\n"
        return data + "# their comment\n"

    return change


extras = st.builds(
    _set_extra,
    st.sampled_from(["design", "project", "context", "provider-scheduling", "same-day-urgent-access"]),
    st.sampled_from(["team", "tag", "signed"]),
    st.sampled_from(EXTRA_VALUES),
)
Step = tuple[str, Any]
steps = st.one_of(
    st.tuples(st.just("edits"), st.lists(st.one_of(edits, extras), min_size=1, max_size=4)),
    st.tuples(st.just("theirs"), st.tuples(st.sampled_from(["comment", "same-size", "rewrite"]), st.booleans())),
)


def _run(layout: str, twin: str, plan: list[Step]) -> None:
    with twins(LAYOUTS[layout], full=twin == "full") as files:
        files.save()  # the first save reads the document back; later ones are the autosave's
        session = Session(files.mine)
        for kind, step in plan:
            if kind == "edits":
                for edit in step:
                    edit(session)
                files.save()
                continue
            change, reload = step
            files.their_edit(_their_change(change))
            files.save()  # refused on both: someone else changed the file
            assert files.mine.changed_on_disk() and files.twin.changed_on_disk()
            if not (reload and files.reload()):
                files.save(force=True)
            files.check()


CASES = [(layout, "full") for layout in LAYOUTS if layout != "crlf"]
FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(("layout", "twin"), CASES)
@FAST
@given(plan=st.lists(steps, min_size=1, max_size=6))
def test_incremental_saves_write_what_a_full_merge_writes(layout: str, twin: str, plan: list[Step]) -> None:
    _run(layout, twin, plan)


@pytest.mark.slow
@pytest.mark.parametrize(("layout", "twin"), CASES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=st.lists(steps, min_size=1, max_size=12))
def test_stress_incremental_saves(layout: str, twin: str, plan: list[Step]) -> None:
    _run(layout, twin, plan)


def test_a_crlf_file_differs_from_a_full_merge_only_where_saving_always_did() -> None:
    """Why the CRLF layout has no "full" twin: its multi-line strings read differently in tomllib."""
    with twins(CRLF, full=True) as files:
        files.mine.save()
        files.twin._saved = None
        files.twin.save()
        assert files.mine.path.read_bytes() == CRLF.encode("utf-8"), "an unchanged file is left alone"
        assert files.twin.path.read_bytes() != CRLF.encode("utf-8")


# --------------------------------------------------------------------------------------------------
# Specific cases
# --------------------------------------------------------------------------------------------------


def test_unknown_keys_of_a_new_type_are_written() -> None:
    """``1``, ``1.0`` and ``true`` are equal in Python but not in TOML: a change between them is saved."""
    with twins(HAND_WRITTEN) as files:
        decision = files.design.decisions["provider-scheduling"]
        files.save()
        for value in (1, 1.0, True, "1", 1):
            decision.board_meeting = value  # type: ignore[attr-defined]
            files.save()
            assert f"board_meeting = {'true' if value is True else repr(value).replace(chr(39), chr(34))}" in (
                files.mine.path.read_text(encoding="utf-8")
            )


def test_a_failed_write_then_a_save_writes_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    with twins(HAND_WRITTEN) as files:
        files.save()
        decision = files.design.decisions["provider-scheduling"]
        decision.summary = "First."
        files.save()
        decision.summary = "Not written the first time."
        real_replace = os.replace
        failures = iter([True, True])

        def refusing(src: Any, dst: Any) -> None:
            if str(dst).endswith(".toml") and next(failures, False):
                raise OSError(28, "No space left on device")
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", refusing)
        files.save()  # refused for both
        assert "Not written" not in files.mine.path.read_text(encoding="utf-8")
        decision.summary = "First."  # changed back to what the file holds: the failed save must not linger
        files.save()
        assert "Not written" not in files.mine.path.read_text(encoding="utf-8")
        decision.summary = "Written at last."
        files.save()
        assert "Written at last." in files.mine.path.read_text(encoding="utf-8")


def test_a_decision_removed_and_added_again() -> None:
    with twins(LAYOUTS["example"]) as files:
        files.save()
        slug, decision = next(iter(files.design.decisions.items()))
        del files.design.decisions[slug]
        files.save()
        files.design.decisions[slug] = decision
        files.save()
        decision.summary = "Back, then changed."
        files.save()


def test_a_reloaded_file_then_saves_what_a_full_merge_writes() -> None:
    with twins(LAYOUTS["example"], full=True) as files:
        files.save()
        decision = next(iter(files.design.decisions.values()))
        decision.summary = "Mine."
        files.save()
        files.their_edit(lambda data: data.replace("Mine.", "Theirs, same length"))
        files.reload()
        next(iter(files.design.decisions.values())).notes = "After the reload."
        files.save()
        files.save()


# --------------------------------------------------------------------------------------------------
# Copies that reuse unchanged decisions
# --------------------------------------------------------------------------------------------------


def test_copy_design_reusing_shares_only_unchanged_decisions() -> None:
    design = load_design(EXAMPLE).design
    earlier = copy_design(design)
    first, second = list(design.decisions)[:2]
    design.decisions[first].summary = "Changed."
    copy = copy_design(design, reuse=earlier)

    assert designs_equal(copy, design)
    assert copy.decisions[second] is earlier.decisions[second]
    assert copy.decisions[first] is not earlier.decisions[first]
    assert all(copy.decisions[s] is not design.decisions[s] for s in design.decisions)
    assert copy.project is not design.project and copy.context is not design.context
    design.decisions[first].summary = "Changed again."
    design.context.roles.append("a-new-role")
    assert copy.decisions[first].summary == "Changed."
    assert "a-new-role" not in copy.context.roles


def test_copy_design_never_shares_the_design_own_decisions() -> None:
    design = load_design(EXAMPLE).design
    copy = copy_design(design, reuse=design)  # a careless caller: the "earlier copy" is the design itself
    assert all(copy.decisions[s] is not design.decisions[s] for s in design.decisions)
    assert designs_equal(copy, design)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Decision(), Decision(), True),
        (Decision(summary="x"), Decision(summary="y"), False),
        (Decision(x=1), Decision(x=True), False),  # type: ignore[call-arg]
        (Decision(x=1), Decision(x=1.0), False),  # type: ignore[call-arg]
        (Decision(x=[1]), Decision(x=[1]), True),  # type: ignore[call-arg]
        (Decision(review=Review(state="approved", y=1)), Decision(review=Review(state="approved", y=True)), False),  # type: ignore[call-arg]
        (Decision(x=math.nan), Decision(x=math.nan), True),  # type: ignore[call-arg]
        (Decision(x=math.nan), Decision(x=float("nan")), True),  # type: ignore[call-arg]
        (Decision(x=dt.date(2027, 1, 2)), Decision(x=dt.date(2027, 1, 2)), True),  # type: ignore[call-arg]
        (None, Decision(), False),
    ],
)
def test_same_decision_compares_toml_values(a: Decision | None, b: Decision, same: bool) -> None:
    assert same_decision(a, b) is same


# --------------------------------------------------------------------------------------------------
# The wizard's session: autosave after edits made through it
# --------------------------------------------------------------------------------------------------

session_edits = st.one_of(
    st.tuples(st.just("summary"), st.sampled_from(["provider-scheduling", "note-templates"]), text),
    st.tuples(st.just("status"), st.sampled_from(["provider-scheduling", "no-show-reduction"]), st.just("decided")),
    st.tuples(st.just("kpis"), st.sampled_from(["provider-scheduling"]), st.lists(short_text, max_size=3)),
    st.tuples(st.just("review"), st.sampled_from(["provider-scheduling"]), st.none() | reviews),
    st.tuples(st.just("replace"), st.sampled_from(["same-day-urgent-access"]), decisions),
    st.tuples(st.just("title"), st.just(""), text),
    st.tuples(st.just("resume"), st.sampled_from(["provider-scheduling", "note-templates"]), st.just("")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(session_edits, min_size=1, max_size=3), min_size=1, max_size=6))
def test_session_autosaves_write_what_a_full_merge_writes(pack: ContentPack, batches: list[list[Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder, mock.patch("os.fsync"):
        path = Path(folder) / "design.toml"
        shutil.copy(EXAMPLE, path)
        session = DesignSession(load_design(path), pack, clock=lambda: dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
        reference = Path(folder) / "reference.toml"
        shutil.copy(EXAMPLE, reference)
        twin = load_design(reference)
        for batch in batches:
            for kind, slug, value in batch:
                live = session.design
                if kind == "title":
                    live.project.title = value
                    session.touch()
                elif kind == "resume":
                    session.set_resume_point(slug)
                elif kind == "replace":
                    live.decisions[slug] = value.model_copy(deep=True)
                    session.touch()
                else:
                    setattr(session.decision(slug), kind, value)
                    session.touch(slug)
            outcome = session.save()
            assert outcome.ok, outcome.message
            twin.design = session.design.model_copy(deep=True)
            twin._saved = None  # nothing known as saved: every decision is merged
            twin.save()
            assert path.read_bytes() == reference.read_bytes()
            saved = session.file.design
            assert designs_equal(saved, session.design)
            assert all(same_decision(saved.decisions[s], d) for s, d in session.design.decisions.items())
            assert all(saved.decisions[s] is not d for s, d in session.design.decisions.items())
            assert saved.project is not session.design.project and saved.context is not session.design.context
