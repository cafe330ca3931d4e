"""Short fingerprints of decisions: what a signature binds to.

A fingerprint covers what a reviewer reads of a decision (status, approach, summary, rationale,
owner, due date, measures, notes), never when it was saved, so saving the same decision again does
not change it. Nothing here imports Textual.
"""

from __future__ import annotations

import hashlib
import json

from wizard.content import ContentPack
from wizard.project import Decision, Design

SIGNED_FIELDS = ("status", "option", "summary", "rationale", "owner", "due", "kpis", "notes")


def decision_fingerprint(decision: Decision) -> str:
    """A hex digest of the fields a reviewer reads (SIGNED_FIELDS)."""
    data = decision.model_dump(mode="json", include=set(SIGNED_FIELDS))
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def design_fingerprint(design: Design, pack: ContentPack) -> str:
    """Twelve hex digits in three groups (``3f9a-21c0-77de``) over every item's decision, in content order.

    Any change to what a reviewer reads of any decision changes it.
    """
    digest = hashlib.sha256()
    for item in pack.items:
        digest.update(f"{item.id}\n{decision_fingerprint(design.decision(item.id))}\n".encode())
    short = digest.hexdigest()[:12]
    return "-".join(short[i : i + 4] for i in range(0, 12, 4))
