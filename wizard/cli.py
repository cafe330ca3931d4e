"""The command line. Headless commands (new, status, check, export, content check) never import
Textual, so they start fast; only the wizard itself does.

Exit codes: 0 ok, 1 invalid data or findings, 2 usage error.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from wizard.arguments import COMMANDS, read_plain

if TYPE_CHECKING:
    from argparse import Namespace
    from types import SimpleNamespace

    from wizard.content import ContentPack
    from wizard.project import DesignFile
    from wizard.tui.app import TeleWizardApp

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """Bad input: printed as one line on stderr, exit 1."""


def _headless(args: Sequence[str]) -> bool:
    """True when the arguments name a headless command (the rest start the wizard)."""
    return bool(args) and args[0] in COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: a headless command, or the wizard (see ``console`` for the script itself)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if _headless(args):
            ns: Namespace | SimpleNamespace | None = read_plain(args)
            if ns is None:  # not a plain command line (see wizard.arguments): argparse reads it
                from wizard.parsers import command_parser

                ns = command_parser(args[0]).parse_args(args)
            handler = {
                "new": cmd_new,
                "status": cmd_status,
                "check": cmd_check,
                "export": cmd_export,
                "content": cmd_content_check,
            }[ns.command]
            code = handler(ns)
            sys.stdout.flush()  # a closed pipe shows up here, inside the handler below
            return code
        from wizard.parsers import wizard_parser

        return run_wizard(wizard_parser().parse_args(args).path)
    except UserError as exc:
        print(f"telewizard: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`telewizard status x.toml | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS


def console() -> NoReturn:
    """The ``telewizard`` console script and ``python -m wizard``: ``main``, then the end of the process.

    When a headless command returns, its file is written and closed; its output is flushed here and
    the process ends at once (``os._exit``) instead of freeing, object by object, a pack and a design
    nothing will use again (60-90 ms at a thousand items). The wizard's own exit, and an exit from
    argparse (``--help``, a usage error), go through Python's normal shutdown.
    """
    headless = _headless(sys.argv[1:])
    if headless:
        # A headless command builds what it keeps to the end (modules, the pack, the design) and
        # almost no cyclic garbage, so the cyclic collector only walks live objects: it is off for
        # the whole command (15M of the 40-item export's 651M instructions).
        gc.disable()
    code = main()
    if headless:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # the reader went away after main's own flush: nothing more can be said
            code = code or EXIT_FINDINGS
        os._exit(code)
    raise SystemExit(code)


def run_wizard(path: str | None) -> int:
    """Start the Textual app (the only place the command line imports Textual)."""
    import signal

    app = start_wizard(path)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, app.on_terminate_signal)
    app.run()
    return app.return_code or 0


def start_wizard(path: str | None) -> TeleWizardApp:
    """Import the interface and build the app, with the cyclic garbage collector paused for start-up.

    Start-up builds objects that live as long as the process (modules, classes, the pack, the design,
    the screen's widgets) and little garbage, and collections kept walking them: about 140 ms of a
    40-item design's 1.5 s to the first painted screen. So the collector is off from here until the
    app's first screen is painted (the app turns it back on then, see ``resume_collector``), and what
    the imports built is frozen out of its way (``gc.freeze``; their garbage was ~700 objects,
    ~0.2 MB). What the screens build is collected as usual once it is back on.
    """
    gc.disable()
    from wizard.tui.app import make_app

    gc.freeze()
    return make_app(path=Path(path) if path else None, resume_collector=True)


# ---------------------------------------------------------------------------
# Headless commands
# ---------------------------------------------------------------------------


def _load(path: str) -> tuple[DesignFile, ContentPack]:
    from wizard.content import ContentError, load_pack_by_ref, long_lived
    from wizard.project import DesignError, load_design

    with long_lived():
        try:
            loaded = load_design(path, pack_loader=load_pack_by_ref, read_only=True)
        except DesignError as exc:
            raise UserError(str(exc)) from None
        except ContentError as exc:
            raise UserError(f"{path}: project.content: {exc}") from None
        pack = load_pack_by_ref(loaded.design.project.content)
    return loaded, pack


def _split_ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def cmd_new(ns: Namespace | SimpleNamespace) -> int:
    """``telewizard new``: create a design file."""
    from wizard.content import ContentError, load_pack_by_ref
    from wizard.project import DesignError, check_against_pack, new_design

    path = Path(ns.path)
    if not ns.title.strip():
        raise UserError("--title: must not be empty")
    if path.exists() or path.is_symlink():
        raise UserError(f"{path}: already exists; not overwriting it")
    try:
        pack = load_pack_by_ref()
    except ContentError as exc:
        raise UserError(str(exc)) from None
    created = new_design(
        path,
        title=ns.title,
        care_model=ns.care_model,
        care_model_note=ns.care_model_note,
        roles=_split_ids(ns.roles),
        visit_types=_split_ids(ns.visit_types),
        organization=ns.organization,
        lead=ns.lead,
        content=pack.ref,
    )
    try:
        check_against_pack(created.design, pack, path)
    except DesignError as exc:
        flag = {"context.care_model": "--care-model"}.get(exc.place, "")
        if exc.place.startswith("context.roles"):
            flag = "--roles"
        elif exc.place.startswith("context.visit_types"):
            flag = "--visit-types"
        vocab = {"--care-model": "care_models", "--roles": "roles", "--visit-types": "visit_types"}.get(flag)
        known = ", ".join(e.id for e in pack.vocabulary(vocab)) if vocab else ""
        raise UserError(f"{flag or exc.place}: {exc.detail}; known ids: {known}") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        created.save()
    except (DesignError, OSError) as exc:
        raise UserError(str(exc)) from None
    print(f"created {path}")
    return EXIT_OK


def cmd_status(ns: Namespace | SimpleNamespace) -> int:
    """``telewizard status``: progress per section and the open items."""
    from wizard.playbook import STATUS_LABELS
    from wizard.project import progress

    loaded, pack = _load(ns.path)
    design = loaded.design
    counts = progress(design, pack)
    done = counts["decided"] + counts["not-applicable"]
    title = design.project.title or "Untitled design"
    print(f"{title} ({ns.path})")
    care = pack.label("care_models", design.context.care_model) if design.context.care_model else "not chosen"
    print(f"Care model: {care}")
    print(
        f"Progress: {done}/{len(pack.items)} done ({counts['decided']} decided, "
        f"{counts['not-applicable']} not applicable), {counts['drafting']} drafting, {counts['open']} open"
    )
    print()
    width = max(len(f"{s.number} {s.title}") for s in pack.sections)
    for section in pack.sections:
        finished = sum(1 for item in section.items if design.status_of(item.id) in ("decided", "not-applicable"))
        label = f"{section.number} {section.title}"
        bar = "#" * finished + "." * (len(section.items) - finished)
        print(f"  {label:<{width}}  {finished}/{len(section.items)}  {bar}")
    open_items = [item for item in pack.items if design.status_of(item.id) in ("open", "drafting")]
    print()
    if not open_items:
        print("No open items.")
        return EXIT_OK
    print(f"Open items ({len(open_items)}):")
    for item in open_items:
        decision = design.decision(item.id)
        extra = [STATUS_LABELS[decision.status].lower()]
        if decision.owner:
            extra.append(f"owner: {' '.join(decision.owner.split())}")
        if decision.due:
            extra.append(f"due {decision.due.isoformat()}")
        print(f"  {item.number} {item.title} ({'; '.join(extra)})")
    return EXIT_OK


def cmd_check(ns: Namespace | SimpleNamespace) -> int:
    """``telewizard check``: errors and warnings about a design."""
    from wizard.checks import check_design, counts

    loaded, pack = _load(ns.path)
    findings = check_design(loaded.design, pack)
    for finding in findings:
        print(f"{ns.path}: {finding}")
    errors, warnings = counts(findings)
    print(f"{ns.path}: {errors} error(s), {warnings} warning(s)")
    failing = errors + (warnings if ns.strict else 0)
    return EXIT_FINDINGS if failing else EXIT_OK


def cmd_export(ns: Namespace | SimpleNamespace) -> int:
    """``telewizard export``: write the playbook."""
    from wizard.playbook import render
    from wizard.project import DesignError, progress, write_export

    loaded, pack = _load(ns.path)
    design = loaded.design
    if ns.strict:
        from wizard.checks import check_design  # only --strict runs the checks (their patterns cost ~10 ms)

        numbers = progress(design, pack)
        open_count = numbers["open"] + numbers["drafting"]
        errors = [finding for finding in check_design(design, pack) if finding.severity == "error"]
        if open_count or errors:
            reasons = []
            if open_count:
                drafting = f", {numbers['drafting']} of them in drafting" if numbers["drafting"] else ""
                verb = "item is" if open_count == 1 else "items are"
                reasons.append(f"{open_count} {verb} still open{drafting}")
            if errors:
                first = " ".join(f"{errors[0].place}: {errors[0].message}".split())
                more = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
                noun = "error" if len(errors) == 1 else "errors"
                reasons.append(f"{len(errors)} {noun} ({first}{more}; see `telewizard check`)")
            raise UserError(f"{ns.path}: not exported (--strict): {'; '.join(reasons)}")
    from wizard.paths import default_export_path

    out = Path(ns.output) if ns.output else default_export_path(Path(ns.path), ns.format)
    try:
        text = render(design, pack, ns.format)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    try:
        write_export(out, text)
    except DesignError as exc:
        raise UserError(str(exc)) from None
    print(out)
    return EXIT_OK


def cmd_content_check(ns: Namespace | SimpleNamespace) -> int:
    """``telewizard content check``: validate a content pack."""
    from wizard.content import DEFAULT_PACK_ID, bundled_content_dir, check_pack

    folder = Path(ns.directory) if ns.directory else bundled_content_dir() / DEFAULT_PACK_ID
    pack, problems = check_pack(folder)
    errors = [p for p in problems if p.severity == "error"]
    if ns.json and pack is not None and not errors:
        import json

        print(json.dumps(pack.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return EXIT_OK
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr if problem.severity == "error" else sys.stdout)
    if pack is None:
        print(f"{folder}: not a valid content pack: {len(errors)} error(s)", file=sys.stderr)
        return EXIT_FINDINGS
    warnings = len(problems) - len(errors)
    print(
        f"{pack.id} {pack.version}: {len(pack.items)} items in {len(pack.sections)} sections, "
        f"{len(problems)} problem(s) ({len(errors)} error(s), {warnings} warning(s))"
    )
    return EXIT_FINDINGS if errors else EXIT_OK
