"""End to end in headless Chromium: a user pastes the example article into the page served by
`newsgist serve`, gets three bullets, clicks one and sees its source sentence highlighted.
Needs Debian's chromium (`.ci/run` installs it) and the playwright package (the `dev` extra)."""

from __future__ import annotations

import shutil

import pytest

from newsgist.server import running_server

from .conftest import EXAMPLE_PAGE, ROOT
from .test_compress import is_deletion_of

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def server_url():  # type: ignore[no-untyped-def]
    with running_server() as server:
        yield server.url


def test_paste_summarize_click_shows_source(server_url: str) -> None:
    if not EXAMPLE_PAGE.exists():
        pytest.skip("../shared/examples is not beside the repo")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(server_url + "/")
        page.fill("#text", EXAMPLE_PAGE.read_text(encoding="utf-8"))
        page.click("#go")
        page.wait_for_selector("#highlights li", timeout=30_000)
        bullets = page.locator("#highlights li")
        assert bullets.count() == 3
        assert page.locator("#title").inner_text() == "ISIS comes to Libya"
        second = bullets.nth(1)
        second.click()
        sources = [int(i) for i in second.get_attribute("data-sources").split(",")]
        highlighted = page.locator("#article .sentence.source")
        assert highlighted.count() == len(sources)
        assert highlighted.first.get_attribute("id") == f"s{sources[0]}"
        trimmed = 0
        for k in range(bullets.count()):  # a trimmed bullet shows its whole sentence on hover
            bullet = bullets.nth(k)
            bullet.click()
            source = page.locator("#article .sentence.source").first.inner_text().strip()
            text = bullet.inner_text().split(" [sentence")[0].strip()
            assert is_deletion_of(text, source)
            assert bullet.get_attribute("title") == (f"trimmed from: {source}" if text != source else None)
            trimmed += text != source
        assert trimmed  # the default method trims (this page's first bullet loses an aside)
        assert "Noman Benotman" in page.locator("#entities").inner_text()
        page.screenshot(path=str(ARTIFACTS / "browser-highlights.png"), full_page=True)
        browser.close()
    assert (ARTIFACTS / "browser-highlights.png").stat().st_size > 10_000
