"""The query page of `kgraph serve` works offline: a real headless Chromium runs a query with the network cut."""
from __future__ import annotations

import os
import shutil

import pytest

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_serve_query_page_runs_a_query_offline(server):
    if not shutil.which(CHROMIUM) and not os.environ.get("CI"):  # .ci/run installs it: in CI this fails
        pytest.skip("no Chromium at /usr/bin/chromium")
    from playwright import sync_api
    blocked = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()

            def only_local(route):
                if route.request.url.startswith(server.url):
                    route.continue_()
                else:  # anything off this server would fail on an offline machine
                    blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", only_local)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server.url + "/")
            page.wait_for_selector(".CodeMirror", timeout=15000)
            page.evaluate(
                "() => document.querySelector('.CodeMirror').CodeMirror.setValue("
                "'PREFIX kg: <https://w3id.org/kgraph/ontology#> SELECT ?p ?o WHERE { ?p kg:leads ?o }')"
            )
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".yasr table td", timeout=15000)
            text = page.inner_text(".yasr")
        finally:
            browser.close()
    assert "amina-korlan" in text and "green-valley-party" in text
    assert errors == []
    # only the optional prefix autocompletion (prefix.cc) reaches out; the page does not need it
    assert all("prefix.cc" in url or "lov.linkeddata.es" in url for url in blocked), blocked
