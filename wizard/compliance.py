"""The compliance baseline of a design: the rules its decisions rely on, each stated once.

The content pack states each rule once, in its register (``[[rules]]`` in pack.toml). An item's
compliance note names the rule it relies on (``rule = "<id>"``) and adds only what is specific to
the item. The baseline is every rule that an applicable note of an item names, numbered in register
order, with the items relying on it; nothing is inferred from the notes' wording.

A rule is set aside (it applies only if a decision changes) for one item when the item's decision
chose an option its note lists in ``unless_options``, and for the whole design when the decision the
rule names in ``set_aside_by`` chose one of its options (3.2.6 deciding "no controlled substances"
sets the DEA prescribing rules aside wherever they are named). Set-aside rules are numbered after
the rules relied on. Only decided and drafting items rely on rules: an open item has no decision
yet, and an item marked not applicable needs none.

Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from wizard.content import ComplianceNote, ComplianceRule, ContentPack, Item, Reference
from wizard.project import Design


@dataclass(frozen=True)
class Reliance:
    """One item's reliance on a rule, with what the pack says is specific to the item."""

    item: Item
    text: str = ""
    """Content pack text for this item alone; empty when the rule's statement says it all."""
    set_aside: bool = False
    """True when a decision makes the rule moot for this item (it applies only if that changes)."""


@dataclass(eq=False)
class Rule:
    """One rule of a design's baseline: a rule of the pack's register, numbered for this design."""

    number: int
    entry: ComplianceRule
    """The register's rule: statement, citation, and for a temporary rule its date and source."""
    reliances: list[Reliance] = field(default_factory=list)
    set_aside_by: Item | None = None
    """The item whose decision sets the rule aside for the whole design, if one does."""

    @property
    def statement(self) -> str:
        """The rule, in the pack's words."""
        return self.entry.statement

    @property
    def citation(self) -> str:
        """Where the rule comes from."""
        return self.entry.citation

    @property
    def temporary(self) -> bool:
        """True for a time-limited rule: check before use."""
        return self.entry.temporary

    @property
    def confirmed_through(self) -> dt.date | None:
        """For a temporary rule: the last date its status was confirmed."""
        return self.entry.confirmed_through

    @property
    def reference(self) -> Reference | None:
        """Where the rule's status was confirmed, when the register names it."""
        return self.entry.reference

    @property
    def title(self) -> str:
        """A few words naming the rule."""
        return self.entry.title

    @property
    def relied_on_by(self) -> list[Item]:
        """The items whose decisions rely on the rule, in content order."""
        return [reliance.item for reliance in self.reliances if not reliance.set_aside]

    @property
    def is_set_aside(self) -> bool:
        """True when every item naming the rule has it set aside."""
        return not self.relied_on_by

    def expires_within(self, today: dt.date, days: int) -> bool:
        """True for a temporary rule confirmed only through a date at most ``days`` after today."""
        return self.confirmed_through is not None and self.confirmed_through <= today + dt.timedelta(days=days)


@dataclass
class Baseline:
    """Every rule that applies to a design's context, and which rules each item relies on."""

    rules: list[Rule]
    """Rules relied on, in register order, then rules every item has set aside."""
    by_item: dict[str, list[Rule]]
    """Item id -> the rules its decision relies on, in register order."""
    set_aside_by_item: dict[str, list[Rule]]
    """Item id -> rules a decision makes moot for it (they apply only if that decision changes)."""
    specifics: dict[str, list[tuple[Rule, str]]]
    """Item id -> (rule, what is specific to the item) for the rules it relies on, where the pack
    says something specific, in register order."""

    def rules_of(self, item: Item) -> list[Rule]:
        """The rules an item's decision relies on."""
        return self.by_item.get(item.id, [])

    def set_aside_for(self, item: Item) -> list[Rule]:
        """The rules set aside for an item."""
        return self.set_aside_by_item.get(item.id, [])

    def set_aside_by_decision_of(self, item: Item) -> list[Rule]:
        """The rules the item's own decision sets aside: for the whole design, or for the item alone."""
        return self._set_aside_by_decision.get(item.id, [])

    @cached_property
    def _set_aside_by_decision(self) -> dict[str, list[Rule]]:
        by_item: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if rule.set_aside_by is not None:
                by_item.setdefault(rule.set_aside_by.id, []).append(rule)
                continue
            for reliance in rule.reliances:
                if reliance.set_aside and rule not in by_item.get(reliance.item.id, []):
                    by_item.setdefault(reliance.item.id, []).append(rule)
        return by_item

    def specifics_of(self, item: Item) -> list[tuple[Rule, str]]:
        """What the pack says about the item's rules that is specific to the item."""
        return self.specifics.get(item.id, [])


def is_set_aside(note: ComplianceNote, option: str) -> bool:
    """True when the item's chosen option makes the note moot."""
    return bool(option) and option in note.unless_options


def build_baseline(design: Design, pack: ContentPack) -> Baseline:
    """The design's compliance baseline: every register rule an applicable note names, once.

    Relied-on rules are numbered first, in register order, then set-aside rules, so the same design
    and pack always number them the same way.
    """
    order = {rule.id: index for index, rule in enumerate(pack.rules)}
    moot_by: dict[str, Item] = {}  # rule id -> the item whose decision sets it aside everywhere
    for entry in pack.rules:
        by = entry.set_aside_by
        if by is None or by.item not in pack.items_by_id:
            continue
        deciding = design.decision(by.item)  # an open item has decided nothing yet, whatever option it holds
        if deciding.status in ("decided", "drafting") and deciding.option in by.options:
            moot_by[entry.id] = pack.items_by_id[by.item]
    found: dict[str, Rule] = {}
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status in ("open", "not-applicable"):  # no decision yet, or none to make
            continue
        texts: dict[str, list[str]] = {}  # rule id -> this item's specific texts (an item may name a rule twice)
        aside: dict[str, bool] = {}  # rule id -> set aside for this item (relied on through any note wins)
        for note in item.applicable_compliance(design.context):
            if note.rule not in order:  # only a pack that failed its checks names an unknown rule
                continue
            moot = note.rule in moot_by or is_set_aside(note, decision.option)
            aside[note.rule] = aside.get(note.rule, True) and moot
            if note.text.strip() and note.text not in texts.setdefault(note.rule, []):
                texts[note.rule].append(note.text)
        for rule_id, moot in aside.items():
            rule = found.setdefault(rule_id, Rule(0, pack.rules[order[rule_id]], set_aside_by=moot_by.get(rule_id)))
            rule.reliances.append(Reliance(item, " ".join(texts.get(rule_id, [])), moot))
    ranked = sorted(found.values(), key=lambda rule: (rule.is_set_aside, order[rule.entry.id]))
    by_item: dict[str, list[Rule]] = {}
    set_aside_by_item: dict[str, list[Rule]] = {}
    specifics: dict[str, list[tuple[Rule, str]]] = {}
    for number, rule in enumerate(ranked, start=1):
        rule.number = number
    for rule in sorted(ranked, key=lambda rule: order[rule.entry.id]):
        for reliance in rule.reliances:
            if reliance.set_aside:
                set_aside_by_item.setdefault(reliance.item.id, []).append(rule)
                continue
            by_item.setdefault(reliance.item.id, []).append(rule)
            if reliance.text:
                specifics.setdefault(reliance.item.id, []).append((rule, reliance.text))
    return Baseline(ranked, by_item, set_aside_by_item, specifics)
