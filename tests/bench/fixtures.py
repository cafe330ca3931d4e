"""What the benchmark measures against: a full design of the bundled pack, and generated packs.

Everything is written into a folder the caller owns (a temporary folder); nothing here touches
the repository's content or the user's data folder. Designs are saved through the core, so they
are the files the wizard itself would write.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import tomlkit

from wizard.content import ContentPack, Item, bundled_content_dir, load_pack
from wizard.project import CUSTOM_OPTION, Decision, DesignFile, Review, new_design

BUNDLED_PACK_ID = "telemedicine-clinical-workflows"
SCALE_PACK_ID = "bench-scale"
"""Id of the generated packs: each size lives under its own content root (TELEWIZARD_CONTENT_PATH)."""
CONTEXT = {
    "care_model": "dtc-virtual-urgent-care",
    "roles": ["physician", "nurse-practitioner", "registered-nurse"],
    "visit_types": ["video", "audio-only", "asynchronous"],
}
OWNERS = ["Medical Director", "Nursing lead", "Director of Virtual Care Operations", "Compliance Officer"]
STAMP = dt.datetime(2026, 11, 20, 14, 30, tzinfo=dt.UTC)


def bundled_pack() -> ContentPack:
    """The bundled pack, loaded from its folder (not through the per-process cache)."""
    return load_pack(bundled_content_dir() / BUNDLED_PACK_ID)


def realistic_decision(item: Item, index: int) -> Decision:
    """A decided item as a lead would leave it: an option of the pack, prose, owner, KPIs, a review."""
    option = item.options[index % len(item.options)] if item.options else None
    option_id = option.id if option else CUSTOM_OPTION
    label = option.label if option else "our own approach"
    kpis = [f"{kpi.name}: {kpi.target or 'baseline in the first quarter, then +10%'}" for kpi in item.kpis]
    rationale = (
        f"We chose **{label.lower()}** for {item.title.lower()} after the pilot in the two sites.\n\n"
        "- It fits the staffing we have today and the queue volumes we saw last winter.\n"
        "- The compliance notes for our states were checked with the compliance officer.\n"
        "- We revisit it after one quarter of KPI data, or sooner if the no-show rate moves.\n"
    )
    review = (
        Review(state="approved", by="Dr. Amara Osei", on=dt.date(2026, 11, 24), comment="Agreed; revisit in Q2.")
        if index % 3 == 0
        else None
    )
    return Decision(
        status="decided",
        option=option_id,
        summary=f"{label} for {item.title.lower()}, owned by {OWNERS[index % len(OWNERS)].lower()}.",
        rationale=rationale,
        owner=OWNERS[index % len(OWNERS)],
        due=dt.date(2027, 1 + index % 12, 1 + index % 28),
        kpis=kpis,
        notes="Training for the night team is booked; the script lives in the shared drive.",
        updated=STAMP,
        review=review,
    )


def write_full_design(path: Path, pack: ContentPack, *, title: str = "Riverbend Virtual Urgent Care") -> Path:
    """Every item of the pack decided with realistic text; saved through the core."""
    created = new_design(
        path,
        title=title,
        organization="Riverbend Health",
        lead="Dana Ortiz",
        content=pack.ref,
        care_model=str(CONTEXT["care_model"]),
        roles=list(CONTEXT["roles"]),
        visit_types=list(CONTEXT["visit_types"]),
    )
    created.design.project.created = STAMP
    created.design.project.updated = STAMP
    created.design.project.resume_at = pack.items[0].id
    for index, item in enumerate(pack.items):
        created.design.decisions[item.id] = realistic_decision(item, index)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # the bench's own folder: a design left by an earlier run is rebuilt
    created.save()
    return path


def change_one_field(file: DesignFile, counter: int) -> None:
    """The edit an autosave follows: one summary changed by a keystroke."""
    slug = next(iter(file.design.decisions))
    decision = file.design.decisions[slug]
    decision.summary = f"{decision.summary.rstrip('0123456789 ')} {counter}"


_TITLE = re.compile(r'^title = "(?P<title>[^"]*)"$', re.MULTILINE)
_WHY = re.compile(r'^why = """\n', re.MULTILINE)


def generate_pack(root: Path, size: int) -> Path:
    """A pack of ``size`` items under ``root/<SCALE_PACK_ID>``: the bundled items cloned and varied.

    Vocabularies, principles and the rule register are the bundled pack's; the items are
    spread over its sections in order, each a copy of a bundled item with its own title and text.
    Safety-net topics name the first copy of each of their items (topics left with none are dropped),
    and so does a rule's ``set_aside_by`` (a rule whose item has no copy is never set aside).
    Returns the content root to put in TELEWIZARD_CONTENT_PATH.
    """
    source = bundled_content_dir() / BUNDLED_PACK_ID
    raw = tomllib.loads((source / "pack.toml").read_text(encoding="utf-8"))
    sources = [slug for section in raw["sections"] for slug in section["items"]]
    texts = {slug: (source / "items" / f"{slug}.toml").read_text(encoding="utf-8") for slug in sources}
    folder = root / SCALE_PACK_ID
    (folder / "items").mkdir(parents=True, exist_ok=True)
    sections = raw["sections"]
    per_section = [size // len(sections) + (1 if i < size % len(sections) else 0) for i in range(len(sections))]
    made = 0
    for section, count in zip(sections, per_section, strict=True):
        slugs = []
        for _ in range(count):
            base = sources[made % len(sources)]
            variant = made // len(sources) + 1
            slug = f"{base}-v{variant}"
            text = _TITLE.sub(lambda m, v=variant: f'title = "{m["title"]} (variant {v})"', texts[base], count=1)
            text = _WHY.sub(f'why = """\nVariant {variant} of this item, for scale testing. ', text, count=1)
            (folder / "items" / f"{slug}.toml").write_text(text, encoding="utf-8")
            slugs.append(slug)
            made += 1
        section["items"] = slugs
    generated = {slug for section in sections for slug in section["items"]}
    for topic in raw.get("safety_net", []):
        topic["items"] = [f"{slug}-v1" for slug in topic["items"] if f"{slug}-v1" in generated]
    raw["safety_net"] = [topic for topic in raw.get("safety_net", []) if topic["items"]]
    for rule in raw.get("rules", []):
        if "set_aside_by" in rule:
            if (first := f"{rule['set_aside_by']['item']}-v1") in generated:
                rule["set_aside_by"]["item"] = first
            else:
                del rule["set_aside_by"]
    raw["id"] = SCALE_PACK_ID
    raw["title"] = f"{raw['title']} ({size} generated items)"
    (folder / "pack.toml").write_text(tomlkit.dumps(raw), encoding="utf-8")
    return root
