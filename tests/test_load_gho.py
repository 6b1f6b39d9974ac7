"""GHO long-format exports: any indicator code, determinants from the file, breakdowns."""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import SKOS, Literal, namespace

from hsfhs.loaders.load import parse_file, validate_files
from hsfhs.namespaces import ID, sparql_prefixes

GRAPH = ID["graph/gho-hwf-0001-medical-doctors-per10000-csv"]


def test_bundled_gho_values_in_the_store(bundled_load) -> None:
    store, report = bundled_load
    rows = store.select(
        sparql_prefixes()
        + """SELECT ?value WHERE { GRAPH ?g {
             ?o hsfhs:refIndicator ?i ; sdmx-dimension:refArea ?c ;
                sdmx-dimension:refPeriod ?y ; sdmx-measure:obsValue ?value } }""",
        {
            "g": GRAPH,
            "i": ID["gho/HWF_0001"],
            "c": ID["country/NER"],
            "y": Literal("2020", datatype=namespace.XSD.gYear),
        },
    )
    assert [float(r["value"]) for r in rows.values()] == [0.35]  # row 2 of the CSV
    gho = next(f for f in report.files if f.format == "gho")
    assert gho.rows == gho.observations == 11508


def test_unknown_codes_become_determinants_named_from_the_file(data: Path, load_context) -> None:
    parsed = parse_file(data / "gho" / "gho_HWF_0001_medical_doctors_per10000.csv", load_context)
    label = parsed.extra.value(ID["gho/HWF_0002"], SKOS.prefLabel)
    assert label == Literal("Medical doctors (number)", lang="en")
    assert (ID["gho/HWF_0001"], SKOS.prefLabel, None) not in parsed.extra  # in the catalogue
    assert [n.value for n in parsed.notices if n.type == "country-not-in-catalogue"] == ["PSE"]


def test_breakdowns_by_dimension_stay_distinct(
    tmp_path: Path, fixtures: Path, load_catalogue
) -> None:
    with open(fixtures / "gho_sample.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    first = rows[0]
    split = []
    for sex, code in (("Male", "SEX_MLE"), ("Female", "SEX_FMLE")):
        split.append({**first, "Dim1 type": "Sex", "Dim1": sex, "Dim1ValueCode": code})
    path = tmp_path / "gho_by_sex.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(first))
        writer.writeheader()
        writer.writerows([first, *split])
    report = validate_files([path], load_catalogue)
    assert report.errors == []
    assert report.files[0].observations == 3


def test_regional_rows_are_skipped(tmp_path: Path, fixtures: Path, load_context) -> None:
    text = (fixtures / "gho_sample.csv").read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    region = first.replace(",Country,NER,Niger,", ",WHO region,AFR,Africa,")
    path = tmp_path / "gho_region.csv"
    path.write_text("\n".join([header, region, *rest]) + "\n", encoding="utf-8")
    parsed = parse_file(path, load_context)
    assert [(n.type, n.row) for n in parsed.notices if n.type == "aggregate-row"] == [
        ("aggregate-row", 2)
    ]
    assert parsed.errors == [] and len(parsed.records) == len(rest)
