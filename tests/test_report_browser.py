"""The HTML reports in a real browser: headless Chromium (installed by .ci/run)."""

from __future__ import annotations

import itertools
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import PROJECT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

# The charts' colours in templates/_report.html.j2; no table or text is drawn in them.
INCOME = (0x33, 0x66, 0x99)  # also cash, and the aging bars
EXPENSES = (0xCC, 0x88, 0x44)
BUDGET = (0xAA, 0xAA, 0xBB)
FLAGGED = (0xBB, 0x33, 0x33)


def chromium(*args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    return subprocess.run(
        [CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


def screenshot(page: Path, out: Path) -> bytes:
    chromium(f"--screenshot={out}", "--window-size=1000,1400", page.as_uri())
    assert out.is_file() and out.stat().st_size > 5_000, "Chromium made no screenshot"
    return out.read_bytes()


def pixels(png: bytes) -> np.ndarray:
    """The RGB pixels of a screenshot (8-bit, not interlaced, as Chromium writes them)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + width * bpp)
    rows, prior = [], [0] * (width * bpp)
    for y in range(height):
        kind, line = int(raw[y, 0]), raw[y, 1:]
        if kind == 0:
            row = line.tolist()
        elif kind == 2:
            row = ((line.astype(np.int64) + prior) % 256).tolist()
        elif kind == 1:
            row = (np.cumsum(line.reshape(-1, bpp), axis=0, dtype=np.int64) % 256).ravel().tolist()
        else:  # average and Paeth predict from the left, so they go byte by byte
            row, data = [0] * len(line), line.tolist()
            for i, value in enumerate(data):
                left = row[i - bpp] if i >= bpp else 0
                up = prior[i]
                if kind == 3:
                    row[i] = (value + (left + up) // 2) & 255
                    continue
                corner = prior[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                row[i] = (value + guess) & 255
        rows.append(row)
        prior = row
    return np.array(rows, dtype=np.uint8).reshape(height, width, bpp)[:, :, :3]


def painted(image: np.ndarray, colour: tuple[int, int, int]) -> int:
    return int(np.all(image == colour, axis=2).sum())


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
    assert painted(pixels(with_chart), INCOME) > 500, "the aging bars are drawn"
    assert painted(pixels(without), INCOME) == 0


@pytest.mark.parametrize(
    ("kind", "colours"),
    [
        ("pnl", (INCOME, EXPENSES)),  # income and expenses by month
        ("balance", (INCOME,)),  # cash at each month end
        ("budget", (BUDGET, FLAGGED)),  # budget and actual side by side
    ],
)
def test_the_charts_show_in_a_screenshot(kind, colours, bo, tmp_path):
    page = tmp_path / f"{kind}.html"
    result = bo("report", kind, "--period", "2025-09", "--format", "html", "--out", str(page),
                "--books", str(PROJECT))  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    image = pixels(screenshot(page, tmp_path / f"{kind}.png"))
    for colour in colours:
        assert painted(image, colour) > 1_000, (kind, colour)


BAND = (0xD5, 0xE3, 0xF0)  # the forecast's band, bo/forecast/chart.py


def test_the_forecast_chart_shows_dated_weeks_values_the_minimum_and_the_band(bo, tmp_path):
    page = tmp_path / "forecast.html"
    result = bo("forecast", "--as-of", "2025-09-30", "--format", "html", "--out", str(page),
                "--books", str(PROJECT))  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    dom = chromium("--dump-dom", page.as_uri()).stdout
    # Dated along the bottom: the as-of day, then every week's end.
    dates = re.findall(r'<text class="date"[^>]*>([^<]+)</text>', dom)
    assert dates[0] == "Sep 30" and dates[1] == "Oct 7" and dates[-1] == "Dec 30"
    assert len(dates) == 14
    # Round values up the side, rising by one step.
    ticks = [
        int(t.replace(",", "")) for t in re.findall(r'<text class="tick"[^>]*>([\d,-]+)<', dom)
    ]
    assert len(ticks) >= 4 and len({b - a for a, b in itertools.pairwise(ticks)}) == 1
    assert ticks[0] <= 15000 < ticks[-1]
    assert ">minimum 15,000.00 USD</text>" in dom

    image = pixels(screenshot(page, tmp_path / "forecast.png"))
    assert painted(image, BAND) > 5_000, "the band is drawn"
    assert painted(image, FLAGGED) > 300, "the minimum line is drawn"
    assert painted(image, INCOME) > 500, "the base case's line is drawn"
    text = page.read_text()
    start = text.index('<polygon class="band"')
    bare = tmp_path / "no-band.html"
    bare.write_text(text[:start] + text[text.index("</polygon>", start) + 10 :])
    assert painted(pixels(screenshot(bare, tmp_path / "no-band.png")), BAND) < 300
