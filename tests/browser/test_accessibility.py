"""Accessibility and layout in Chromium: axe-core (through axe-playwright-python) on every page at desktop
and phone widths, no sideways scrolling down to 320 px (400% zoom of 1280), nothing loaded from outside."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import shot
from tests.conftest import MARFAN_QUERY

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def run_page(live_url) -> str:
    """An evaluation run's page, once the run is done (its tables and chart are drawn)."""
    queries = [{"query": MARFAN_QUERY, "gold": ["OMIM:154700"]}, {"query": "seizures", "gold": ["OMIM:154700"]}]
    run = httpx.post(f"{live_url}/api/evaluations", json=queries).json()
    for _ in range(600):
        if httpx.get(f"{live_url}{run['links']['self']}").json()["status"] == "done":
            return run["links"]["page"]
        time.sleep(0.1)
    raise AssertionError("the evaluation run did not finish")


def _pages(run_page: str) -> list[str]:
    return ["/", "/?" + urlencode({"q": MARFAN_QUERY}), "/?" + urlencode({"q": MARFAN_QUERY, "group_by": "gene"}),
            "/?q=qqqqzzzz", "/?" + urlencode({"q": "x" * 2001}), "/diseases/OMIM:154700", "/diseases/OMIM:999999",
            "/model", "/model?q=long+fingers", "/evaluations", run_page]


@pytest.fixture(params=list(WIDTHS))
def sized(request, browser, live_url):
    width, height = WIDTHS[request.param]
    context = browser.new_context(base_url=live_url, viewport={"width": width, "height": height})
    page = context.new_page()
    yield request.param, page
    context.close()


def _settled(page, path: str) -> None:
    page.goto(path)
    if path.startswith("/evaluations/"):
        page.wait_for_selector("#results svg.chart")


def test_axe_finds_no_serious_or_critical_violation(sized, run_page):
    name, page = sized
    axe = Axe()
    found = {}
    for path in _pages(run_page):
        _settled(page, path)
        violations = axe.run(page).response["violations"]
        blocking = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                    for v in violations if v["impact"] in BLOCKING]
        if blocking:
            found[path] = blocking
    assert found == {}, f"axe-core at {name} width"


@pytest.mark.parametrize("width", [390, 320])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_url, run_page, width):
    context = browser.new_context(base_url=live_url, viewport={"width": width, "height": 700})
    page = context.new_page()
    wide = {}
    for path in _pages(run_page):
        _settled(page, path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
    assert wide == {}
    context.close()


def test_phone_shows_the_form_whole_and_results_first(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/?" + urlencode({"q": MARFAN_QUERY}))
    button = page.locator("#search-form button[type=submit]").bounding_box()
    assert 0 <= button["x"] and button["x"] + button["width"] <= 390  # the Search button is on screen
    first = page.locator("#r1").bounding_box()
    side = page.locator(".answer-side").bounding_box()
    scrolled = page.evaluate("window.scrollY")
    assert first["y"] + scrolled < 844  # the first result starts on the first screen
    assert side["y"] > first["y"]  # findings, questions and attention come after the results
    shot(page, "phone-results")
    context.close()


def test_no_page_loads_anything_from_outside(browser, live_url, run_page):
    context = browser.new_context(base_url=live_url)
    page = context.new_page()
    outside, csp = [], []
    page.on("request", lambda r: r.url.startswith((live_url, "data:", "blob:")) or outside.append(r.url))
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
    for path in [*_pages(run_page), "/docs"]:
        _settled(page, path)
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)  # Swagger UI rendered under the CSP
    assert outside == [] and csp == []
    context.close()
