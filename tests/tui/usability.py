"""The everyday-flow usability script (issue 21): a director of virtual care records nine decisions
across the five sections in a new design at 80x24, two reviews, quits, resumes and exports. It drives
the real wizard in tmux key by key, as a person at the keyboard would, counts every key pressed
(each character typed is one key), and checks the saved design and the playbook at the end, so a
sequence that misses its goal fails instead of reporting a count.

    .venv/bin/python -m tests.tui.usability            # the wizard as it is now
    .venv/bin/python -m tests.tui.usability --before --command \
        'env PYTHONPATH=/tmp/telewizard-39bc361 .venv/bin/python -m wizard'   # the wizard before issue 21

where /tmp/telewizard-39bc361 holds ``git archive 39bc361 | tar -x`` (main before issue 21). The typed
text is the same in both; what differs is the keys that move, choose and confirm (what is typed into
the command palette to find an item or a command counts among those). The ``--before`` sequence is
the one that wizard needed: today's has other Tab stops. Needs tmux; it runs on its own tmux server
(``TUI_SOCKET``, default ``tui-usability``) in a temporary folder with its own data folder, so
nothing of the user's is touched. Not collected by pytest (a minute of real time at human pace).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

WIDTH, HEIGHT = 80, 24
KEY_GAP = 0.04
"""Seconds between keys: faster than a person, slow enough that every screen keeps up."""


@dataclass(frozen=True)
class Keys:
    """Keys pressed (tmux names: Enter, Tab, BTab, Down, F3, C-n...)."""

    names: tuple[str, ...]

    def __init__(self, *names: str) -> None:
        object.__setattr__(self, "names", names)


@dataclass(frozen=True)
class Type:
    """Text typed, one key per character."""

    text: str


@dataclass(frozen=True)
class Search:
    """Text typed into the command palette or a list to find something: keys that move, not content."""

    text: str


@dataclass(frozen=True)
class Wait:
    """Wait until the screen shows this (a regular expression); not a key."""

    pattern: str
    seconds: float = 15.0


@dataclass(frozen=True)
class Start:
    """Start the wizard (the command typed in the shell is the same in both sequences, not counted)."""


Step = Keys | Type | Search | Wait | Start


@dataclass(frozen=True)
class Decided:
    """One of the nine decisions."""

    number: str
    slug: str
    option: str
    option_index: int
    """The option's place in the item's list (1 = first)."""
    summary: str
    owner: str
    due: str
    kpis: bool = False
    """Insert the suggested KPIs."""


TITLE = "Harbor Virtual Care"
ORGANIZATION = "Harbor Health"
LEAD = "Dana Ortiz, Director of Virtual Care"
REVIEWER = "Dr. Sam Lee, Medical Director"
REVIEW_COMMENT = "Name the red-flag list."
NOT_APPLICABLE = ("3.5.8", "patient-navigation", "Visits are one-off; navigation stays with primary care.")
DECISIONS = [
    Decided(
        "3.1.1",
        "provider-scheduling",
        "on-demand-queue",
        3,
        "Per-diem clinicians staff one shared on-demand queue in 4-hour blocks.",
        "Medical Director",
        "2027-02-01",
    ),
    Decided(
        "3.1.2",
        "coverage-staffing",
        "app-first-escalation",
        3,
        "Nurse practitioners see patients first and escalate to the on-call physician.",
        "Medical Director",
        "2027-02-01",
    ),
    Decided(
        "3.2.2",
        "identity-verification",
        "remote-identity-proofing",
        3,
        "Patients prove their identity in the portal before the first visit.",
        "Compliance Officer",
        "2027-03-01",
    ),
    Decided(
        "3.2.4",
        "physical-examination",
        "in-person-required-list",
        4,
        "Red flags go to 911 at the patient's confirmed location; listed complaints are seen in person.",
        "Medical Director",
        "2027-02-15",
    ),
    Decided(
        "3.3.2",
        "same-day-urgent-access",
        "virtual-urgent-care-queue",
        1,
        "One virtual urgent care queue, open 7am to 11pm every day.",
        "Operations lead",
        "2027-02-01",
        kpis=True,
    ),
    Decided(
        "3.3.5",
        "reminders-confirmation",
        "automated-text-with-link",
        1,
        "An automated text with the visit link 24 hours and 1 hour before.",
        "IT lead",
        "2027-03-01",
    ),
    Decided(
        "3.4.3",
        "recording-policies",
        "no-recording",
        1,
        "Visits are never recorded.",
        "Compliance Officer",
        "2027-02-01",
    ),
    Decided(
        "3.5.5",
        "care-team-communication",
        "secure-texting-platform",
        2,
        "Clinicians hand off through the secure texting platform.",
        "Nursing lead",
        "2027-03-01",
    ),
]
"""Eight decided items, and ``NOT_APPLICABLE``: nine decisions across the five sections."""
ORDER = ["3.1.1", "3.1.2", "3.2.2", "3.2.4", "3.3.2", "3.3.5", "3.4.3", "3.5.5", "3.5.8"]
ALL_NUMBERS = [f"3.{s}.{i}" for s in range(1, 6) for i in range(1, 9)]


def go_to(here: str, there: str) -> list[Step]:
    """The fewer keys of Ctrl+N presses and the palette (Ctrl+P, the number, Enter)."""
    forward = ALL_NUMBERS.index(there) - ALL_NUMBERS.index(here)
    if 0 <= forward <= 6:
        return [Keys(*["C-n"] * forward)] if forward else []
    return [Keys("C-p"), Wait("Search for commands"), Search(there), Wait(f"Go to {re.escape(there)}"), Keys("Enter")]


# -- the sequence before issue 21 (main at 39bc361) ------------------------------------------------------


def before() -> Iterator[Step]:
    """The keys main needed: the workspace opens with the focus on the navigator; moving to another item
    keeps the focus in the field it was in; the status is a list chosen like the approach."""
    yield from new_design(before=True)
    here = "3.1.1"
    focus = "navigator"
    for decided in DECISIONS:
        yield from go_to(here, decided.number)
        here = decided.number
        yield Wait(re.escape(decided.number))
        # To the approach: from the navigator Tab past the tab bar; from a field Shift+Tab back up.
        yield Keys(*{"navigator": ["Tab", "Tab"], "due": ["BTab"] * 5, "insert-kpis": ["BTab"] * 7}[focus])
        yield Keys("Enter", *["Down"] * decided.option_index, "Enter")  # the list starts on its prompt
        yield Keys("Tab", "Enter", "Down", "Enter")  # status: drafting (the approach made it so) -> decided
        yield Keys("Tab")
        yield Type(decided.summary)
        yield Keys("Tab", "Tab")  # past the rationale
        yield Type(decided.owner)
        yield Keys("Tab")
        yield Type(decided.due)
        focus = "due"
        if decided.kpis:
            yield Keys("Tab", "Tab", "Enter")  # past the KPI list to its button
            focus = "insert-kpis"
    number, _, reason = NOT_APPLICABLE
    yield from go_to(here, number)
    yield Wait(re.escape(number))
    yield Keys(*["BTab"] * 4)  # due -> status
    yield Keys("Enter", "Down", "Down", "Down", "Enter")  # open -> not applicable
    yield Keys("Tab")
    yield Type(reason)
    yield from reviews(approve=["Tab"], request=["Enter", "Down", "Enter", "Tab"], after_by=["Tab", "Tab"], save="F10")
    yield Keys("C-q")
    yield Wait("exited", 10)
    yield Start()
    yield Wait("Recent designs")
    yield Keys("Tab", "Tab", "Tab", "Enter")  # past the three buttons to the list
    yield from export()


def new_design(*, before: bool) -> Iterator[Step]:
    """The welcome screen's N, the context form, and Create (the same keys before and after)."""
    yield Start()
    yield Wait("New design")
    yield Keys("n")
    yield Wait("clinical context")
    yield Type(TITLE)
    yield Keys("Tab")
    yield Type(ORGANIZATION)
    yield Keys("Tab")
    yield Type(LEAD)
    yield Keys("Tab", "Tab")  # past the file path (its default is taken from the title)
    yield Keys("Enter", "Down", "Enter")  # care model: direct-to-consumer virtual urgent care
    yield Keys("Tab")
    yield Keys("Space", "Down", "Space", "Down", "Down", "Space")  # physician, NP, RN
    yield Keys("Tab")
    yield Keys("Space", "Down", "Space")  # video, audio-only
    yield Keys("F10")
    yield Wait("Decision")


def reviews(approve: list[str], request: list[str], after_by: list[str], save: str) -> Iterator[Step]:
    """3.1.1 approved and 3.2.4 with changes requested, by the medical director."""
    yield from go_to("3.5.8", "3.1.1")
    yield Wait("3.1.1 Provider scheduling and availability")
    yield Keys("F3")
    yield Wait("Review of 3.1.1")
    yield Keys(*approve)
    yield Type(REVIEWER)
    yield Keys(save)
    yield Wait("Review recorded")
    yield from go_to("3.1.1", "3.2.4")
    yield Wait("3.2.4 Physical")
    yield Keys("F3")
    yield Wait("Review of 3.2.4")
    yield Keys(*request)
    yield Type(REVIEWER)
    yield Keys(*after_by)
    yield Type(REVIEW_COMMENT)
    yield Keys(save)
    yield Wait("Review recorded")


def export() -> Iterator[Step]:
    """F5, Write (the default path), quit."""
    yield Wait("Opened")
    yield Keys("F5")
    yield Wait("Export the playbook")
    yield Keys("F10")
    yield Wait("Exported|written to")
    yield Keys("C-q")
    yield Wait(r"exited", 10)


# -- the sequence now ----------------------------------------------------------------------------------


def now() -> Iterator[Step]:
    """The keys the wizard needs now: the workspace opens with the focus on the approach; moving to
    another item keeps the field the focus was in; the summary follows the approach and the owner, due
    date and status follow it; F9 marks the item decided; Not applicable asks its reason; Enter on the
    welcome screen opens the most recent design."""
    yield from new_design(before=False)
    here = "3.1.1"
    focus = "option"
    for decided in DECISIONS:
        yield from go_to(here, decided.number)
        here = decided.number
        yield Wait(re.escape(decided.number))
        yield Keys(*{"option": [], "due": ["BTab"] * 3}[focus])  # up to the approach: due, owner, summary
        yield Keys("Enter", *["Down"] * decided.option_index, "Enter")  # the list starts on its prompt
        yield Keys("Tab")
        yield Type(decided.summary)
        yield Keys("Tab")
        yield Type(decided.owner)
        yield Keys("Tab")
        yield Type(decided.due)
        yield Keys("F9")  # decided
        focus = "due"
        if decided.kpis:
            yield Keys("C-p")
            yield Wait("Search for commands")
            yield Search("kpi")
            yield Wait("Insert suggested KPIs")
            yield Keys("Enter")
            yield Wait("Suggested KPIs for")
            yield Keys("Enter")  # add the ticked ones (all that fit the approach)
            yield Wait("Added")
    number, _, reason = NOT_APPLICABLE
    yield from go_to(here, number)
    yield Wait(re.escape(number))
    yield Keys("Tab")  # due -> status
    yield Keys("Enter", "Down", "Down", "Down", "Enter")  # open -> not applicable: it asks why
    yield Wait("Why is this item not applicable")
    yield Type(reason)
    yield Keys("Enter")
    yield from reviews(approve=["Tab"], request=["Enter", "Down", "Enter", "Tab"], after_by=["Tab", "Tab"], save="F10")
    yield Keys("C-q")
    yield Wait("exited", 10)
    yield Start()
    yield Wait("Recent designs")
    yield Keys("Enter")  # the most recent design has the focus
    yield from export()


# -- running it ----------------------------------------------------------------------------------------


@dataclass
class Run:
    """One run of a sequence in tmux, and what it counted."""

    socket: str
    command: str
    keys: int = 0
    typed: int = 0
    started: bool = False
    log: list[str] = field(default_factory=list)

    def tmux(self, *args: str) -> str:
        """Run tmux on this run's server."""
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False)
        return done.stdout

    def screen(self) -> str:
        """What the terminal shows now."""
        return self.tmux("capture-pane", "-p", "-t", "usability")

    def start(self) -> None:
        """Start the wizard in a fresh WIDTH x HEIGHT terminal."""
        shell = f"{self.command}; echo '[exited with' $? ']'; sleep 600"
        if self.started:  # the same terminal, as a person starts the wizard again in it
            self.tmux("respawn-pane", "-k", "-t", "usability", shell)
            return
        self.tmux("kill-server")
        self.tmux("new-session", "-d", "-s", "usability", "-x", str(WIDTH), "-y", str(HEIGHT), shell)
        self.started = True

    def wait(self, pattern: str, seconds: float) -> None:
        """Wait for the pattern on screen; stop with the screen shown when it never comes."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if re.search(pattern, self.screen(), re.IGNORECASE):
                return
            time.sleep(0.05)
        raise SystemExit(f"never saw {pattern!r} on screen:\n{self.screen()}\nafter:\n" + "\n".join(self.log[-8:]))

    def run(self, steps: Iterator[Step]) -> None:
        """Apply every step, counting keys."""
        for step in steps:
            if isinstance(step, Start):
                self.start()
            elif isinstance(step, Wait):
                self.wait(step.pattern, step.seconds)
            elif isinstance(step, Keys):
                for name in step.names:
                    self.tmux("send-keys", "-t", "usability", name)
                    self.keys += 1
                    time.sleep(KEY_GAP)
                self.log.append(" ".join(step.names))
            else:
                for character in step.text:
                    # tmux reads a lone ";" as the end of its command: escaped, it is the character.
                    self.tmux("send-keys", "-t", "usability", "-l", "\\;" if character == ";" else character)
                    if isinstance(step, Search):
                        self.keys += 1
                    else:
                        self.typed += 1
                    time.sleep(KEY_GAP)
                self.log.append(repr(step.text))
            time.sleep(0.15 if isinstance(step, Keys | Type | Search) else 0)
        self.tmux("kill-server")


def check_outcome(folder: Path) -> list[str]:
    """What is wrong with the saved design and the playbook (empty when the script reached its goal)."""
    from wizard.content import DEFAULT_PACK_ID, load_pack_by_ref
    from wizard.project import load_design

    problems = []
    path = folder / "harbor-virtual-care.toml"
    if not path.exists():
        return [f"{path} was not written"]
    design = load_design(path, load_pack_by_ref(DEFAULT_PACK_ID)).design
    for decided in DECISIONS:
        decision = design.decision(decided.slug)
        got = (decision.status, decision.option, decision.summary, decision.owner, str(decision.due))
        wanted = ("decided", decided.option, decided.summary, decided.owner, decided.due)
        if got != wanted:
            problems.append(f"{decided.number}: {got} instead of {wanted}")
        if decided.kpis and not decision.kpis:
            problems.append(f"{decided.number}: no KPIs inserted")
    _, slug, reason = NOT_APPLICABLE
    skipped = design.decision(slug)
    if (skipped.status, skipped.summary) != ("not-applicable", reason):
        problems.append(f"{slug}: {(skipped.status, skipped.summary)}")
    first, second = design.decision("provider-scheduling").review, design.decision("physical-examination").review
    if first is None or (first.state, first.by) != ("approved", REVIEWER):
        problems.append(f"3.1.1 review: {first}")
    if second is None or (second.state, second.by, second.comment) != ("changes-requested", REVIEWER, REVIEW_COMMENT):
        problems.append(f"3.2.4 review: {second}")
    decided_count = sum(1 for d in design.decisions.values() if d.status in ("decided", "not-applicable"))
    if decided_count != 9:
        problems.append(f"{decided_count} items decided or not applicable, not 9")
    playbook = folder / "exports" / "harbor-virtual-care-playbook.md"
    if not playbook.exists() or "Harbor Virtual Care" not in playbook.read_text(encoding="utf-8"):
        problems.append(f"{playbook} was not written")
    return problems


def main() -> int:
    """Run the script, check what it produced, print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", action="store_true", help="the key sequence main needed before issue 21")
    parser.add_argument(
        "--command",
        default=shlex.quote(str(Path(sys.executable).with_name("telewizard"))),
        help="the wizard's command line (default: this environment's telewizard); e.g. "
        "'env PYTHONPATH=/tmp/old /path/.venv/bin/python -m wizard' for another checkout",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="telewizard-usability-") as tmp:
        folder = Path(tmp)
        env = f"TERM=tmux-256color TELEWIZARD_DATA_DIR={shlex.quote(str(folder / 'data'))}"
        command = f"cd {shlex.quote(str(folder))} && {env} {args.command}"
        run = Run(os.environ.get("TUI_SOCKET", "tui-usability"), command)
        run.run(before() if args.before else now())
        problems = check_outcome(folder)
    name = "before issue 21" if args.before else "now"
    print(f"{name}: {run.keys + run.typed} keys ({run.keys} to move, choose and confirm; {run.typed} typed characters)")
    for problem in problems:
        print(f"  NOT REACHED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
