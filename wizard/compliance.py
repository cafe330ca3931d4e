"""The compliance baseline of a design: the rules its decisions rely on, each stated once.

The content pack writes its compliance notes item by item, so one rule (licensure where the patient
is, a business associate agreement for every vendor, Medicare's temporary telehealth flexibilities)
is restated, in other words, under every item it bears on. The playbook states each rule once and
lets the items refer to it by number. Two notes state the same rule when

- they name the same rule of the pack's register of temporary rules (``rule = "<id>"``), or
- they cite a source in common and say much the same: at least ``SAME_RULE_OVERLAP`` of their
  distinct significant words are shared. Two citations name a source in common when they share a
  part (between semicolons, asides in parentheses left out) or ``SAME_SOURCE_OVERLAP`` of their
  terms ("TCPA; FCC 2015 Declaratory Ruling" and "Telephone Consumer Protection Act, 47 U.S.C. 227;
  FCC Declaratory Ruling and Order"). Notes that cite one source for two different rules say
  different things, so they stay apart.

A register rule is stated by the register. Any other rule is stated by its most typical note: the one
sharing the most words with the others (the first of them on a tie), so a rule restated under nine
items is not stated in the words meant for one of them. A note joins a rule only if it says much the
same as every note already there, so a broad note that touches two rules cannot merge them.

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

SAME_SOURCE_OVERLAP = 0.4
"""The share of citation terms two citations with no part in common must share to name one source.
At 0.3 "State telehealth consent laws" and "State telehealth prescribing laws" were one source."""

_WORD = re.compile(r"[a-z0-9]+")
_TERM = re.compile(r"[a-z0-9]+(?:[-./][a-z0-9]+)*")
"""A citation term: a word, or a code kept whole ("800-63-4" is not "800-63-1", "410.78")."""
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


@dataclass(eq=False)
class Rule:
    """One distinct rule of the baseline (two rules are the same only if they are one object)."""

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
    register_id: str = ""
    reliances: list[Reliance] = field(default_factory=list)

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


@dataclass
class _Group:
    """The notes found so far to state one rule, with the words and citation of each."""

    notes: list[ComplianceNote] = field(default_factory=list)
    words: list[frozenset[str]] = field(default_factory=list)
    sources: list[frozenset[str]] = field(default_factory=list)
    terms: list[frozenset[str]] = field(default_factory=list)
    register_id: str = ""

    def takes(self, words: frozenset[str], sources: frozenset[str], terms: frozenset[str]) -> bool:
        """True when a note with these words and citation states this group's rule: it says much the
        same as every note of the group (so one broad note cannot join two rules), and cites a
        source in common with one of them."""
        if self.register_id or any(_overlap(mine, words) < SAME_RULE_OVERLAP for mine in self.words):
            return False
        return any(
            mine & sources or _overlap(cited, terms) >= SAME_SOURCE_OVERLAP
            for mine, cited in zip(self.sources, self.terms, strict=True)
        )

    def add(self, note: ComplianceNote, words: frozenset[str], sources: frozenset[str], terms: frozenset[str]) -> None:
        """Add a note that states the group's rule."""
        self.notes.append(note)
        self.words.append(words)
        self.sources.append(sources)
        self.terms.append(terms)


def _significant_words(text: str) -> frozenset[str]:
    return frozenset(word for word in _WORD.findall(text.lower()) if len(word) > 2 and word not in _COMMON_WORDS)


def _cited_sources(citation: str) -> frozenset[str]:
    """The parts of a citation between semicolons, lower case, without asides in parentheses."""
    bare = _ASIDE.sub("", citation.lower())
    return frozenset(" ".join(_WORD.findall(part)) for part in bare.split(";") if _WORD.search(part))


def _citation_terms(citation: str) -> frozenset[str]:
    """The terms of a citation, lower case, without asides in parentheses or common words."""
    bare = _ASIDE.sub("", citation.lower())
    return frozenset(term for term in _TERM.findall(bare) if term not in _COMMON_WORDS)


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
    groups: list[_Group] = []
    seen: dict[tuple[str, str, str], _Group] = {}  # a note met again word for word states the same rule
    placed: list[tuple[Item, _Group, bool]] = []
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status == "not-applicable":
            continue
        for note in item.applicable_compliance(design.context):
            key = (note.rule, note.citation, note.text)
            if key not in seen:
                seen[key] = _group_for(note, pack, groups)
            placed.append((item, seen[key], is_set_aside(note, decision.option)))
    rules = {id(group): _rule_of(number, group, pack) for number, group in enumerate(groups, start=1)}
    by_item: dict[str, list[Rule]] = {}
    set_aside_by_item: dict[str, list[Rule]] = {}
    met: set[tuple[int, str, bool]] = set()
    for item, group, aside in placed:
        if (id(group), item.id, aside) in met:
            continue  # the item states this rule twice
        met.add((id(group), item.id, aside))
        rule = rules[id(group)]
        (set_aside_by_item if aside else by_item).setdefault(item.id, []).append(rule)
        rule.reliances.append(Reliance(item, aside))
    for item_id, aside_rules in set_aside_by_item.items():  # relied on through another note: not moot
        relied = by_item.get(item_id, [])
        set_aside_by_item[item_id] = [rule for rule in aside_rules if rule not in relied]
    return Baseline(list(rules.values()), by_item, set_aside_by_item)


def _group_for(note: ComplianceNote, pack: ContentPack, groups: list[_Group]) -> _Group:
    """The group of the rule a note states (an existing one, or a new one appended to groups), with
    the note added to it."""
    entry = pack.temporary_rule(note.rule) if note.rule else None
    words, sources, terms = _significant_words(note.text), _cited_sources(note.citation), _citation_terms(note.citation)
    if entry is not None:
        found = next((group for group in groups if group.register_id == entry.id), None)
        if found is None:
            found = _Group(register_id=entry.id)
            groups.append(found)
    else:
        found = next((group for group in groups if group.takes(words, sources, terms)), None)
        if found is None:
            found = _Group()
            groups.append(found)
    found.add(note, words, sources, terms)
    return found


def _rule_of(number: int, group: _Group, pack: ContentPack) -> Rule:
    """The rule a group of notes states."""
    entry = pack.temporary_rule(group.register_id) if group.register_id else None
    if entry is not None:
        return Rule(
            number,
            statement=entry.rule,
            citation=group.notes[0].citation,
            temporary=True,
            confirmed_through=entry.confirmed_through,
            status=entry.status,
            source=entry.reference,
            register_id=entry.id,
        )
    shared = [sum(_overlap(mine, other) for other in group.words) for mine in group.words]
    typical = group.notes[shared.index(max(shared))]
    dates = [note.confirmed_through for note in group.notes if note.confirmed_through is not None]
    return Rule(
        number,
        statement=typical.text,
        citation=typical.citation,
        temporary=any(note.temporary for note in group.notes),
        confirmed_through=min(dates, default=None),
    )
