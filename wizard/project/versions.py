"""Sign-offs and versions: fingerprints of what a reviewer saw, recording a sign-off, and what changed
since the last one.

A decision's fingerprint covers what a reviewer reads of it (status, approach, summary, rationale,
owner, due date, KPIs, the safety-net topics it covers, the capacity calculators' inputs): a change to
any of them is a change since the sign-off; the ``updated`` time stamp, notes and reviews are not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from wizard.content import ContentPack
from wizard.project.models import Decision, Design, SignOff, SignOffOutcome

FINGERPRINT_LENGTH = 12
"""Hex digits kept of a SHA-256: short enough to read aloud, long enough never to collide by chance."""


def _digest(data: object) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def decision_fingerprint(decision: Decision) -> str:
    """The fingerprint of what a reviewer reads of a decision."""
    return _digest(
        {
            "status": decision.status,
            "option": decision.option,
            "summary": decision.summary,
            "rationale": decision.rationale,
            "owner": decision.owner,
            "due": decision.due.isoformat() if decision.due else "",
            "kpis": list(decision.kpis),
            "covers": sorted(decision.covers),
            "capacity": decision.capacity.model_dump(mode="json") if decision.capacity else None,
        }
    )


BLANK_FINGERPRINT = decision_fingerprint(Decision())
"""The fingerprint of an item nobody has decided anything about (it has no table in the file)."""


def decision_fingerprints(design: Design, slugs: Iterable[str]) -> dict[str, str]:
    """The fingerprint of each item's decision, for the items given, leaving out blank ones."""
    found = {slug: decision_fingerprint(design.decision(slug)) for slug in slugs}
    return {slug: value for slug, value in found.items() if value != BLANK_FINGERPRINT}


def design_fingerprint(fingerprints: dict[str, str]) -> str:
    """One fingerprint of all the decisions (what the playbook prints and a sign-off records)."""
    return _digest(sorted(fingerprints.items()))


def shown_fingerprint(fingerprint: str) -> str:
    """A fingerprint as people read it: ``3f9a-21c0-77de``."""
    return "-".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))


def latest_sign_off(design: Design) -> SignOff | None:
    """The most recent sign-off, or None."""
    return max(design.sign_offs, key=lambda sign_off: sign_off.version, default=None)


def next_version(design: Design) -> int:
    """The version number the next sign-off records."""
    latest = latest_sign_off(design)
    return (latest.version if latest else 0) + 1


def items_owned_by(design: Design, pack: ContentPack, signer: str) -> list[str]:
    """The numbers of the items whose owner is the signer, by name or by role (``same_person``)."""
    return [item.number for item in pack.items if same_person(signer, design.decision(item.id).owner)]


def changed_since(design: Design, sign_off: SignOff, slugs: Iterable[str]) -> list[str]:
    """The items (in the order given) whose decision differs from what ``sign_off`` recorded."""
    return [
        slug
        for slug in slugs
        if decision_fingerprint(design.decision(slug)) != sign_off.decisions.get(slug, BLANK_FINGERPRINT)
    ]


@dataclass(frozen=True)
class VersionState:
    """Where a design stands: the version last signed (0 when none) and whether it changed since."""

    signed: SignOff | None
    changed: list[str]
    """The items changed since ``signed`` (all differing items; empty when nothing was signed)."""
    open_when_signed: bool = False
    """True when ``signed`` recorded an item still open or drafting."""

    @property
    def version(self) -> int:
        """The version signed last (0 when none)."""
        return self.signed.version if self.signed else 0

    @property
    def is_draft(self) -> bool:
        """True unless the design is exactly what an approving sign-off of a design with no open item
        recorded."""
        return self.signed is None or self.signed.outcome == "rejected" or self.open_when_signed or bool(self.changed)


def version_state(design: Design, slugs: Iterable[str]) -> VersionState:
    """The design's version state, for the pack items given (in order)."""
    signed = latest_sign_off(design)
    if signed is None:
        return VersionState(None, [])
    changed = changed_since(design, signed, list(slugs))
    return VersionState(signed, changed, bool(signed.open_items))


def record_sign_off(
    design: Design,
    slugs: Iterable[str],
    *,
    by: str,
    role: str,
    outcome: SignOffOutcome,
    on: dt.date,
    conditions: str = "",
    effective: dt.date | None = None,
    next_review: dt.date | None = None,
) -> SignOff:
    """Append a sign-off of the design as it is now (its next version number); returns it."""
    slugs = list(slugs)
    fingerprints = decision_fingerprints(design, slugs)
    sign_off = SignOff(
        version=next_version(design),
        by=by,
        role=role,
        outcome=outcome,
        conditions=conditions,
        on=on,
        effective=effective,
        next_review=next_review,
        fingerprint=design_fingerprint(fingerprints),
        open_items=[slug for slug in slugs if design.status_of(slug) in ("open", "drafting")],
        decisions=fingerprints,
    )
    design.sign_offs = [*design.sign_offs, sign_off]
    return sign_off


def same_person(reviewer: str, owner: str) -> bool:
    """True when a reviewer is an item's owner, by name or by role.

    Both are free text ("Dr. Sam Lee, Medical Director" and "Medical Director"): they are the same
    person when, compared without case, punctuation or titles, one names the other or they share a
    part (a name or a role) that the other holds whole.
    """
    mine, theirs = _parts(reviewer), _parts(owner)
    if not mine or not theirs:
        return False
    return bool(mine & theirs)


_TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "md", "do", "rn", "np", "pa", "phd", "msn", "bsn", "lcsw"}


def _parts(text: str) -> set[str]:
    """The comma- or slash-separated parts of a name-and-role text, normalized ("dr sam lee" -> "sam lee")."""
    parts = set()
    for raw in text.replace("/", ",").replace(";", ",").replace("(", ",").replace(")", ",").split(","):
        words = [w for w in "".join(c.lower() if c.isalnum() else " " for c in raw).split() if w not in _TITLES]
        if words:
            parts.add(" ".join(words))
    return parts
