"""OCR of PDF pages with tesseract's Vietnamese model, at the scan's native resolution.

Each page's largest embedded image is OCR'd as it is (`pdfimages`): re-rendering a 200 dpi scan at 300 dpi
makes tesseract much worse. Pages without an embedded image are rendered with `pdftoppm` at 300 dpi.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vietnamese.normalize import nfc

PAGE_TIMEOUT_S = 120
MIN_IMAGE_PIXELS = 500 * 500


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


def ocr_pdf_pages(path: Path, numbers: list[int]) -> dict[int, str]:
    """OCR the given 1-based pages; returns page number -> NFC text (missing where OCR failed)."""
    workers = max(1, min(len(numbers), os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="edusearch-ocr-") as tmp, ThreadPoolExecutor(workers) as pool:
        texts = pool.map(lambda n: _ocr_page(path, n, Path(tmp) / f"p{n}"), numbers)
        return {n: t for n, t in zip(numbers, texts) if t is not None}


def _ocr_page(path: Path, number: int, workdir: Path) -> str | None:
    workdir.mkdir()
    try:
        image = _page_image(path, number, workdir)
        if image is None:
            return None
        result = subprocess.run(
            ["tesseract", str(image), "stdout", "-l", "vie", "--psm", "3"],
            capture_output=True, timeout=PAGE_TIMEOUT_S, env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return nfc(result.stdout.decode("utf-8", errors="replace"))


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
