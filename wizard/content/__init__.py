"""Content packs: the checklist's guidance as data (``content/<pack-id>/``), validated on load.

A content pack is a folder: ``pack.toml`` (identity, vocabularies, principles, the register of
compliance rules, safety-net topics, the sections and their item order) and ``items/<slug>.toml``
(one file per checklist item). Nothing here imports Textual.

- ``models``: what a pack holds (pydantic models);
- ``problems``: what can be wrong with one, located by file and field;
- ``loading``: reading a pack folder, collecting every problem;
- ``lint``: checks across files and authoring guidelines;
- ``cache``: a checked copy of each pack in the user cache folder;
- ``registry``: finding packs (bundled, or in TELEWIZARD_CONTENT_PATH).
"""

from wizard.content.loading import check_pack, load_pack
from wizard.content.models import (
    DEFAULT_PACK_ID,
    KPI,
    SLUG_PATTERN,
    ClinicalContextLike,
    ComplianceNote,
    ComplianceRule,
    Condition,
    ContentPack,
    ContextNote,
    Item,
    Option,
    Principle,
    Reference,
    SafetyNetTopic,
    Section,
    SetAsideBy,
    VocabularyEntry,
)
from wizard.content.problems import TOML_ERROR_AT, ContentError, ContentProblem, field_path
from wizard.content.registry import PACK_ENV, bundled_content_dir, content_dirs, find_pack_dir, load_pack_by_ref

__all__ = [
    "DEFAULT_PACK_ID",
    "KPI",
    "PACK_ENV",
    "SLUG_PATTERN",
    "TOML_ERROR_AT",
    "ClinicalContextLike",
    "ComplianceNote",
    "ComplianceRule",
    "Condition",
    "ContentError",
    "ContentPack",
    "ContentProblem",
    "ContextNote",
    "Item",
    "Option",
    "Principle",
    "Reference",
    "SafetyNetTopic",
    "Section",
    "SetAsideBy",
    "VocabularyEntry",
    "bundled_content_dir",
    "check_pack",
    "content_dirs",
    "field_path",
    "find_pack_dir",
    "load_pack",
    "load_pack_by_ref",
]
