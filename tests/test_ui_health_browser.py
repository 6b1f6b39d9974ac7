"""The dashboard's health-system and trend sections in headless Chromium, as a person sees them.

Same set-up as test_ui_browser.py (Debian's chromium through playwright, a live
``hsfhs serve`` on the shared test store, nothing fetched from outside the server); the
numbers a reader sees are compared with the GHO, e-SPAR and CGHSS files.
"""

from __future__ import annotations

import openpyxl
import pytest
from browser import needs_chromium, open_page
from qs_data import ESPAR_2018, GHO_DOCTORS, espar_rows, gho_latest, query_store
from service_fixtures import LiveServer

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("ui-health-server") / "serve.log"
    live = LiveServer.start(query_store(), log)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def page(server):
    yield from open_page(server.url)


def nigeria_2018_c6() -> float:
    rows = list(openpyxl.load_workbook(ESPAR_2018, read_only=True).active.iter_rows(values_only=True))
    header = rows[5]
    row = next(r for r in rows[6:] if str(r[2] or "").strip() == "Nigeria")
    return float(row[header.index("Level C6")])


def test_dashboard_shows_nigerias_health_system_and_surveillance_trend(server, page):
    page.goto(f"{server.url}/country/NGA?trend=spar2/C5", wait_until="load")
    section = page.locator("#health-system-section")
    text = section.inner_text()
    assert "Health workforce" in text and "Leadership and governance" in text
    assert "566" in page.locator("#m49").inner_text()
    # what a reader sees for doctors: the latest value and year from the GHO export
    year, value = gho_latest(GHO_DOCTORS, "HWF_0001")["NGA"]
    doctors = section.locator('tr.determinant[data-code="HWF_0001"]')
    assert f"{value:g}" in doctors.inner_text() and str(year) in doctors.inner_text()
    assert "spar2 C6" in doctors.inner_text()
    context = page.locator("#country-context").inner_text()
    assert "Lower middle income" in context and "2018-07-27" in context
    assert "self-assessed" in page.locator("#data-quality").inner_text()
    # the trend: one point per edition, SPAR 2018 C6 in 2018 and SPAR2 C5 in 2022
    points = page.locator("svg#trend-chart circle.trend-point")
    assert points.count() == 2
    got = {(points.nth(i).get_attribute("data-year"), points.nth(i).get_attribute("data-framework"),
            float(points.nth(i).get_attribute("data-score"))) for i in range(2)}
    assert got == {("2018", "spar2018", nigeria_2018_c6()),
                   ("2022", "spar2", float(espar_rows()["Nigeria"]["C.5"]))}
    assert page.locator("svg#trend-chart line.edition-change").count() == 1
    assert "edition changes" in page.locator("#trend-table").inner_text()
    assert page.outside == []  # type: ignore[attr-defined]
    page.screenshot(path=str(server.log.parent / "health-dashboard.png"), full_page=True)


def test_a_broad_match_breaks_the_series_and_niger_is_flagged(server, page):
    page.goto(f"{server.url}/country/NGA?trend=spar2/C1", wait_until="load")
    assert page.locator("svg#trend-chart circle.trend-point").count() == 1
    assert "The series breaks" in page.locator("p.series-break").inner_text()
    page.goto(f"{server.url}/country/NER", wait_until="load")
    flag = page.locator('#consistency-flags li.flag[data-determinant="HWF_0001"]')
    assert flag.count() == 1
    assert "C6 Human resources" in flag.inner_text() and "0.35" in flag.inner_text()
    assert page.outside == []  # type: ignore[attr-defined]


def test_capacity_page_draws_a_countrys_trend(server, page):
    page.goto(f"{server.url}/page/spar2/C5?country=NGA", wait_until="load")
    assert page.locator("h1").inner_text() == "Surveillance"
    assert page.locator("svg#trend-chart circle.trend-point").count() == 2
    page.goto(f"{server.url}/page/spar2/C5", wait_until="load")
    assert page.locator("#trend-country").count() == 1  # only the form, no country yet
    assert page.outside == []  # type: ignore[attr-defined]
