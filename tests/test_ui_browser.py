"""The country dashboard in headless Chromium, as a person sees it, on a live ``hsfhs serve``.

Debian's /usr/bin/chromium is driven through the PyPI ``playwright`` package (never
``playwright install``: the machines have no internet). The server is started the way a
user starts it (``python -m hsfhs serve``) on 127.0.0.1 and a free port, and stopped at
the end. What is checked is what a reader gets: the country's name, the capacities that
block a function, one chart bar per capacity, and the actions of the plan.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from qs_data import capacity_score, espar_rows, expected_gaps, gho_values, query_store
from service_fixtures import LiveServer

from hsfhs.query_service.named_queries import load_queries

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("ui-server") / "serve.log"
    live = LiveServer.start(query_store(), log)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context()
        # Nothing may come from outside the server: no CDN, no fonts, no analytics.
        outside: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(server.url)
                else (outside.append(route.request.url), route.abort())
            ),
        )
        tab = context.new_page()
        tab.outside = outside  # type: ignore[attr-defined]
        yield tab
        browser.close()


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
    chemical.locator("summary").click()
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
    page.fill("#iso3", "ken")
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
