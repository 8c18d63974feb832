"""The printable HTML exports printed by a real browser: what reaches the paper.

Headless Chromium prints each page to PDF, pdftoppm rasterises it, and the pixels are read
(PPM, no imaging library): every table's outer border must be on the page.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from xtalent.export import export_checklist, export_dispatch, export_handover
from xtalent.models import InterchangeDocument
from xtalent.paths import demo_file

TODAY = date(2026, 11, 23)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOPPM = shutil.which("pdftoppm")
HEAD = (0xE8, 0xEE, 0xF5)  # thead th's background (export/html.py --head)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None or PDFTOPPM is None, reason="needs chromium and pdftoppm (poppler-utils)"),
]


def demo(engagement_id: str):  # type: ignore[no-untyped-def]
    doc = InterchangeDocument.model_validate_json(demo_file().read_text(encoding="utf-8"))
    return next(e for e in doc.engagements if e.id == engagement_id)


def printed_pages(html: bytes, tmp_path: Path) -> list[tuple[int, int, bytes]]:
    """(width, height, RGB bytes) of each printed A4 page at 200 dpi (a 1px line is two pixels)."""
    source, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    source.write_bytes(html)
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", source.as_uri()],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([PDFTOPPM, "-r", "200", str(pdf), str(tmp_path / "p")], check=True, capture_output=True, timeout=120)
    pages = []
    for ppm in sorted(tmp_path.glob("p-*.ppm")):
        data = ppm.read_bytes()
        magic, width, height, maxval, rest = data.split(maxsplit=4)
        assert magic == b"P6" and maxval == b"255"
        pages.append((int(width), int(height), rest))
    return pages


def unclosed_header_rows(pages: list[tuple[int, int, bytes]]) -> list[tuple[int, int]]:
    """(page, y) of every pixel row of a table heading whose right border is fainter than its
    left one: cut at the page's edge (a clipped half line prints as a faint sliver, or not at all)."""
    found, headings = [], 0
    for n, (width, height, rgb) in enumerate(pages, 1):
        for y in range(height):
            row = rgb[y * width * 3:(y + 1) * width * 3]
            if row.count(bytes(HEAD)) < width // 3:  # a heading's shading is one flat colour
                continue
            xs = [x for x in range(width) if abs(row[3 * x] - HEAD[0]) + abs(row[3 * x + 1] - HEAD[1]) + abs(row[3 * x + 2] - HEAD[2]) < 12]
            if len(xs) < width // 3:
                continue
            headings += 1

            def darkest(span: range) -> float:
                return min((sum(row[3 * x:3 * x + 3]) / 3 for x in span if 0 <= x < width), default=255.0)

            left, right = darkest(range(min(xs) - 4, min(xs))), darkest(range(max(xs) + 1, max(xs) + 5))
            if right > left + 20:  # the border is #9aa3ad (~163) either side; paper is 255
                found.append((n, y))
    assert headings, "no table heading found on the printed pages"
    return found


def test_every_table_of_the_printed_handover_record_keeps_its_right_border(tmp_path: Path) -> None:
    html = export_handover([demo("en-2024-cdoh-sakuraba")], "html", TODAY, "ja")
    assert unclosed_header_rows(printed_pages(html, tmp_path)) == []


def test_the_printed_dispatch_report_and_checklist_keep_their_right_borders(tmp_path: Path) -> None:
    for n, html in enumerate((
        export_dispatch([demo("en-2026-ria-kuroda")], "html", TODAY, "ja", None, date(2026, 4, 15)),
        export_checklist([demo("en-2025-cdo-hayase")], "html", TODAY, "ja"),
    )):
        folder = tmp_path / str(n)
        folder.mkdir()
        assert unclosed_header_rows(printed_pages(html, folder)) == []
