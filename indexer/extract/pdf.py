"""PDF: the text layer through pypdf, one page record per page; OCR for pages whose layer is missing or
not usable Vietnamese (scans, old OCR layers without diacritics). Words that a digital-signing tool stamped
over a page (its number, its day: indexer.extract.stamps) are put into the page's text either way; OCR's
misread tone marks are put right from known word pairs (vietnamese.spelling)."""

from __future__ import annotations

import logging
from pathlib import Path

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from indexer.extract import ocr
from indexer.extract.records import ExtractionError, Extracted, Page
from indexer.extract.stamps import Word, document_stamps, fragment_recorder, into_lines, with_stamps
from indexer.extract.vietnamese import is_usable_vietnamese
from vietnamese.normalize import nfc
from vietnamese.spelling import repair_words

MAX_PAGES = 2000
MAX_CONTENT_BYTES = 20 * 1024 * 1024
BLANK_CONTENT_BYTES = 64
ASPECT_TOLERANCE = 0.02  # an OCR'd image whose shape is the page's, within this share, covers the page

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

    stamps = document_stamps(reader, path, page_count)
    pages = [Page(number=n, text=_page_text(reader, n, stamps.get(n, []))) for n in range(1, page_count + 1)]
    blank = {p.number for p in pages if not p.text.strip() and _is_blank(reader, p.number)}
    need_ocr = [p.number for p in pages if p.number not in blank and not is_usable_vietnamese(p.text)]
    notes: list[str] = [f"{len(blank)} blank pages"] if len(blank) > 1 else []
    if need_ocr:
        notes.extend(_ocr_pages(path, reader, pages, need_ocr, stamps))
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


def _page_text(reader: pypdf.PdfReader, number: int, stamps: list[Word]) -> str:
    try:
        page = reader.pages[number - 1]
        contents = page.get_contents()
        if contents is not None and len(contents.get_data()) > MAX_CONTENT_BYTES:
            return ""
        if not stamps:
            return nfc(page.extract_text() or "")
        fragments, visit = fragment_recorder(float(page.cropbox.top))
        page.extract_text(visitor_text=visit)
        return nfc(with_stamps(fragments, stamps))
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


def _ocr_pages(path: Path, reader: pypdf.PdfReader, pages: list[Page], numbers: list[int],
               stamps: dict[int, list[Word]]) -> list[str]:
    """Replace the text of `numbers` by OCR where OCR does better. Returns notes for the report."""
    problem = ocr.unavailable_reason()
    label = _ranges(numbers)
    if problem:
        return [f"pages {label} need OCR, but {problem}"]
    results = ocr.ocr_pdf_pages(path, numbers)
    replaced = []
    for page in pages:
        result = results.get(page.number)
        text = result and _stamped_ocr_text(reader, result, stamps.get(page.number, []))
        if text and (not page.text.strip() or is_usable_vietnamese(text)):
            page.text = text
            replaced.append(page.number)
    _repair_misread_words([page for page in pages if page.number in replaced])
    return [f"OCR on pages {_ranges(replaced)}"] if replaced else [f"OCR found no text on pages {label}"]


def _repair_misread_words(pages: list[Page]) -> None:
    """OCR's misread tone marks put right on its pages (`Tiêu học` -> `Tiểu học`, `phố thông` -> `phổ
    thông`: vietnamese.spelling), with the pairs the OCR'd text itself writes as evidence too."""
    document = "\n".join(page.text for page in pages)
    for page in pages:
        page.text = repair_words(page.text, document)


def _stamped_ocr_text(reader: pypdf.PdfReader, result: ocr.OcrPage, stamps: list[Word]) -> str:
    """The OCR'd text of a page with its stamped words put in, where the OCR'd image covers the page (a scan
    does): its pixels are then the page's points scaled."""
    box = reader.pages[result.number - 1].cropbox
    if not stamps or not box.width:
        return result.text
    scale = result.width / float(box.width)
    if abs(result.height - float(box.height) * scale) > ASPECT_TOLERANCE * result.height:
        return into_lines(result.text, [], stamps)
    return into_lines(result.text, result.lines, [Word(s.text, s.box.scaled(scale)) for s in stamps])


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    for n in sorted(numbers):
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in parts)
