"""The compliance baseline of a design: the rules its decisions rely on, each stated once.

The content pack writes its compliance notes item by item, so one rule (licensure where the patient
is, a business associate agreement for every vendor, Medicare's temporary telehealth flexibilities)
is restated, in other words, under every item it bears on. The playbook states each rule once and
lets the items refer to it by number. Two notes state the same rule when

- they name the same rule of the pack's register of temporary rules (``rule = "<id>"``), or
- they cite a source in common (a part of the citation between semicolons, asides in parentheses
  left out) and say much the same: at least ``SAME_RULE_OVERLAP`` of their distinct significant
  words are shared. Notes that cite one source for two different rules say different things, so
  they stay apart.

The first note of a rule, in content order, states it (a register rule is stated by the register).
Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from wizard.content import ComplianceNote, ContentPack, Item, Reference
from wizard.project import Design

SAME_RULE_OVERLAP = 0.2
"""The share of distinct significant words two notes citing a common source must have in common to
be one rule. Measured on the bundled pack: at 0.2 every merge is a restatement; at 0.1 a fee-schedule
note about one billing code joined another about where clinicians may work from."""

_WORD = re.compile(r"[a-z0-9]+")
_ASIDE = re.compile(r"\([^()]*\)")
_COMMON_WORDS = frozenset(
    {
        "and", "any", "are", "can", "does", "each", "every", "for", "from", "has", "have", "its", "may",
        "must", "need", "needs", "not", "than", "that", "the", "their", "this", "under", "when", "where",
        "which", "who", "with", "you", "your",
    }
)  # fmt: skip
"""Words too common to say whether two notes state the same rule."""


@dataclass(frozen=True)
class Reliance:
    """One item's reliance on a rule."""

    item: Item
    set_aside: bool = False
    """True when the item's decision makes the rule moot (it applies only if the decision changes)."""


@dataclass
class Rule:
    """One distinct rule of the baseline."""

    number: int
    statement: str
    """What the rule says (content pack text, one paragraph)."""
    citation: str
    temporary: bool
    confirmed_through: dt.date | None
    """For a temporary rule: the last date its status was confirmed."""
    status: str = ""
    """For a register rule: its status as last confirmed (content pack text)."""
    source: Reference | None = None
    """For a register rule: where its status was confirmed."""
    reliances: list[Reliance] = field(default_factory=list)
    register_id: str = ""
    _words: frozenset[str] = frozenset()
    _sources: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        """The statement up to its first colon, full stop or semicolon: what the rule is about."""
        flat = " ".join(self.statement.split())
        ends = [flat.find(stop) for stop in (": ", ". ", "; ") if stop in flat]
        return flat[: min(ends)] if ends else flat.rstrip(".")

    @property
    def relied_on_by(self) -> list[Item]:
        """The items whose decisions rely on the rule, in content order."""
        return [reliance.item for reliance in self.reliances if not reliance.set_aside]

    def expires_within(self, today: dt.date, days: int) -> bool:
        """True for a temporary rule confirmed only through a date at most ``days`` after today."""
        return self.confirmed_through is not None and self.confirmed_through <= today + dt.timedelta(days=days)


@dataclass
class Baseline:
    """Every rule that applies to a design's context, and which rules each item relies on."""

    rules: list[Rule]
    by_item: dict[str, list[Rule]]
    """Item id -> the item's rules, in the order of its notes (each once)."""
    set_aside_by_item: dict[str, list[Rule]]
    """Item id -> rules its decision makes moot (they apply only if the decision changes)."""

    def rules_of(self, item: Item) -> list[Rule]:
        """The rules an item's decision relies on."""
        return self.by_item.get(item.id, [])

    def set_aside_for(self, item: Item) -> list[Rule]:
        """The rules an item's decision sets aside."""
        return self.set_aside_by_item.get(item.id, [])


def _significant_words(text: str) -> frozenset[str]:
    return frozenset(word for word in _WORD.findall(text.lower()) if len(word) > 2 and word not in _COMMON_WORDS)


def _cited_sources(citation: str) -> frozenset[str]:
    """The parts of a citation between semicolons, lower case, without asides in parentheses."""
    bare = _ASIDE.sub("", citation.lower())
    return frozenset(" ".join(_WORD.findall(part)) for part in bare.split(";") if _WORD.search(part))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def is_set_aside(note: ComplianceNote, option: str) -> bool:
    """True when the chosen option makes the note moot."""
    return bool(option) and option in note.unless_options


def build_baseline(design: Design, pack: ContentPack) -> Baseline:
    """The design's compliance baseline: every note that applies to its context, grouped into rules.

    Items marked not applicable rely on nothing. Rules are numbered in the order they are first met
    (content order), so the same design and pack always number them the same way.
    """
    rules: list[Rule] = []
    register: dict[str, Rule] = {}
    by_item: dict[str, list[Rule]] = {}
    set_aside_by_item: dict[str, list[Rule]] = {}
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status == "not-applicable":
            continue
        for note in item.applicable_compliance(design.context):
            rule = _rule_for(note, pack, rules, register)
            aside = is_set_aside(note, decision.option)
            target = set_aside_by_item if aside else by_item
            listed = target.setdefault(item.id, [])
            if rule not in listed:
                listed.append(rule)
            if not any(r.item.id == item.id and r.set_aside == aside for r in rule.reliances):
                rule.reliances.append(Reliance(item, aside))
    for item_id, aside_rules in set_aside_by_item.items():  # relied on through another note: not moot
        relied = by_item.get(item_id, [])
        set_aside_by_item[item_id] = [rule for rule in aside_rules if rule not in relied]
    return Baseline(rules, by_item, set_aside_by_item)


def _rule_for(note: ComplianceNote, pack: ContentPack, rules: list[Rule], register: dict[str, Rule]) -> Rule:
    """The rule a note states: an existing one, or a new one appended to rules."""
    entry = pack.temporary_rule(note.rule) if note.rule else None
    if entry is not None:
        if entry.id not in register:
            register[entry.id] = _new_rule(
                rules,
                statement=entry.rule,
                citation=note.citation,
                temporary=True,
                confirmed_through=entry.confirmed_through,
                status=entry.status,
                source=entry.reference,
                register_id=entry.id,
            )
        return register[entry.id]
    words = _significant_words(note.text)
    sources = _cited_sources(note.citation)
    for rule in rules:
        if not rule.register_id and rule._sources & sources and _overlap(rule._words, words) >= SAME_RULE_OVERLAP:
            return rule
    return _new_rule(
        rules,
        statement=note.text,
        citation=note.citation,
        temporary=note.temporary,
        confirmed_through=note.confirmed_through,
        words=words,
        sources=sources,
    )


def _new_rule(
    rules: list[Rule],
    *,
    statement: str,
    citation: str,
    temporary: bool,
    confirmed_through: dt.date | None,
    status: str = "",
    source: Reference | None = None,
    register_id: str = "",
    words: frozenset[str] = frozenset(),
    sources: frozenset[str] = frozenset(),
) -> Rule:
    rule = Rule(
        number=len(rules) + 1,
        statement=statement,
        citation=citation,
        temporary=temporary,
        confirmed_through=confirmed_through,
        status=status,
        source=source,
        register_id=register_id,
        _words=words,
        _sources=sources,
    )
    rules.append(rule)
    return rule
