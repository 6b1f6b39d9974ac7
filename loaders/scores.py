"""Capacity scores and capacity levels: the one place the scoring rule is written.

Every gap, action plan, profile and comparison reads the capacity scores computed here,
once per file when it is loaded, so the rule cannot drift between queries.

The rule, per country, period, capacity and data source of one file:

- An indicator's level: a JEE score is its level (1-5); a SPAR score is level x 20 percent
  (GHO IMR 7027: "for a country selecting level 3 ... 3/5 x 100 = 60%"), so 20-100 percent
  give levels 1-5. A SPAR 0 is *no level*: the levels start at 1 (20 %), so 0 means the
  indicator was left unscored or not applicable (status ``zero``, never a gap).
- The capacity's score: WHO's published capacity average when the file has one and every
  indicator of the capacity that the file gives has a level; otherwise the mean of the
  indicators that have one, rounded half up to a whole percent as WHO rounds its own
  averages (every published average of the bundled e-SPAR files is that mean).
  A published average that counts unscored indicators as 0 is kept as ``publishedScore``.
  With no scored indicator, the capacity has no score and no level (status ``zero``).
- The capacity's level: the 20-point band its score falls in, the bands that SPAR's own
  scale gives (level l is l x 20 %): 1-20 % level 1, 21-40 % level 2, 41-60 % level 3,
  61-80 % level 4, 81-100 % level 5. Levels are 1 to 5 only. docs/model.md says what this
  rests on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from rdflib import URIRef

from .lookup import CatalogueIndex
from .records import Kind, Record

TWENTY = Decimal(20)
HUNDRED = Decimal(100)

REPORTED = "reported"
ZERO = "zero"
PUBLISHED = "published"
MEAN = "mean"
MEAN_OF_SCORED = "mean-of-scored"


def band(percent: Decimal) -> int | None:
    """The capacity level of a score in percent: (0, 20] -> 1 ... (80, 100] -> 5; 0 -> None."""
    if not 0 < percent <= HUNDRED:
        return None
    return int((percent / TWENTY).to_integral_value(rounding=ROUND_CEILING))


def in_range(record: Record) -> bool:
    """A value the shapes accept: 0-100 percent, a JEE score 1-5. Others are not scored here:
    validation reports them on their own cell, and a capacity score is not built on them."""
    if record.kind in (Kind.PERCENT, Kind.CAPACITY_PERCENT):
        return 0 <= record.value <= HUNDRED
    return 1 <= record.value <= 5


def whole_percent(value: Decimal) -> Decimal:
    """Rounded half up to a whole percent, as WHO rounds the capacity averages it publishes."""
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def status_of(record: Record) -> str:
    """``zero`` for a SPAR 0 % (no level); every other value is a reported score."""
    if record.kind in (Kind.PERCENT, Kind.CAPACITY_PERCENT, Kind.OVERALL_PERCENT) and record.value == 0:
        return ZERO
    return REPORTED


def indicator_percent(record: Record) -> Decimal:
    """An indicator score on SPAR's percent scale: a JEE level (or half level) l is l x 20."""
    if record.kind is Kind.PERCENT:
        return record.value
    return record.value * TWENTY


def indicator_level(record: Record) -> int | None:
    """The level an indicator's value gives: a whole JEE score, or a SPAR percent / 20."""
    if record.kind is Kind.LEVEL:
        return int(record.value)
    if record.kind is Kind.PERCENT and record.value % TWENTY == 0 and 0 < record.value <= HUNDRED:
        return int(record.value / TWENTY)
    return None


@dataclass(frozen=True)
class CapacityScore:
    """One country's score on one capacity for one period, from one file and data source."""

    country: str
    period: int
    capacity: URIRef
    source: URIRef
    percent: Decimal | None
    level: int | None
    method: str | None
    status: str
    published: Decimal | None
    scored: int
    observed: int
    derived_from: tuple[Record, ...]


def capacity_scores(records: list[Record], index: CatalogueIndex) -> list[CapacityScore]:
    """The capacity score of every (country, period, capacity, source) the records touch."""
    groups: dict[tuple, dict[str, list[Record]]] = defaultdict(lambda: {"ind": [], "cap": []})
    for record in records:
        if record.kind not in (Kind.PERCENT, Kind.CAPACITY_PERCENT, Kind.LEVEL, Kind.VALUE) \
                or (record.indicator not in index.determinants and not in_range(record)):
            continue
        if record.indicator in index.capacities:
            groups[(record.country, record.period, record.indicator, record.source)]["cap"].append(record)
            continue
        capacity = index.capacity_of.get(record.indicator)
        is_score = record.kind in (Kind.PERCENT, Kind.LEVEL) or (
            record.kind is Kind.VALUE and index.framework_of.get(record.indicator, "").startswith("jee"))
        if capacity is not None and is_score:
            groups[(record.country, record.period, capacity, record.source)]["ind"].append(record)
    scores = [_score(key, parts["ind"], parts["cap"]) for key, parts in groups.items()]
    return sorted(scores, key=lambda s: (s.country, s.period, str(s.capacity), str(s.source)))


def _score(key: tuple, indicators: list[Record], published: list[Record]) -> CapacityScore:
    country, period, capacity, source = key
    scored = [r for r in indicators if status_of(r) == REPORTED]
    unscored = len(indicators) - len(scored)
    average = published[0].value if published and published[0].kind is Kind.CAPACITY_PERCENT \
        else None
    percent: Decimal | None
    if average is not None and average > 0 and unscored == 0:
        percent, method = average, PUBLISHED
    elif scored:
        mean = sum((indicator_percent(r) for r in scored), Decimal(0)) / len(scored)
        percent, method = whole_percent(mean), MEAN_OF_SCORED if unscored else MEAN
    else:
        percent, method = None, None
    return CapacityScore(
        country=country, period=period, capacity=capacity, source=source,
        percent=percent, level=band(percent) if percent is not None else None,
        method=method, status=REPORTED if percent is not None else ZERO,
        published=average, scored=len(scored), observed=len(indicators),
        derived_from=tuple(indicators + published),
    )
