"""The HTML reports in a real browser: headless Chromium (installed by .ci/run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def chromium(*args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    return subprocess.run(
        [CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


def screenshot(page: Path, out: Path) -> bytes:
    chromium(f"--screenshot={out}", "--window-size=1000,1400", page.as_uri())
    assert out.is_file() and out.stat().st_size > 5_000, "Chromium made no screenshot"
    return out.read_bytes()


def test_html_report_renders_charts_and_shows_a_script_payee_as_text(demo, bo, tmp_path):
    ledger = demo / "ledgers/2025.beancount"
    ledger.write_text(
        ledger.read_text().replace('"Bellweather Foods"', '"<script>alert(1)</script>"')
    )
    page = tmp_path / "aging.html"
    result = bo("report", "aging-ar", "--period", "2025-09", "--format", "html",
                "--out", str(page), cwd=demo)  # fmt: skip
    assert result.exit_code == 0, result.stderr

    dom = chromium("--dump-dom", page.as_uri()).stdout
    assert "<script>" not in dom  # no script element came out of the payee
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # it is shown as text
    assert "<svg" in dom and "<rect" in dom

    with_chart = screenshot(page, tmp_path / "with.png")
    text = page.read_text()
    bare = tmp_path / "bare.html"
    bare.write_text(text[: text.index("<figure")] + text[text.index("</figure>") + 9 :])
    without = screenshot(bare, tmp_path / "without.png")
    assert with_chart != without  # the chart is drawn: the page looks different without it
