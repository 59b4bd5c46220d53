"""OCR of PDF pages with tesseract's Vietnamese model, at the scan's native resolution.

Each page's largest embedded image is OCR'd as it is (`pdfimages`): re-rendering a 200 dpi scan at 300 dpi
makes tesseract much worse. Pages without an embedded image are rendered with `pdftoppm` at 300 dpi. Besides
the text, tesseract's word boxes come back, line by line, so that words stamped over the page can be put in
their place (indexer.extract.stamps).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexer.extract.stamps import Box, Word
from vietnamese.normalize import nfc

PAGE_TIMEOUT_S = 120
MIN_IMAGE_PIXELS = 500 * 500
_WORD_LEVEL, _PAGE_LEVEL = "5", "1"  # the levels of tesseract's TSV rows


@dataclass
class OcrPage:
    number: int
    text: str
    lines: list[list[Word]]  # the words of each line, with their boxes in the image's pixels
    width: int  # the OCR'd image's pixels
    height: int


def unavailable_reason() -> str | None:
    """None when OCR can run, else a sentence saying what is missing and how to install it."""
    missing = [tool for tool in ("tesseract", "pdfimages", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        return (f"{', '.join(missing)} not installed (install with: apt-get install tesseract-ocr "
                "tesseract-ocr-vie poppler-utils)")
    try:
        languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                   timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError) as error:
        return f"tesseract does not run ({error})"
    if "vie" not in languages:
        return "tesseract has no Vietnamese data (install with: apt-get install tesseract-ocr-vie)"
    return None


def ocr_pdf_pages(path: Path, numbers: list[int]) -> dict[int, OcrPage]:
    """OCR the given 1-based pages; returns page number -> its NFC text and words (missing where OCR failed)."""
    workers = max(1, min(len(numbers), os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="edusearch-ocr-") as tmp, ThreadPoolExecutor(workers) as pool:
        texts = pool.map(lambda n: _ocr_page(path, n, Path(tmp) / f"p{n}"), numbers)
        return {n: t for n, t in zip(numbers, texts) if t is not None}


def _ocr_page(path: Path, number: int, workdir: Path) -> OcrPage | None:
    workdir.mkdir()
    out = workdir / "ocr"
    try:
        image = _page_image(path, number, workdir)
        if image is None:
            return None
        result = subprocess.run(
            ["tesseract", str(image), str(out), "-l", "vie", "--psm", "3", "txt", "tsv"],
            capture_output=True, timeout=PAGE_TIMEOUT_S, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        if result.returncode != 0:
            return None
        text = nfc(out.with_suffix(".txt").read_bytes().decode("utf-8", errors="replace"))
        rows = [nfc(line).split("\t") for line in
                out.with_suffix(".tsv").read_bytes().decode("utf-8", errors="replace").splitlines()[1:]]
    except (OSError, subprocess.SubprocessError):
        return None
    width, height = next(((int(r[8]), int(r[9])) for r in rows if len(r) == 12 and r[0] == _PAGE_LEVEL), (0, 0))
    return OcrPage(number, text, _lines(rows), width, height)


def _lines(rows: list[list[str]]) -> list[list[Word]]:
    """The words of tesseract's TSV rows grouped by line (block, paragraph, line), in reading order."""
    lines: dict[tuple[str, str, str], list[Word]] = {}
    for row in rows:
        if len(row) == 12 and row[0] == _WORD_LEVEL and row[11].strip():
            left, top, height = int(row[6]), int(row[7]), int(row[9])
            lines.setdefault((row[2], row[3], row[4]), []).append(Word(row[11], Box(left, top, top + height)))
    return list(lines.values())


def _page_image(path: Path, number: int, workdir: Path) -> Path | None:
    page = ["-f", str(number), "-l", str(number)]
    subprocess.run(["pdfimages", "-png", *page, str(path), str(workdir / "img")],
                   capture_output=True, timeout=PAGE_TIMEOUT_S)
    images = [(_pixels(p), p) for p in workdir.glob("img-*.png")]
    images = [(size, p) for size, p in images if size >= MIN_IMAGE_PIXELS]
    if images:
        return max(images)[1]
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", *page, str(path), str(workdir / "render")],
                   capture_output=True, timeout=PAGE_TIMEOUT_S)
    rendered = sorted(workdir.glob("render*.png"))
    return rendered[0] if rendered else None


def _pixels(png: Path) -> int:
    with png.open("rb") as handle:
        header = handle.read(24)
    if len(header) < 24 or header[:8] != b"\x89PNG\r\n\x1a\n":
        return 0
    return int.from_bytes(header[16:20], "big") * int.from_bytes(header[20:24], "big")
