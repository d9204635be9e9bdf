"""The interface in a real headless Chromium (Debian's package, driven by Playwright).

An investigator logs in, searches, opens a profile, draws and expands the link chart and
judges a pair; a partner agency's investigator does not see what was not shared. Every
page is saved as a screenshot under tests/out/screenshots/. No Content-Security-Policy
violation or script error may happen on the way.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Session:
    def __init__(self, browser: Any, base: str, who: str) -> None:
        self.base, self.who = base, who
        self.context = browser.new_context(viewport={"width": 1360, "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"{message.text} ({message.location.get('url')})")

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{self.who}-{name}.png"), full_page=True)

    def login(self) -> None:
        self.go("/login")
        self.shot("login")
        self.page.fill("input[name=username]", self.who)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/")

    def loaded(self, timeout: float = 60) -> int:
        """Nodes on the chart, once the drawing under way has finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.page.get_attribute("#chart-app", "data-loaded")
            if value:
                return int(value)
            time.sleep(0.2)
        raise AssertionError("the chart did not draw")


def test_investigator_search_profile_chart_review(browser: Any, server: str) -> None:
    s = Session(browser, server, "it.inv")
    s.login()
    s.shot("home")
    s.page.fill("input[name=q]", "0912345678")
    s.page.press("input[name=q]", "Enter")
    s.page.wait_for_selector("ol.hits")
    s.shot("search-phone")
    s.go("/search?q=Osagie")
    s.shot("search")
    assert "it_arrests" in s.page.inner_text(".facets")
    s.page.click("a.caption >> nth=0")
    s.page.wait_for_selector("h1.entity-caption")
    s.shot("entity")
    assert "arrests.csv:2" in s.page.inner_text("table.facts")
    s.page.click("#open-chart")
    s.loaded()
    s.shot("chart")
    # Draw one step around her, then expand her associate: his phone joins the chart.
    s.page.select_option("#depth", "1")
    s.page.click("#load")
    first = s.loaded()
    s.page.evaluate("() => { const cy = window.unweaveChart; cy.nodes().unselect(); "
                    "cy.nodes().filter(n => n.data('label') === 'IBRAHIM Ahmed').select(); }")  # fmt: skip
    s.page.click("#expand")
    grown = s.loaded()
    assert grown > first
    s.page.check("#highlight")
    s.page.click("#png")
    s.shot("chart-expanded")
    s.go("/timeline")
    s.page.wait_for_selector("#timeline-chart[data-drawn]", state="attached")
    s.shot("timeline")
    s.go("/routes")
    s.page.wait_for_selector("#sankey-chart[data-drawn]", state="attached")
    s.shot("routes")
    s.go("/money")
    s.page.wait_for_selector("#money-chart[data-drawn]", state="attached")
    s.shot("money")
    s.go("/review")
    s.shot("review")
    pairs = s.page.locator("section.pair").count()
    assert pairs >= 1
    s.page.fill("section.pair >> nth=0 >> input[name=reason]", "different birth years")
    s.page.click("section.pair >> nth=0 >> button.reject")
    s.page.wait_for_selector("p.ok")
    assert "negative" in s.page.inner_text("p.ok")
    s.shot("review-done")
    s.go("/cases/JIT-T")
    s.shot("case")
    assert s.problems == [], s.problems
    s.context.close()


def test_partner_does_not_see_what_was_not_shared(browser: Any, server: str) -> None:
    s = Session(browser, server, "gb.inv")
    s.login()
    s.go("/search?q=Edosa")
    s.shot("search-unshared")
    assert "0 results" in s.page.inner_text("main")
    s.go("/search?q=Osagie")
    s.page.click("a.caption >> nth=0")
    s.page.wait_for_selector("h1.entity-caption")
    s.shot("entity-shared-part")
    text = s.page.inner_text("main")
    assert "persons.ftm.json" in text
    assert "arrests.csv" not in text and "it_arrests" not in text
    s.page.click("#open-chart")
    s.loaded()
    s.shot("chart")
    kinds = s.page.evaluate("() => window.unweaveChart.nodes().map(n => n.data('kind'))")
    assert "Event" not in kinds
    s.go("/review")
    assert s.page.locator("section.pair").count() == 0
    s.shot("review")
    assert s.problems == [], s.problems
    s.context.close()


def test_shortest_path_between_two_entities_on_the_chart(browser: Any, server: str) -> None:
    s = Session(browser, server, "it.inv")
    s.login()
    s.go("/search?q=Osagie")
    s.page.click("a.caption >> nth=0")
    s.page.wait_for_selector("h1.entity-caption")
    s.page.click("#open-chart")
    s.loaded()
    # The drawn node farthest from her (by the chart's own edges) is the target.
    source, target, hops = s.page.evaluate(
        "() => { const cy = window.unweaveChart; const root = cy.getElementById("
        "document.getElementById('node').value); const d = cy.elements().dijkstra(root); "
        "let far = root; cy.nodes().forEach(n => { const x = d.distanceTo(n); "
        "if (isFinite(x) && x > d.distanceTo(far)) far = n; }); cy.nodes().unselect(); "
        "return [root.id(), far.id(), d.distanceTo(far)]; }"
    )
    assert hops >= 2, (source, target, hops)
    s.page.fill("#path-target", target)
    s.page.click("#path")
    s.page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('path of')"
    )
    s.shot("chart-path")
    on_path = s.page.evaluate("() => window.unweaveChart.$('node.on-path').map(n => n.id())")
    steps = s.page.locator("#details ol > li").count()
    assert source in on_path and target in on_path
    assert 1 <= steps <= hops and len(on_path) == steps + 1
    assert "Shortest path: " in s.page.inner_text("#details h3")
    assert s.problems == [], s.problems
    s.context.close()
