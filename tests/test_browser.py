"""The web app in headless Chromium: the page loads, shows the markers, filters, opens an
event with its highlighted evidence (article text escaped), and records a review.

Debian's Chromium is driven by Playwright with the system browser (never a downloaded
one). Without Chromium, Playwright or the built web app (`make web`) these tests skip and
say which is missing; `make test` builds the web app and CI installs Chromium first.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from news_samples import CIVILIANS, STRIKE_TYPE, report, sample_reports
from rasd.model import Article

CHROMIUM = os.environ.get("RASD_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
pytest.importorskip("uvicorn", reason="the server extra (uvicorn) is not installed")
from rasd.server.app import STATIC_DIR, create_app  # noqa: E402
from rasd.store import open_store  # noqa: E402

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not (STATIC_DIR / "index.html").is_file(), reason="the web app is not built (make web)"),
]

HOSTILE = Article(
    id="hostile",
    text='قصفت طائرات حربية بلدة كفرنبل <img src=x onerror="window.__pwned=1"> اليوم <b>الخميس</b>.'
    ' <script>window.__pwned=3</script>',
    published=date(2019, 6, 13),
    source="<script>window.__pwned=2</script>",
)


def fill(path: Path) -> None:
    with open_store(str(path)) as store:
        for article, reports in sample_reports():
            store.add(article, reports)
        store.add(HOSTILE, [report(
            HOSTILE, 0, {"trigger": "قصفت", "location": "كفرنبل", "event_date": "اليوم"},
            **STRIKE_TYPE, location="Kafr Nabl", latitude=35.61, longitude=36.56, admin1="Idleb",
            event_date=date(2019, 6, 13), actor2=CIVILIANS, fatalities=0, notes='<i>not italic</i> on 13 June',
        )])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    db = tmp_path_factory.mktemp("browser") / "web.db"
    fill(db)
    port = free_port()
    config = uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="error")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _open(browser: Any, server: str, bypass_csp: bool) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1500, "height": 950}, bypass_csp=bypass_csp)
    opened = context.new_page()
    opened.set_default_timeout(5_000)
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.goto(server + "/")
    opened.wait_for_selector("body[data-loaded=true]", timeout=10_000)
    yield opened
    context.close()
    assert errors == [], errors


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    """The page, its Content-Security-Policy bypassed: Playwright's wait_for_function evaluates
    strings in the page, which the policy (rightly) forbids."""
    yield from _open(browser, server, bypass_csp=True)


@pytest.fixture()
def strict_page(browser: Any, server: str) -> Iterator[Any]:
    """The page as a browser shows it, with its Content-Security-Policy enforced."""
    yield from _open(browser, server, bypass_csp=False)


def test_page_shows_markers_timeline_table(strict_page: Any) -> None:
    page = strict_page
    assert page.locator("path.rasd-marker").count() == 4  # one per located event
    assert page.locator("#events-table tbody tr").count() == 4
    assert page.locator("#counts").inner_text() == "4 events"
    assert page.locator("#timeline rect.bar").count() >= 3
    assert page.locator("path.leaflet-interactive").count() >= 4


def test_filters_narrow_map_and_table(page: Any) -> None:
    page.select_option("select[name=type]", "Battles")
    page.click("#apply")
    page.wait_for_function("document.querySelectorAll('path.rasd-marker').length === 1")
    assert page.locator("#events-table tbody tr").count() == 1
    assert "type=Battles" in page.locator("#export-acled-csv").get_attribute("href")
    page.click("#clear-filters")
    page.wait_for_function("document.querySelectorAll('path.rasd-marker').length === 4")
    page.fill("input[name=q]", "طفلان")
    page.press("input[name=q]", "Enter")
    page.wait_for_function("document.querySelectorAll('#events-table tbody tr').length === 1")
    assert page.locator("#events-table tbody tr").get_attribute("data-event-id") == "orient-0612-0"


def test_open_event_shows_highlighted_arabic_evidence(page: Any) -> None:
    # A marker may sit under another at this zoom: send the click to this one.
    page.locator("path.rasd-marker[data-event-id='orient-0612-0']").dispatch_event("click")
    page.wait_for_selector("#panel .article mark.ev")
    assert page.locator("#panel").get_attribute("data-event-id") == "orient-0612-0"
    article = page.locator("#panel .article")
    assert article.get_attribute("dir") == "rtl" and article.get_attribute("lang") == "ar"
    assert article.locator("mark.ev-trigger").first.inner_text() == "غارات جوية"
    assert article.locator("mark.ev-location").first.inner_text() == "خان شيخون"
    assert article.locator("mark.ev-event_date").count() == 1 and article.locator("mark.ev-fatalities").count() == 1
    assert "Reported fatalities 4–6; coded 4." in page.locator("#panel .spread").inner_text()
    assert page.locator("#panel .tabs button").count() == 2
    page.locator("#panel .tabs button").nth(1).click()
    page.wait_for_function("document.querySelector('#panel .article')?.textContent.includes('طفلان')")
    assert page.locator("#panel .article mark.ev-fatalities").inner_text() == "ستة"


def test_untrusted_text_is_shown_not_run(strict_page: Any) -> None:
    page = strict_page
    page.locator("#events-table tbody tr[data-event-id='hostile-0']").click()
    page.wait_for_selector("#panel .article mark.ev-trigger")
    article = page.locator("#panel .article")
    assert '<img src=x onerror="window.__pwned=1">' in article.inner_text()
    assert "<script>window.__pwned=3</script>" in article.inner_text()
    assert article.locator("img, b, script").count() == 0 and page.locator("#panel i").count() == 0
    assert "<i>not italic</i>" in page.locator("#panel .notes").inner_text()
    assert page.evaluate("window.__pwned === undefined")


def test_review_from_the_panel(page: Any) -> None:
    page.fill("#reviewer", "amal")
    page.locator("#events-table tbody tr[data-event-id='orient-0612-2']").click()
    page.wait_for_selector("#review-confirm")
    page.click("#review-confirm")
    page.wait_for_function("document.querySelector('#review-state').textContent === 'confirmed'")
    assert "confirm by amal" in page.locator("#panel .history").inner_text()
    row = page.locator("#events-table tbody tr[data-event-id='orient-0612-2'] .badge")
    row.wait_for()
    page.wait_for_function(
        "document.querySelector(\"#events-table tr[data-event-id='orient-0612-2'] .badge\").textContent === 'confirmed'"
    )


def test_edit_from_the_panel_changes_only_what_was_changed(page: Any) -> None:
    page.fill("#reviewer", "omar")
    page.locator("#events-table tbody tr[data-event-id='orient-0612-1']").click()
    page.wait_for_selector("#review-edit")
    page.click("#review-edit")
    page.fill("#edit-form input[name=fatalities]", "5")
    page.fill("#edit-form input[name=_note]", "hospital list")
    page.click("#edit-save")
    page.wait_for_function("document.querySelector('#review-state').textContent === 'edited'")
    history = page.locator("#panel .history").inner_text()
    assert "edit by omar" in history and "fatalities: 2 → 5" in history and "hospital list" in history
    assert "event_date" not in history and "latitude" not in history
    page.wait_for_function(
        "document.querySelector(\"#events-table tr[data-event-id='orient-0612-1'] td.num\").textContent === '5'"
    )
