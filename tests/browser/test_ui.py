"""The clinician's page in a real browser: search, group by gene, filter, disease page, keyboard only."""

from tests.browser.conftest import shot
from tests.conftest import MARFAN_QUERY


def _search(page, query: str) -> None:
    page.goto("/")
    page.fill("#q", query)
    page.click("button[type=submit]")
    page.wait_for_selector(".results, .empty, .genes-view")


def test_search_shows_grouped_results_with_evidence(page):
    _search(page, MARFAN_QUERY)
    assert page.input_value("#q") == MARFAN_QUERY  # the box keeps the query
    marfan = page.locator(".result", has_text="Marfan syndrome").first
    assert marfan.is_visible()
    assert marfan.locator("a.source").all_inner_texts() == ["OMIM:154700", "ORPHA:558"]
    assert marfan.locator(".snippet b").count() > 0
    assert "neural #" in marfan.locator(".ranks").inner_text()
    assert page.locator(".attention .att").count() > 0
    assert "decision support" in page.locator("footer").inner_text()
    assert page.console_errors == []  # no script or CSP errors
    shot(page, "search-results")


def test_group_by_gene_and_source_filter(page):
    _search(page, MARFAN_QUERY)
    page.check("input[name=group_by][value=gene]")
    page.click("button[type=submit]")
    page.wait_for_selector(".genes-view")
    assert page.locator("#gene-FBN1").is_visible()
    assert "Marfan syndrome" in page.locator("#gene-FBN1").inner_text()
    shot(page, "group-by-gene")
    page.check("input[name=group_by][value=disease]")
    page.select_option("#source", "ORPHA")
    page.click("button[type=submit]")
    page.wait_for_selector(".results")
    sources = page.locator(".result a.source").all_inner_texts()
    assert sources and all(s.startswith("ORPHA:") for s in sources)


def test_open_a_disease_page(page):
    _search(page, MARFAN_QUERY)
    page.locator(".result h2 a", has_text="Marfan syndrome").first.click()
    page.wait_for_selector("h1")
    assert "Marfan syndrome" in page.locator("h1").inner_text()
    assert page.locator(".features li", has_text="Arachnodactyly").count() >= 1
    assert page.console_errors == []
    shot(page, "disease-page")


def test_keyboard_only(page):
    page.goto("/")
    page.keyboard.press("Tab")  # brand link
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(MARFAN_QUERY)
    while page.evaluate("document.activeElement.tagName") != "BUTTON":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".results")
    while page.evaluate("document.activeElement.closest('.result h2') === null"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1")
    assert page.url.split("/diseases/")[1]
    shot(page, "keyboard")


def test_evaluation_and_model_pages_render_without_errors(page):
    for path in ("/evaluations", "/model?q=long+fingers"):
        page.goto(path)
        assert page.locator("h1").count() == 1
    assert page.locator("img[alt^='Character embeddings']").evaluate("img => img.naturalWidth") > 0
    assert page.console_errors == []
