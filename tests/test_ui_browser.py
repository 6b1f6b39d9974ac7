"""The country dashboard in headless Chromium, as a person sees it, on a live ``hsfhs serve``.

Debian's /usr/bin/chromium is driven through the PyPI ``playwright`` package (never
``playwright install``: the machines have no internet). The server is started the way a
user starts it (``python -m hsfhs serve``) on 127.0.0.1 and a free port, and stopped at
the end. What is checked is what a reader gets: the country's name, the capacities that
block a function, one chart bar per capacity, and the actions of the plan; on the home
page the picker (a country by name, or from the list by region) and the world map (coloured
by the chosen capacity's level, each country a link); the dashboard's comparison with the
region's median; and the 400 px layout (no page wider than the window).

Screenshots of the home page and Nigeria's dashboard, desktop and 400 px wide, are written
beside the server log, and into ``$HSFHS_SCREENSHOTS`` if it names a folder (docs/screenshots
holds those of a run).
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest
from browser import needs_chromium, open_page
from qs_data import (
    capacity_score,
    espar_rows,
    expected_gaps,
    gho_values,
    query_store,
    spar2_capacity_codes,
    spar2_contributors,
)
from service_fixtures import LiveServer

from hsfhs.query_service.named_queries import load_queries
from hsfhs.query_service.world_map import world_map
from hsfhs.vocabulary import FRAMEWORKS

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("ui-server") / "serve.log"
    live = LiveServer.start(query_store(), log)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def page(server):
    yield from open_page(server.url)


def test_dashboard_shows_what_blocks_nigeria(server, page):
    page.goto(f"{server.url}/country/NGA", wait_until="load")
    assert page.locator("h1").inner_text().startswith("Nigeria")
    assert "2022" in page.locator("main").inner_text()

    # one bar per SPAR capacity, each as long as its score says
    bars = page.locator("svg#capacity-chart rect.bar")
    assert bars.count() == 15
    row = espar_rows()["Nigeria"]
    scores = {
        bars.nth(i).get_attribute("data-code"): float(bars.nth(i).get_attribute("data-score"))
        for i in range(bars.count())
    }
    assert scores == {f"C{n}": float(row[f"C.{n}"]) for n in range(1, 16)}
    unmet = {
        bars.nth(i).get_attribute("data-code")
        for i in range(bars.count())
        if "unmet" in (bars.nth(i).get_attribute("class") or "")
    }
    assert unmet == {c for c in scores if capacity_score(row, c)[1] < 3}
    threshold = page.locator("svg#capacity-chart line.threshold")
    assert threshold.count() == 1
    # the line sits at 40 %, the top of level 2, where a 40 % bar would end: Nigeria's
    # C3 is 30 % and its C4 60 %, so the line falls between their bars' ends
    c3 = page.locator('svg#capacity-chart rect.bar[data-code="C3"]')
    c4 = page.locator('svg#capacity-chart rect.bar[data-code="C4"]')
    x0 = float(c4.get_attribute("x"))
    per_percent = float(c4.get_attribute("width")) / 60
    assert abs(float(threshold.get_attribute("x1")) - (x0 + 40 * per_percent)) < 0.1
    assert float(c3.get_attribute("width")) < 40 * per_percent < float(c4.get_attribute("width"))

    # the blocked capacities a person reads for "Detect": the hand computation's list
    detect = page.locator("#function-detect")
    assert "blocked by 1 unmet capacity" in detect.inner_text()
    listed = {item.get_attribute("data-code") for item in detect.locator("li.gap").all()}
    assert listed == set(expected_gaps("Nigeria", "detect")) == {"C14"}
    assert "Chemical events" in detect.inner_text()
    respond = page.locator("#function-respond")
    assert "C7 → C3" in respond.inner_text() and "enabling dependency" in respond.inner_text()

    # the action plan: grouped by benchmark, each benchmark a collapsible section
    assert page.locator("details.benchmark").count() > 0
    chemical = page.locator('details.benchmark[data-code="17.1"]')
    chemical.locator(":scope > summary").click()
    assert "Assess existing policies, legislation and plans for chemical event" in chemical.inner_text()
    assert page.locator('details.benchmark[data-code="18.1"]').count() == 0  # no radiation gap
    # the GHO determinant, with its latest value from the export
    doctors = gho_values("NGA")
    determinants = page.locator("#determinants").locator("xpath=..").inner_text()
    assert "Medical doctors (per 10,000)" in determinants
    assert f"{doctors[max(doctors)]:g}" in determinants
    assert page.outside == []  # type: ignore[attr-defined]
    page.screenshot(path=str(server.log.parent / "dashboard.png"), full_page=True)


def test_home_and_capacity_pages(server, page):
    page.goto(f"{server.url}/", wait_until="load")
    assert page.locator("h1").inner_text() == "Health systems for health security"
    page.fill("#country", "ken")  # an ISO code still works, in any case
    page.click("form.picker button")
    page.wait_for_url("**/country/KEN")
    assert page.locator("h1").inner_text().startswith("Kenya")
    page.goto(f"{server.url}/id/spar2/C5", wait_until="load")  # linked data -> the UI page
    assert page.url.endswith("/page/spar2/C5")
    assert page.locator("h1").inner_text() == "Surveillance"
    assert "Countries below level 3 in 2022" in page.locator("main").inner_text()
    assert page.outside == []  # type: ignore[attr-defined]


def test_sparql_editor_runs_a_canned_query_offline(server, page):
    page.goto(f"{server.url}/editor", wait_until="load")
    page.wait_for_selector(".yasgui .tabsList", timeout=15000)
    tabs = page.locator(".yasgui .tabsList .tab")
    assert tabs.count() == len(load_queries())
    text = page.locator(".yasgui .tabsList").inner_text()
    assert all(name in text for name in load_queries())
    page.locator(".yasgui .tabsList .tab", has_text="frameworks").click()
    page.locator(".yasqe_queryButton:visible").click()
    results = page.locator(".yasr:visible")
    results.get_by_text("benchmarks2019", exact=True).first.wait_for(timeout=15000)
    assert "spar2018" in results.inner_text()
    assert page.outside == []  # type: ignore[attr-defined]


DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 400, "height": 800}


def shot(server, page, name: str, top: int | None = None) -> None:
    """A full-page screenshot beside the server log, and in $HSFHS_SCREENSHOTS if set
    (there only the ``top`` pixels of the page, if given: the folder is for reading)."""
    page.screenshot(path=str(server.log.parent / name), full_page=True)
    if os.environ.get("HSFHS_SCREENSHOTS"):
        folder = Path(os.environ["HSFHS_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        width, height = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, top or height)}
        page.screenshot(path=str(folder / name), full_page=True, clip=clip)


def test_the_picker_takes_a_name_or_a_region_list(server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server.url}/", wait_until="load")
    # the names the browser offers as the person types: every Member State
    options = page.locator("datalist#country-names option")
    assert options.count() == 194
    assert page.locator('datalist#country-names option[value="Nigeria"]').count() == 1
    page.fill("#country", "Nigeria")
    page.press("#country", "Enter")
    page.wait_for_url("**/country/NGA")
    assert page.locator("h1").inner_text().startswith("Nigeria")

    page.goto(f"{server.url}/", wait_until="load")
    page.fill("#country", "Côte d'Ivoire")
    page.click("form.picker button")
    page.wait_for_url("**/country/CIV")
    assert "(CIV)" in page.locator("h1").inner_text()

    page.goto(f"{server.url}/", wait_until="load")
    africa = page.locator('details.region[data-region="AFRO"]')
    assert not africa.get_by_role("link", name="Kenya", exact=True).is_visible()  # closed
    africa.locator("summary").click()
    africa.get_by_role("link", name="Kenya", exact=True).click()
    page.wait_for_url("**/country/KEN")
    assert page.outside == []  # type: ignore[attr-defined]


def test_home_lists_each_functions_capacities_in_code_order(server, page):
    """C1, C2, ..., C11 as SPAR numbers them (not C1, C11, C12, C2 as text sorts)."""
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server.url}/", wait_until="load")
    sections = page.locator("section.function")
    assert sections.count() == 3
    for i, function in enumerate(("prevent", "detect", "respond")):
        section = sections.nth(i)
        assert section.locator("h3").inner_text().lower() == function
        spar = section.locator("div.cols > div").first
        assert spar.locator("h4").inner_text() == FRAMEWORKS["spar2"].short  # SPAR 2nd edition (2021 tool)
        codes = [a.inner_text() for a in spar.locator("li > a").all()]
        assert codes == sorted(spar2_contributors(function), key=lambda c: int(c[1:]))


def fill_of(page, selector: str, prop: str = "fill") -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def test_the_map_is_coloured_by_level_and_links_each_country(server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server.url}/", wait_until="load")
    assert page.locator("select#capacity").input_value() == "spar2/C5"
    paths = page.locator("svg#world-map path.country")
    assert paths.count() == len(world_map().shapes) > 150
    nigeria = '#world-map a[data-iso3="NGA"] path'
    row = espar_rows()["Nigeria"]
    level = capacity_score(row, "C5")[1]
    assert page.get_attribute(nigeria, "class") == f"country level-{level}"
    # painted as the legend says that level is painted, and the levels look different
    legend = {n: fill_of(page, f"ul.legend .swatch.level-{n}", "backgroundColor")
              for n in (1, 2, 3, 4, 5, "none")}
    assert len(set(legend.values())) == 6
    assert fill_of(page, nigeria) == legend[level]
    painted = page.eval_on_selector_all(
        "#world-map a path.country", "ps => [...new Set(ps.map(p => getComputedStyle(p).fill))]")
    assert set(painted) <= set(legend.values()) and len(painted) >= 4
    shot(server, page, "home-desktop.png", top=1500)

    # choosing another capacity repaints the map (the page's script navigates at once)
    page.select_option("select#capacity", "spar2/C14")
    page.wait_for_url("**/?capacity=spar2%2FC14*")
    chemical = capacity_score(row, "C14")[1]
    assert chemical != level
    assert fill_of(page, nigeria) == legend[chemical]
    for country, iso3 in (("Kenya", "KEN"), ("Brazil", "BRA"), ("India", "IND")):
        expected = capacity_score(espar_rows()[country], "C14")[1]
        assert fill_of(page, f'#world-map a[data-iso3="{iso3}"] path') == legend[expected]

    # a country on the map is a link to its dashboard
    assert "Nigeria" in page.locator(f"{nigeria} > title").text_content()
    page.locator('#world-map a[data-iso3="NGA"]').click()
    page.wait_for_url("**/country/NGA")
    assert page.outside == []  # type: ignore[attr-defined]


def test_the_dashboard_compares_with_the_regions_median(server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{server.url}/country/NGA", wait_until="load")
    table = page.locator("table#regional-table")
    assert table.is_visible()
    assert "African Region median" in table.locator("caption").inner_text()
    african = [r for r in espar_rows().values() if r["Region"] == "AFRO"]
    nigeria = espar_rows()["Nigeria"]
    rows = table.locator("tbody tr")
    assert rows.count() == len(spar2_capacity_codes()) == 15
    chart_bar = page.locator('svg#capacity-chart rect.bar[data-code="C4"]')
    x0 = float(chart_bar.get_attribute("x"))
    per_percent = float(chart_bar.get_attribute("width")) / capacity_score(nigeria, "C4")[0]
    for code in spar2_capacity_codes():
        median = statistics.median(
            s for s in (capacity_score(r, code)[0] for r in african) if s is not None)
        cells = table.locator(f'tr[data-code="{code}"] td')
        score = capacity_score(nigeria, code)[0]
        assert float(cells.nth(0).inner_text()) == score
        assert float(cells.nth(1).inner_text()) == pytest.approx(median)
        difference = float(cells.nth(2).inner_text())
        assert difference == pytest.approx(score - median)
        assert cells.nth(2).get_attribute("class") == (
            "below" if score < median else "above" if score > median else "")
        # the chart's tick for the median, where a bar of that score would end
        tick = page.locator(f'svg#capacity-chart line.median[data-code="{code}"]')
        assert tick.bounding_box()["height"] > 0  # drawn (a vertical line has no width)
        assert float(tick.get_attribute("x1")) == pytest.approx(x0 + median * per_percent, abs=0.1)
    assert page.outside == []  # type: ignore[attr-defined]
    page.locator("#regional").scroll_into_view_if_needed()
    shot(server, page, "dashboard-desktop.png", top=2600)


@pytest.mark.parametrize(
    ("path", "name"),
    [("/", "home-400px.png"), ("/country/NGA", "dashboard-400px.png"),
     ("/page/spar2/C5", None), ("/editor", None), ("/sparql", None)],
)
def test_pages_fit_a_400px_window(server, page, path, name):
    page.set_viewport_size(NARROW)
    try:
        page.goto(f"{server.url}{path}", wait_until="load")
        if path == "/editor":  # with an answer shown: YASR's table is wider than the window
            page.wait_for_selector(".yasgui .tabsList", timeout=15000)
            page.locator(".yasgui .tabsList .tab", has_text="frameworks").click()
            page.locator(".yasqe_queryButton:visible").click()
            page.locator(".yasr:visible").get_by_text("benchmarks2019", exact=True).first.wait_for(
                timeout=15000)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{path} is {width} px wide at 400 px: a horizontal scrollbar"
        # nothing sticks out of the window, except inside a box that scrolls (or clips) it
        wide = page.eval_on_selector_all("main *", """es => es.filter(e => {
            if (e.getBoundingClientRect().right <= 400.5) return false;
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') return false;
            }
            return true;
        }).map(e => e.tagName + '#' + e.id + '.' + e.className)""")
        assert wide == [], f"{path}: elements beyond the window's right edge: {wide[:5]}"
        if path == "/":
            assert page.locator("#country").bounding_box()["width"] > 150
            assert page.locator("svg#world-map").bounding_box()["width"] <= 400
        if path == "/country/NGA":
            box = page.locator("svg#capacity-chart").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 400
        if name:
            shot(server, page, name, top=2400)
    finally:
        page.set_viewport_size(DESKTOP)
