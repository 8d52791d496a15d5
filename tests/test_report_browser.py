"""The report in a real headless Chromium: loads offline without errors, charts draw, tooltips work.

Chromium comes from the system packages (`apt-get install chromium`); Playwright only drives it
and never downloads a browser of its own. Without /usr/bin/chromium the tests skip. A screenshot
is saved to pytest's tmp_path, and to $RUEXTRACT_SCREENSHOT when that is set (the README's).
$RUEXTRACT_REPORT points the tests at an existing report.html instead of the seed run's.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.report import write_report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no system Chromium at /usr/bin/chromium "
                                                               "(apt-get install chromium)")


@pytest.fixture(scope="module")
def report_file(request, tmp_path_factory) -> Path:
    if os.environ.get("RUEXTRACT_REPORT"):
        return Path(os.environ["RUEXTRACT_REPORT"]).resolve()
    out, _ = request.getfixturevalue("seed_run")
    return write_report(out, tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, report_file):
    """The report opened from disk; every request and console error is recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    page.problems, page.requests = [], []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(report_file.as_uri(), wait_until="load")
    yield page
    context.close()


def test_page_loads_offline_without_errors(page):
    assert page.title().startswith("ruextract report")
    assert page.problems == []
    outside = [u for u in page.requests if not u.startswith(("file:", "data:", "blob:", "about:"))]
    assert outside == [], "the report must not reach the network"


def test_charts_render(page):
    boxes = page.locator("figure.chart")
    assert boxes.count() == 3
    drawn = 0
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.locator(".empty").count():
            continue
        box.locator("svg.main-svg").first.wait_for(state="attached", timeout=10_000)
        assert box.locator("g.trace.bars path").count() > 0
        drawn += 1
    assert drawn >= 1, "the seed article names countries and organizations: at least one chart has bars"
    assert page.problems == []


def test_hovering_a_mention_shows_its_normalized_form(page):
    # a highlight whose text differs from its normal form: the tooltip must show the normal form
    marks = page.locator("mark.hl[data-normal]")
    target = None
    for i in range(marks.count()):
        m = marks.nth(i)
        if m.get_attribute("data-normal") and m.get_attribute("data-normal") != m.inner_text():
            target = m
            break
    assert target is not None
    normal = target.get_attribute("data-normal")
    tip = page.locator("#tip")
    assert tip.is_hidden()
    target.scroll_into_view_if_needed()
    target.hover()
    assert tip.is_visible()
    assert normal in tip.inner_text()
    page.mouse.move(0, 0)
    assert tip.is_hidden()


def test_figures_table_sorts_by_value(page):
    table = page.locator("#figures-table")
    if not table.count():
        pytest.skip("no figures in the seed run")
    table.locator("th", has_text="value").first.click()
    values = [v for v in table.locator("tbody td:nth-child(4)").all_inner_texts() if v]
    assert values and [float(v) for v in values] == sorted(float(v) for v in values)
    table.locator("th", has_text="value").first.click()
    values = [v for v in table.locator("tbody td:nth-child(4)").all_inner_texts() if v]
    assert [float(v) for v in values] == sorted((float(v) for v in values), reverse=True)


def test_figure_links_open_their_article(page):
    link = page.locator("#figures-table a").first
    if not link.count():
        pytest.skip("no figures in the seed run")
    target = page.locator(link.get_attribute("href"))
    target.evaluate("el => el.open = false")
    link.click()
    assert target.evaluate("el => el.open")
    assert target.locator(".text").is_visible()


def test_screenshot(browser, report_file, tmp_path):
    """The top of the report (summary, charts, figures, first article) with a tooltip open."""
    context = browser.new_context(viewport={"width": 1280, "height": 1640}, device_scale_factor=1)
    page = context.new_page()
    page.goto(report_file.as_uri(), wait_until="load")
    page.locator("svg.main-svg").first.wait_for(state="attached", timeout=10_000)
    marks = [page.locator(f".text mark.hl-{kind}").first for kind in ("country", "organization", "LOC")]
    mark = next((m for m in marks if m.count()), None)
    if mark is not None:
        mark.hover()
        assert page.locator("#tip").is_visible()
        box = page.locator("#tip").bounding_box()  # grow the picture to show the whole tooltip
        page.set_viewport_size({"width": 1280, "height": int(min(max(box["y"] + box["height"] + 16, 1000), 1900))})
        mark.hover()
    paths = [tmp_path / "report.png"]
    if os.environ.get("RUEXTRACT_SCREENSHOT"):
        paths.append(Path(os.environ["RUEXTRACT_SCREENSHOT"]))
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000
    context.close()
