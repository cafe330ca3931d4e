"""The design: one TOML project file per design, its models, and loading and saving it safely.

- ``models``: the design as pydantic models, and comparing and copying designs;
- ``errors``: every error a design file can raise, one line naming the file and place;
- ``reading``: bytes, text, TOML, schema version, validation, the content pack's ids; ``load_design``;
- ``migrations``: upgrading older file formats on load;
- ``merge``: writing a design into the file's own TOML document, changing only what changed
  (imported by the first save, with tomlkit: reading a design never needs them);
- ``file``: ``DesignFile``, a design bound to its file (save, save as, reload, keep mine);
- ``atomic``: writes that a crash leaves whole, and the ``.bak`` of the previous version;
- ``lock``: the lock file that keeps two wizards from writing one design;
- ``versions``: sign-offs, fingerprints of what a reviewer saw, and what changed since.

Nothing here imports Textual.
"""

from wizard.project.atomic import TEMP_PREFIX, cleanup_temporary_files, write_atomic, write_export
from wizard.project.errors import DesignError, NewerSchemaError, SaveConflictError, SaveError, one_line, shown
from wizard.project.file import DesignFile, Fingerprint
from wizard.project.lock import DesignLock
from wizard.project.migrations import MIGRATIONS, migrate
from wizard.project.models import (
    CUSTOM_OPTION,
    MAX_TEXT_CHARS,
    REVIEW_STATES,
    SCHEMA_VERSION,
    SIGN_OFF_OUTCOMES,
    STATUSES,
    ClinicalContext,
    Decision,
    Design,
    ProjectInfo,
    Review,
    ReviewState,
    SignOff,
    SignOffOutcome,
    Status,
    copy_design,
    design_data,
    designs_equal,
    progress,
    same_data,
    same_decision,
    slugify,
    unchanged_decisions,
    utc_now,
)
from wizard.project.reading import (
    check_against_pack,
    check_schema_version,
    load_design,
    new_design,
    parse_toml,
    read_text,
    validate_design,
)
from wizard.project.versions import (
    VersionState,
    changed_since,
    decision_fingerprint,
    decision_fingerprints,
    design_fingerprint,
    items_owned_by,
    latest_sign_off,
    next_version,
    record_sign_off,
    same_person,
    shown_fingerprint,
    version_state,
)

__all__ = [
    "CUSTOM_OPTION",
    "MAX_TEXT_CHARS",
    "MIGRATIONS",
    "REVIEW_STATES",
    "SCHEMA_VERSION",
    "SIGN_OFF_OUTCOMES",
    "STATUSES",
    "TEMP_PREFIX",
    "ClinicalContext",
    "Decision",
    "Design",
    "DesignError",
    "DesignFile",
    "DesignLock",
    "Fingerprint",
    "NewerSchemaError",
    "ProjectInfo",
    "Review",
    "ReviewState",
    "SaveConflictError",
    "SaveError",
    "SignOff",
    "SignOffOutcome",
    "Status",
    "VersionState",
    "changed_since",
    "check_against_pack",
    "check_schema_version",
    "cleanup_temporary_files",
    "copy_design",
    "decision_fingerprint",
    "decision_fingerprints",
    "design_data",
    "design_fingerprint",
    "designs_equal",
    "items_owned_by",
    "latest_sign_off",
    "load_design",
    "migrate",
    "new_design",
    "next_version",
    "one_line",
    "parse_toml",
    "progress",
    "read_text",
    "record_sign_off",
    "same_data",
    "same_decision",
    "same_person",
    "shown",
    "shown_fingerprint",
    "slugify",
    "unchanged_decisions",
    "utc_now",
    "validate_design",
    "version_state",
    "write_atomic",
    "write_export",
]
