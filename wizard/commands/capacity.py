"""``telewizard capacity queue|panel|overbook ... [--json]``: the planning calculators, without a design.

Figures are read here, not by argparse, so that a figure that is not a number, or out of range, gets
one line naming its option (exit 2) rather than argparse's usage block.
"""

from __future__ import annotations

import argparse
import sys

from wizard.commands.common import EXIT_OK, EXIT_USAGE

HELP = "capacity planning: queue staffing (Erlang C), panel size, overbooking"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments: ``capacity queue``, ``capacity panel``, ``capacity overbook``."""
    sub = parser.add_subparsers(dest="capacity_command", required=True, parser_class=type(parser))
    queue = sub.add_parser(
        "queue",
        help="clinicians an on-demand queue needs to meet its answer target (Erlang C)",
        description=(
            "Erlang C: the fewest clinicians on shift whose share of patients answered within the target "
            "time reaches the target, for each arrivals figure. Assumes Poisson arrivals, exponential "
            "visit lengths, one shared queue and no abandonment."
        ),
    )
    queue.add_argument(
        "--arrivals",
        required=True,
        metavar="N[,N...]",
        help="patients arriving per hour: one figure, or 24 comma-separated (one per hour from 00:00)",
    )
    queue.add_argument("--handle-minutes", required=True, metavar="M", help="average minutes per visit")
    queue.add_argument("--answer-within", required=True, metavar="T", help="minutes a patient may wait")
    queue.add_argument("--target", required=True, metavar="P", help="share answered within T, e.g. 0.8")
    queue.add_argument("--shrinkage", default="0", metavar="S", help="share of paid time off visits (default 0)")
    queue.add_argument("--json", action="store_true", help="print the result as JSON")

    panel = sub.add_parser(
        "panel",
        help="patients one clinician can carry",
        description="Panel size: visits a day x days a year / visits a patient needs a year, rounded down.",
    )
    panel.add_argument("--visits-per-day", required=True, metavar="V", help="visits a clinician offers a day")
    panel.add_argument("--days-per-year", required=True, metavar="D", help="working days a year")
    panel.add_argument(
        "--visits-per-patient-year", required=True, metavar="R", help="visits a panel patient needs a year"
    )
    panel.add_argument("--json", action="store_true", help="print the result as JSON")

    overbook = sub.add_parser(
        "overbook",
        help="extra bookings a session can take for its no-shows",
        description=(
            "Binomial overbooking: the most extra bookings k such that the chance that more than N of the "
            "N + k booked patients come (each independently, with probability 1 - no-show rate) stays at or "
            "below the overflow risk."
        ),
    )
    overbook.add_argument("--slots", required=True, metavar="N", help="slots in the session")
    overbook.add_argument("--no-show-rate", required=True, metavar="P", help="share of patients who do not come")
    overbook.add_argument("--overflow-risk", required=True, metavar="R", help="accepted chance of overflow")
    overbook.add_argument("--json", action="store_true", help="print the result as JSON")


class FigureError(ValueError):
    """A figure on the command line that is not a number (the message names the option)."""


def number(text: str, option: str) -> float:
    """A figure as a float, or FigureError naming the option."""
    try:
        return float(text.strip())
    except ValueError:
        raise FigureError(f"{option}: {text.strip()!r} is not a number") from None


def whole_number(text: str, option: str) -> int | float:
    """A count as an int; a decimal is passed on as a float, for the model to refuse with its message."""
    value = number(text, option)
    return int(value) if value.is_integer() else value


def figures(text: str, option: str) -> list[float]:
    """Comma-separated figures, e.g. ``0,0,4,12``."""
    parts = text.split(",")
    return [
        number(part, f"{option} (figure {index + 1})" if len(parts) > 1 else option) for index, part in enumerate(parts)
    ]


def run(args: argparse.Namespace) -> int:
    """Compute one calculator from the options; print its result (or, with --json, its JSON)."""
    from pydantic import ValidationError

    from wizard.capacity import OverbookInputs, PanelInputs, QueueInputs, calculate, one_line, result_lines
    from wizard.capacity.inputs import option_field

    try:
        inputs: QueueInputs | PanelInputs | OverbookInputs
        if args.capacity_command == "queue":
            inputs = QueueInputs(
                arrivals=figures(args.arrivals, "--arrivals"),
                handle_minutes=number(args.handle_minutes, "--handle-minutes"),
                answer_within=number(args.answer_within, "--answer-within"),
                target=number(args.target, "--target"),
                shrinkage=number(args.shrinkage, "--shrinkage"),
            )
        elif args.capacity_command == "panel":
            inputs = PanelInputs(
                visits_per_day=number(args.visits_per_day, "--visits-per-day"),
                days_per_year=number(args.days_per_year, "--days-per-year"),
                visits_per_patient_year=number(args.visits_per_patient_year, "--visits-per-patient-year"),
            )
        else:
            inputs = OverbookInputs.model_validate(
                {
                    "slots": whole_number(args.slots, "--slots"),
                    "no_show_rate": number(args.no_show_rate, "--no-show-rate"),
                    "overflow_risk": number(args.overflow_risk, "--overflow-risk"),
                }
            )
    except FigureError as exc:
        return usage_error(args, str(exc))
    except ValidationError as exc:
        return usage_error(args, one_line(exc, option_field))
    result = calculate(inputs)
    if args.json:
        import json

        print(json.dumps(result.to_json(), indent=2))
    else:
        print("\n".join(result_lines(result)))
    return EXIT_OK


def usage_error(args: argparse.Namespace, message: str) -> int:
    """One line on stderr, ``telewizard capacity <calculator>: <message>``; exit 2."""
    print(f"telewizard capacity {args.capacity_command}: {message}", file=sys.stderr)
    return EXIT_USAGE
