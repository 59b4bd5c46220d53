"""PDF: the text layer through pypdf, one page record per page; OCR for pages whose layer is missing or
not usable Vietnamese (scans, old OCR layers without diacritics)."""

from __future__ import annotations

import logging
from pathlib import Path

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from indexer.extract import ocr
from indexer.extract.records import ExtractionError, Extracted, Page
from indexer.extract.vietnamese import is_usable_vietnamese
from vietnamese.normalize import nfc

MAX_PAGES = 2000
MAX_CONTENT_BYTES = 20 * 1024 * 1024
BLANK_CONTENT_BYTES = 64

logging.getLogger("pypdf").setLevel(logging.ERROR)


def extract(path: Path) -> Extracted:
    reader = _open(path)
    try:
        page_count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise ExtractionError(f"damaged PDF: cannot read its page tree ({error})") from None
    if page_count == 0:
        raise ExtractionError("the PDF has no pages")
    if page_count > MAX_PAGES:
        raise ExtractionError(f"the PDF has {page_count} pages; the limit is {MAX_PAGES}")

    pages = [Page(number=n, text=_page_text(reader, n)) for n in range(1, page_count + 1)]
    blank = {p.number for p in pages if not p.text.strip() and _is_blank(reader, p.number)}
    need_ocr = [p.number for p in pages if p.number not in blank and not is_usable_vietnamese(p.text)]
    notes: list[str] = [f"{len(blank)} blank pages"] if len(blank) > 1 else []
    if need_ocr:
        notes.extend(_ocr_pages(path, pages, need_ocr))
    if not any(p.text.strip() for p in pages):
        raise ExtractionError("no text found: " + ("; ".join(notes) or "the pages are empty"))
    return Extracted(pages=pages, notes=notes)


def _open(path: Path) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
                len(reader.pages)
            except (FileNotDecryptedError, PdfReadError, NotImplementedError):
                raise ExtractionError("the PDF is encrypted with a password") from None
        return reader
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ExtractionError(f"damaged or not a PDF ({type(error).__name__}: {error})") from None


def _page_text(reader: pypdf.PdfReader, number: int) -> str:
    try:
        page = reader.pages[number - 1]
        contents = page.get_contents()
        if contents is not None and len(contents.get_data()) > MAX_CONTENT_BYTES:
            return ""
        return nfc(page.extract_text() or "")
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on broken pages; such a page goes to OCR
        return ""


def _is_blank(reader: pypdf.PdfReader, number: int) -> bool:
    """A page with no images and (almost) nothing drawn: nothing for OCR to read."""
    try:
        page = reader.pages[number - 1]
        resources = page.get("/Resources") or {}
        if "/XObject" in resources and resources["/XObject"]:
            return False
        contents = page.get_contents()
        return contents is None or len(contents.get_data().strip()) < BLANK_CONTENT_BYTES
    except Exception:  # noqa: BLE001 - a page pypdf cannot inspect goes to OCR
        return False


def _ocr_pages(path: Path, pages: list[Page], numbers: list[int]) -> list[str]:
    """Replace the text of `numbers` by OCR where OCR does better. Returns notes for the report."""
    problem = ocr.unavailable_reason()
    label = _ranges(numbers)
    if problem:
        return [f"pages {label} need OCR, but {problem}"]
    results = ocr.ocr_pdf_pages(path, numbers)
    replaced = []
    for page in pages:
        text = results.get(page.number)
        if text and (not page.text.strip() or is_usable_vietnamese(text)):
            page.text = text
            replaced.append(page.number)
    return [f"OCR on pages {_ranges(replaced)}"] if replaced else [f"OCR found no text on pages {label}"]


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    for n in sorted(numbers):
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in parts)
