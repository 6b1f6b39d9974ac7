"""The determinant catalogue against its CSV, and GHO files loading onto it.

Expected counts and links are read from data/crosswalks/determinants.csv and
determinant_capacities.csv here, never typed in; GHO files are the bundled exports or
cuts of them, and the SDG 3.d.1 rows are built from the e-SPAR 2022 total averages.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from hsfhs.catalogue import build_catalogue
from hsfhs.catalogue.codelist_io import CatalogueError
from hsfhs.loaders.load import parse_file, validate_files
from hsfhs.loaders.records import Kind
from hsfhs.namespaces import HSFHS, ID

DATA = Path(__file__).resolve().parents[1] / "data"


def read(name: str) -> list[dict[str, str]]:
    with open(DATA / "crosswalks" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_catalogue_size_and_blocks_match_the_csv(catalogue_graph):
    rows = read("determinants.csv")
    assert len(rows) >= 30
    g = catalogue_graph
    catalogued = set(g.subjects(HSFHS.catalogued, Literal(True)))
    assert catalogued == {ID[f"gho/{r['code']}"] for r in rows}
    per_block = Counter(r["building_block"] for r in rows)
    got = Counter(str(g.value(d, HSFHS.measuresBuildingBlock)).rsplit("/", 1)[-1] for d in catalogued)
    assert got == per_block
    for r in rows:
        iri = ID[f"gho/{r['code']}"]
        assert g.value(iri, HSFHS.ghoCode) == Literal(r["code"])
        assert g.value(iri, SKOS.notation) == Literal(r["code"])
        assert g.value(iri, RDFS.seeAlso) == URIRef(f"https://ghoapi.azureedge.net/api/{r['code']}")
        assert str(g.value(iri, HSFHS.unit)) == r["unit"]
        assert str(g.value(iri, HSFHS.betterWhen)) == r["better"]
        assert r["verified_by"].strip(), r["code"]  # every code carries its evidence
        link = ID[f"link/determinant-block/gho-{r['code']}--building-block-{r['building_block']}"]
        assert g.value(link, HSFHS.linkStatus) == HSFHS.curated
        assert str(g.value(link, HSFHS.rationale)) == r["rationale"]


def test_informs_capacity_links_match_the_csv_and_carry_no_source(catalogue_graph):
    from rdflib.namespace import DCTERMS

    g = catalogue_graph
    rows = read("determinant_capacities.csv")
    expected = {(ID[f"gho/{r['code']}"], ID[f"{r['framework']}/{r['capacity']}"]) for r in rows}
    assert set(g.subject_objects(HSFHS.informsCapacity)) == expected
    for r in rows:
        link = ID[f"link/informs/gho-{r['code']}--{r['framework']}-{r['capacity']}"]
        assert g.value(link, HSFHS.linkStatus) == HSFHS.curated
        assert str(g.value(link, HSFHS.rationale)) == r["rationale"]
        assert g.value(link, DCTERMS.source) is None


def test_ihr_scores_are_not_determinants(catalogue_graph):
    g = catalogue_graph
    for code in ("SDGIHR2021", "SDGIHR2018", "SDGIHR"):
        assert (ID[f"gho/{code}"], None, None) not in g
    assert g.value(ID["spar2/total"], HSFHS.ghoCode) == Literal("SDGIHR2021")
    assert g.value(ID["spar2018/total"], HSFHS.ghoCode) == Literal("SDGIHR2018")
    assert g.value(ID["spar2018/C6"], HSFHS.ghoCode) == Literal("IHRSPAR_CAPACITY06")
    assert g.value(ID["framework/spar2"], HSFHS.selfAssessed) == Literal(True)
    assert g.value(ID["framework/jee2"], HSFHS.selfAssessed) == Literal(False)


def test_countries_carry_their_un_m49_code(catalogue_graph):
    g = catalogue_graph
    assert g.value(ID["country/NGA"], HSFHS.iso3166Numeric) == Literal("566")
    assert g.value(ID["country/NER"], HSFHS.iso3166Numeric) == Literal("562")


def gho_cut(tmp_path: Path, name: str, keep) -> Path:
    source = DATA / "gho" / "gho_HWF_0010_dentists_per10000.csv"
    with open(source, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(keep(rows))
    return path


def test_a_catalogued_code_lands_on_its_determinant_and_block(tmp_path, load_catalogue, catalogue_graph):
    path = gho_cut(tmp_path, "gho_dentists_cut.csv",
                   lambda rows: [r for r in rows if r["SpatialDimValueCode"] in ("NGA", "NER")])
    report = validate_files([path], load_catalogue)
    assert report.errors == []
    from hsfhs.loaders.context import Context
    from hsfhs.loaders.lookup import CatalogueIndex

    parsed = parse_file(path, Context.from_index(CatalogueIndex.from_triples(load_catalogue)))
    dentists = [r for r in parsed.records if r.indicator == ID["gho/HWF_0010"]]
    with open(path, encoding="utf-8", newline="") as fh:
        source = [r for r in csv.DictReader(fh) if r["IndicatorCode"] == "HWF_0010"]
    assert {(r.country, r.period, float(r.value)) for r in dentists} == {
        (r["SpatialDimValueCode"], int(r["Period"]), float(r["FactValueNumeric"])) for r in source}
    # catalogued: defined by the catalogue, with its block; the file defines nothing for it
    assert (ID["gho/HWF_0010"], None, None) not in parsed.extra
    assert catalogue_graph.value(ID["gho/HWF_0010"], HSFHS.measuresBuildingBlock) == \
        ID["building-block/HSBB2"]
    # an uncatalogued code (dentists, number) still loads, flagged
    assert parsed.extra.value(ID["gho/HWF_0011"], HSFHS.catalogued) == Literal(False)
    assert any(r.indicator == ID["gho/HWF_0011"] for r in parsed.records)


def sdg_file(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """GHO long-format rows (code, ISO3, year, value), the layout of the bundled exports."""
    with open(DATA / "gho" / "gho_HWF_0010_dentists_per10000.csv", encoding="utf-8-sig") as fh:
        template = next(csv.DictReader(fh))
    path = tmp_path / "gho_sdg_3d1.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(template))
        writer.writeheader()
        for code, iso3, year, value in rows:
            writer.writerow({**template, "IndicatorCode": code, "Indicator": code,
                             "SpatialDimValueCode": iso3, "Period": year,
                             "FactValueNumeric": value, "Value": value})
    return path


def test_sdg_3d1_codes_load_as_overall_scores_not_determinants(tmp_path, load_catalogue):
    from qs_data import espar_rows

    nga, ken = espar_rows()["Nigeria"], espar_rows()["Kenya"]
    path = sdg_file(tmp_path, [
        ("SDGIHR2021", "NGA", "2022", nga["total_average"]),
        ("SDGIHR2021", "KEN", "2022", ken["total_average"]),
        ("IHRSPAR_CAPACITY06", "NGA", "2019", "60"),
        ("SDGIHR", "NGA", "2016", "55"),
    ])
    report = validate_files([path], load_catalogue)
    assert report.errors == []
    from hsfhs.loaders.context import Context
    from hsfhs.loaders.lookup import CatalogueIndex

    parsed = parse_file(path, Context.from_index(CatalogueIndex.from_triples(load_catalogue)))
    got = {(r.indicator, r.country, r.kind, float(r.value)) for r in parsed.records}
    assert got == {
        (ID["spar2/total"], "NGA", Kind.OVERALL_PERCENT, float(nga["total_average"])),
        (ID["spar2/total"], "KEN", Kind.OVERALL_PERCENT, float(ken["total_average"])),
        (ID["spar2018/C6"], "NGA", Kind.CAPACITY_PERCENT, 60.0),
    }
    assert [n.value for n in parsed.notices if n.type == "not-supported"] == ["SDGIHR"]
    assert not any((s, None, None) in parsed.extra for s in (ID["gho/SDGIHR2021"], ID["gho/SDGIHR"]))


def test_a_bad_catalogue_row_names_file_row_and_column(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("gho", "espar", "jee"))
    path = data / "crosswalks" / "determinants.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",higher,", ",upwards,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"determinants.csv, row 4, column 'better'"):
        build_catalogue(data)
    lines[3] = lines[3].replace(",upwards,", ",higher,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    links = data / "crosswalks" / "determinant_capacities.csv"
    links.write_text(links.read_text(encoding="utf-8") + "HWF_0001,spar2,C99,curated,none\n",
                     encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"determinant_capacities.csv, row \d+, column 'capacity'"):
        build_catalogue(data)
