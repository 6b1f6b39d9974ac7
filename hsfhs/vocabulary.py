"""The frameworks, preparedness functions and WHO regions hsfhs knows, listed once.

The catalogue builder writes each entry as an individual (``id:framework/spar2`` with
its score scale and the data source that reports it, ``id:function/detect``,
``id:region/AFRO``); the command line's choices, the API's parameters, the readers'
framework detection and, through the catalogue, the load shapes all read them from
here. Adding an edition (JEE 4th, the 2023 Benchmarks) is one entry below plus its code
list and reader; nothing else names the editions.
"""

from __future__ import annotations

from dataclasses import dataclass

PERCENT = "percent"  # hsfhs:percentScale: SPAR publishes percents (an indicator's level x 20)
LEVEL = "level"  # hsfhs:levelScale: JEE missions score levels 1-5


@dataclass(frozen=True)
class Framework:
    """One edition of a WHO tool: its code, names, defining document and how it is scored.

    ``scale`` is None for a framework countries are not scored on (the Benchmarks);
    ``reported_by`` names the data source (``data/crosswalks/data_sources.csv``) whose
    files carry its country scores, ``self_assessed`` whether the country scores itself
    (SPAR) or is evaluated by an external team (JEE), and ``years`` the report years the
    edition was in use for (``None``: still in use). ``benchmarked``: the WHO Benchmarks
    (2019) link its indicators to benchmarks themselves; the indicators of later editions
    reach benchmarks only by carrying a reviewed match (catalogue/crosswalks.py).
    ``superseded_by``: the edition of the same tool people mean today when they say
    "SPAR" or "JEE"; answers from an older one say so.
    """

    slug: str
    label: str
    short: str
    source: str
    scale: str | None = None
    reported_by: str | None = None
    self_assessed: bool | None = None
    years: tuple[int, int | None] | None = None
    benchmarked: bool = False
    superseded_by: str | None = None

    @property
    def scored(self) -> bool:
        return self.scale is not None


FRAMEWORKS: dict[str, Framework] = {
    f.slug: f
    for f in (
        Framework("spar2018", "IHR SPAR tool, 1st edition (2018)", "SPAR 1st edition (2018 tool)",
                  "WHO/WHE/CPI/2018.16", PERCENT, "espar", True, (2018, 2020), benchmarked=True,
                  superseded_by="spar2"),
        Framework("spar2", "IHR SPAR tool, 2nd edition (2021)", "SPAR 2nd edition (2021 tool)",
                  "ISBN 978-92-4-004012-0", PERCENT, "espar", True, (2021, None)),
        Framework("jee1", "Joint External Evaluation tool, 1st edition (2016)",
                  "JEE 1st edition (2016)", "WHO/HSE/GCR/2016.2", LEVEL, "jee", False,
                  benchmarked=True, superseded_by="jee3"),
        Framework("jee2", "Joint External Evaluation tool, 2nd edition (2018)",
                  "JEE 2nd edition (2018)", "WHO/WHE/CPI/2018.17", LEVEL, "jee", False,
                  benchmarked=True, superseded_by="jee3"),
        Framework("jee3", "Joint External Evaluation tool, 3rd edition (2022)",
                  "JEE 3rd edition (2022)", "ISBN 978-92-4-005198-0", LEVEL, "jee", False),
        Framework("benchmarks2019",
                  "WHO Benchmarks for International Health Regulations (IHR) capacities (2019)",
                  "WHO Benchmarks (2019)", "ISBN 978-92-4-151542-9"),
    )
}

# Frameworks countries are scored on, in the order people meet them (SPAR, then JEE).
SCORED: tuple[str, ...] = tuple(slug for slug, f in FRAMEWORKS.items() if f.scored)

# The editions in use today (SPAR, JEE): what the home page and the default answers show.
CURRENT: tuple[str, ...] = tuple(s for s in SCORED if FRAMEWORKS[s].superseded_by is None)

# When a year has scores of several frameworks, the one an answer uses: the editions in
# use first, then the older ones, newest first within each tool.
PREFERENCE: tuple[str, ...] = CURRENT + tuple(
    sorted(
        (s for s in SCORED if s not in CURRENT),
        key=lambda s: (CURRENT.index(FRAMEWORKS[s].superseded_by or ""), -SCORED.index(s)),
    )
)


def reported_by(source: str) -> tuple[str, ...]:
    """The frameworks whose scores a data source publishes: ``espar`` -> spar2018, spar2."""
    return tuple(slug for slug, f in FRAMEWORKS.items() if f.reported_by == source)


def on_scale(scale: str) -> tuple[str, ...]:
    """The frameworks scored on ``scale`` (PERCENT or LEVEL)."""
    return tuple(slug for slug, f in FRAMEWORKS.items() if f.scale == scale)


# The preparedness functions: the JEE 3rd edition's pillars.
FUNCTIONS: dict[str, tuple[str, str]] = {
    "prevent": (
        "Prevent",
        "Preventing and reducing the likelihood of outbreaks and other public health hazards "
        "(JEE 3rd edition pillar 'Prevent').",
    ),
    "detect": (
        "Detect",
        "Detecting threats early: laboratory, surveillance and the workforce that runs them "
        "(JEE 3rd edition pillar 'Detect').",
    ),
    "respond": (
        "Respond",
        "Responding rapidly and effectively to public health events and emergencies "
        "(JEE 3rd edition pillar 'Respond').",
    ),
}

# The six WHO regions: office code -> name as who_member_states.tsv writes it.
REGIONS: dict[str, str] = {
    "AFRO": "African Region",
    "AMRO": "Region of the Americas",
    "SEARO": "South-East Asia Region",
    "EURO": "European Region",
    "EMRO": "Eastern Mediterranean Region",
    "WPRO": "Western Pacific Region",
}
