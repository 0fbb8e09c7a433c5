"""The clinician's page in a real browser: search, group by gene, filter, disease page, keyboard only."""

import json
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import expect

from tests.browser.conftest import serve, shot
from tests.conftest import MARFAN_QUERY, make_settings


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
    page.locator(".result h3 a", has_text="Marfan syndrome").first.click()
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
    while page.evaluate("document.activeElement.closest('.result h3') === null"):
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


def test_hostile_query_runs_no_script_in_the_page(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for q in ('"><img src=x onerror=alert(1)>', "<script>alert(2)</script> marfan", "javascript:alert(3)"):
        page.goto("/?" + urlencode({"q": q}))
        assert page.locator("#q").input_value() == q  # kept as text, in the box
    page.wait_for_timeout(300)
    assert dialogs == [] and page.console_errors == []


def test_evaluation_form_asks_for_the_admin_key_when_one_is_set(browser, trained):
    data_dir, _ = trained
    with serve(make_settings(data_dir, admin_api_key="browser-key")) as url:
        context = browser.new_context(base_url=url)
        pg = context.new_page()
        pg.goto("/evaluations")
        pg.select_option("select[name=set]", "dev")
        pg.fill("#api-key", "wrong")
        pg.click("button[type=submit]")
        expect(pg.locator("#form-error")).to_contain_text("the API key in the request is wrong")
        pg.fill("#api-key", "browser-key")
        pg.click("button[type=submit]")
        pg.wait_for_url("**/evaluations/*")
        assert pg.locator("h1").count() == 1
        context.close()


def test_enter_searches_and_shift_enter_adds_a_line(page):
    page.goto("/")
    page.focus("#q")
    page.keyboard.type("long fingers")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("dislocated lens")
    assert page.input_value("#q") == "long fingers\ndislocated lens" and "q=" not in page.url
    page.keyboard.press("Enter")
    page.wait_for_selector(".results")
    assert page.input_value("#q") == "long fingers\ndislocated lens"


def test_after_a_search_focus_is_on_the_answer_and_the_first_result_is_near(page):
    page.goto("/")
    page.fill("#q", MARFAN_QUERY)
    page.focus("#q")
    page.keyboard.press("Enter")
    page.wait_for_selector(".results")
    assert page.evaluate("document.activeElement.id") == "results-heading"
    for tabs in range(1, 4):  # at most the "pick a term" link of the phrases not understood comes first
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#r1 h3') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('#r1 h3') !== null") and tabs <= 2


def test_skip_link_is_the_first_tab_stop(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "q"


def test_nonsense_gets_an_honest_answer_in_the_browser(page):
    page.goto("/")
    page.fill("#q", "qqqqzzzz")
    page.click("button[type=submit]")
    expect(page.locator("#results-heading")).to_have_text("No recognised findings")
    assert page.locator(".result").count() == 0


def test_counter_and_error_page_keep_the_query(page):
    page.goto("/")
    page.fill("#q", "long fingers " + "x" * 1988)
    expect(page.locator("#q-count")).to_have_text("2,001 / 2,000 characters: 1 too many, shorten it to the key findings")
    page.focus("#q")
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-heading")
    assert page.input_value("#q") == "long fingers " + "x" * 1988  # nothing lost, nothing cut
    assert "the limit is 2,000" in page.locator("#error-message").inner_text()
    assert page.evaluate("document.activeElement.id") == "error-heading"


def test_a_finding_is_picked_from_the_suggestions_with_the_keyboard_alone(page):
    """Type part of a name in "Finding to add", move down the suggestions with the arrow key, Enter:
    the term is added to the same search as a chip."""
    page.goto("/?" + urlencode({"q": "long fingers"}))
    page.wait_for_selector(".results")
    box = page.locator("#add-term")
    box.focus()
    page.keyboard.type("arachno")
    option = page.locator("#term-options li[data-hpo='HP:0001166']")
    expect(option).to_be_visible()
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    expect(page.locator("#term-options li[aria-selected=true]")).to_have_count(1)
    first = page.locator("#term-options li").first.get_attribute("data-hpo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "add=HP%3A" in url)
    page.wait_for_selector(".results")
    assert first == "HP:0001166"
    assert page.locator(f".chip[data-hpo='{first}']").is_visible()  # the chosen term is now a finding
    assert page.input_value("#q") == "long fingers"
    assert page.console_errors == []


def test_findings_download_as_a_phenopacket(page):
    _search(page, MARFAN_QUERY)
    with page.expect_download() as download:
        page.click("text=Download these findings as a GA4GH phenopacket")
    packet = json.loads(Path(download.value.path()).read_text())
    assert [f["type"]["id"] for f in packet["phenotypicFeatures"]][:2] == ["HP:0100807", "HP:0001083"]
    assert packet["metaData"]["phenopacketSchemaVersion"] == "2.0"
