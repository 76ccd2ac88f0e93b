"""bo's page in fava (`custom "fava-extension" "bo.fava"`), served by fava's own app.

After `bo close 2025-09` on the demo books, a bookkeeper who opens fava sees September's
open close with its steps, the open reconciling items of each account and the planted
duplicate, each linking to its line in fava's editor. A page over books bo cannot read says
why, and fava keeps working.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path

import pytest

pytest.importorskip("fava")
from fava.application import create_app

EXTENSION = '\n2024-10-01 custom "fava-extension" "bo.fava"\n'
PAGE = "/{slug}/extension/BoClose/"


def with_extension(books: Path) -> Path:
    ledger = books / "ledgers/main.beancount"
    ledger.write_text(ledger.read_text() + EXTENSION)
    return ledger


def fetch_page(ledger: Path) -> tuple[int, str, list]:
    """The page as fava serves it, and fava's own errors for the ledger."""
    fava = create_app([str(ledger)], load=True)
    ledgers = fava.config["LEDGERS"]
    slug = ledgers.first_slug()
    response = fava.test_client().get(PAGE.format(slug=slug))
    return response.status_code, response.get_data(as_text=True), list(ledgers[slug].errors)


def editor_links(html: str) -> set[tuple[str, int]]:
    """(file name, line) of every link into fava's editor."""
    found = re.findall(r'href="[^"]*/editor/\?([^"]*)"', html)
    out = set()
    for query in found:
        args = dict(part.split("=", 1) for part in unescape(query).split("&"))
        out.add((Path(args["file_path"]).name, int(args["line"])))
    return out


@pytest.fixture(scope="module")
def served(closed_september: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    books = tmp_path_factory.mktemp("fava") / "books"
    shutil.copytree(closed_september, books)
    ledger = with_extension(books)
    before = snapshot(books)
    status, html, errors = fetch_page(ledger)
    assert errors == [], errors  # the extension loaded: no "Importing module bo.fava failed"
    assert snapshot(books) == before, "the page wrote into the books"
    return status, html


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file in the books (git's own folder too) with its size and modification time."""
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


def test_fava_serves_the_page_with_septembers_open_close(served):
    status, html = served
    assert status == 200
    assert re.search(r"<td>month-end</td><td>2025-09</td><td>open</td>", html)
    assert "month-end 2025-09: open" in html
    for step, state in (("bank-rec", "failed"), ("duplicates", "failed"), ("cutoff", "passed")):
        assert re.search(rf">{step}</td>\s*<td>{state}</td>", html), step
    assert "not signed" in html


def test_the_open_reconciling_items_are_listed_with_links(served):
    _, html = served
    checking = html[
        html.index("<h3>Assets:Bank:Checking</h3>") : html.index("<h3>Assets:Bank:Savings")
    ]
    assert "not reconciled" in checking
    for text in (
        "INCOMING WIRE FEE",  # on the statement, not in the books
        "FERNWOOD PHOTOGRAPHY",  # transposed amount
        "Check 1136",  # outstanding check
        "Acme Robotics",  # deposit in transit
    ):
        assert text in checking, text
    links = editor_links(checking)
    assert {("2025.beancount", 3619), ("2025.beancount", 3698), ("2025.beancount", 3704)} <= links


def test_the_planted_duplicate_is_listed_with_both_entries(served):
    _, html = served
    dupes = html[html.index("<h2>Open duplicates</h2>") :]
    assert "duplicate payment" in dupes and "PP-2025-0016" in dupes
    assert {("2025.beancount", 3407), ("2025.beancount", 3575)} <= editor_links(dupes)


def test_text_from_the_books_is_escaped(closed_september, tmp_path):
    books = tmp_path / "books"
    shutil.copytree(closed_september, books)
    record = books / "closes/2025-09.yaml"
    text = record.read_text().replace(
        "summary: 1 uncategorized posting", "summary: <script>alert(1)</script>", 1
    )
    assert text != record.read_text()
    record.write_text(text)
    status, html, _ = fetch_page(with_extension(books))
    assert status == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_broken_close_record_is_said_on_the_page_and_fava_goes_on(closed_september, tmp_path):
    books = tmp_path / "books"
    shutil.copytree(closed_september, books)
    record = books / "closes/2025-09.yaml"
    record.write_text(record.read_text() + "explanatoins: {}\n")
    ledger = with_extension(books)
    status, html, errors = fetch_page(ledger)
    assert status == 200
    assert "bo could not read these books" in html and "explanatoins" in html
    assert errors == []


def test_a_ledger_outside_any_books_gets_a_page_that_says_so(tmp_path):
    ledger = tmp_path / "main.beancount"
    ledger.write_text('option "operating_currency" "USD"' + EXTENSION)
    status, html, errors = fetch_page(ledger)
    assert status == 200
    assert "bo could not read these books" in html and "bo.yaml" in html
    assert errors == []


# --- a real fava process and a real browser ------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_the_page_in_a_browser_from_a_fava_process(closed_september, tmp_path):
    books = tmp_path / "books"
    shutil.copytree(closed_september, books)
    ledger = with_extension(books)
    port = free_port()
    fava = Path(sys.executable).with_name("fava")
    server = subprocess.Popen(
        [str(fava), "--host", "127.0.0.1", "--port", str(port), str(ledger)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/", timeout=30) as answer:
                    slug = answer.url.split("/")[3]
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ]

        def browse(url: str) -> str:
            return subprocess.run(
                [CHROMIUM, *flags, url], capture_output=True, text=True, timeout=120, check=False
            ).stdout

        dom = browse(base + PAGE.format(slug=slug))
        # The duplicate's second entry, followed as a person clicks it: fava's editor opens
        # the ledger there (its editor draws only the lines in view).
        link = re.search(r'href="([^"]*/editor/\?[^"]*line=3575[^"]*)"', dom)
        assert link, "no editor link to the duplicate's entry"
        editor = browse(base + unescape(link.group(1)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    # What fava's frontend shows once its scripts ran: the page, inside fava's own layout.
    assert "month-end 2025-09: open" in dom
    assert "INCOMING WIRE FEE" in dom and "PP-2025-0016" in dom
    # fava's frontend drew its sidebar, with the extension's page in it.
    assert re.search(r'<a href="/[^"]+/extension/BoClose/"[^>]*>Close', dom)
    assert "ACH payment for PP-2025-0016" in unescape(re.sub(r"<[^>]+>", "", editor))
