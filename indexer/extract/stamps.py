"""Text that a PDF's annotations draw over a page: the number and the day that a digital-signing tool stamps
into the blanks of `Số: …/KH-…` and `ngày … tháng …` when the document is issued. Neither the text layer nor
the scanned image holds it, so text extraction and OCR both miss it; each stamped word is put back into the
line it sits on, after the word to its left. A stamp of several lines (the signer's box) is left out: it is
page furniture (indexer.layout)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pypdf

POPPLER_TIMEOUT_S = 60
HIDDEN_FLAGS = 2 | 32  # an annotation's Hidden and NoView flags
_BBOX_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


@dataclass(frozen=True)
class Box:
    """Where a word is, in a page's own units (points, or an image's pixels), from the page's top left."""
    left: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def scaled(self, factor: float) -> "Box":
        return Box(self.left * factor, self.top * factor, self.bottom * factor)


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


@dataclass(frozen=True)
class Rectangle:
    """A stamp's rectangle, in points from the page's top left."""
    left: float
    top: float
    right: float
    bottom: float
    slack: float = 2.0

    def holds(self, box: Box) -> bool:
        return (self.left - self.slack <= box.left <= self.right
                and self.top - self.slack <= box.middle <= self.bottom + self.slack)


def document_stamps(reader: pypdf.PdfReader, path: Path, page_count: int) -> dict[int, list[Word]]:
    """The words of the one-line stamps on each 1-based page that has some, placed in points from the page's
    top left: where poppler draws them, else (no poppler) each stamp's text at its rectangle."""
    stamped = {n: found for n in range(1, page_count + 1) if (found := _page_stamps(reader, n))}
    if not stamped:
        return {}
    placed = _poppler_words(path, min(stamped), max(stamped))
    return {n: [word for area, text in stamps for word in _placed(area, text, placed.get(n, []))]
            for n, stamps in stamped.items()}


def _page_stamps(reader: pypdf.PdfReader, number: int) -> list[tuple[Rectangle, str]]:
    """(rectangle, text) of each one-line stamp of a page."""
    try:
        page = reader.pages[number - 1]
        top, left = float(page.cropbox.top), float(page.cropbox.left)
        return [(Rectangle(x0 - left, top - y1, x1 - left, top - y0), text)
                for (x0, y0, x1, y1), text in _annotation_texts(reader, page) if "\n" not in text.strip()]
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on broken annotations; such a page has no stamps
        return []


def _placed(area: Rectangle, text: str, placed: list[Word]) -> list[Word]:
    """The words poppler draws inside a stamp's rectangle that are the stamp's own, else the stamp's text."""
    inside = [w for w in placed if w.text in text.split() and area.holds(w.box)]
    return inside or [Word(" ".join(text.split()), Box(area.left, area.top, area.bottom))]


def _annotation_texts(reader: pypdf.PdfReader, page: pypdf.PageObject) -> list[tuple[tuple[float, ...], str]]:
    """(rectangle, text) of each visible annotation whose appearance draws text."""
    out = []
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        appearance = (annotation.get("/AP") or {}).get("/N")
        if appearance is None or int(annotation.get("/F", 0)) & HIDDEN_FLAGS:
            continue
        text = page._extract_text(appearance.get_object(), reader, content_key=None)  # a form XObject's text
        if text.strip():
            x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
            out.append(((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), text))
    return out


def _poppler_words(path: Path, first: int, last: int) -> dict[int, list[Word]]:
    """Every word poppler draws on pages `first` to `last`, annotations' appearances included, with its box
    in points; empty where poppler is missing or fails."""
    if shutil.which("pdftotext") is None:
        return {}
    try:
        result = subprocess.run(["pdftotext", "-bbox", "-f", str(first), "-l", str(last), str(path), "-"],
                                capture_output=True, timeout=POPPLER_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return {}
    pages = result.stdout.decode("utf-8", errors="replace").split("<page ")[1:]
    return {first + i: [Word(unescape(text), Box(float(x), float(top), float(bottom)))
                        for x, top, bottom, text in _BBOX_WORD.findall(page)]
            for i, page in enumerate(pages)}


def into_lines(text: str, lines: list[list[Word]], stamps: list[Word]) -> str:
    """OCR'd text with the stamped words put into the lines they sit on (`lines`: the OCR's words of each
    line, in the same units as the stamps); a stamp no line holds goes on a line of its own at the end."""
    left_over = list(stamps)
    for words in lines:
        top, bottom = min(w.box.top for w in words), max(w.box.bottom for w in words)
        mine = [s for s in left_over if top <= s.box.middle <= bottom]
        original = " ".join(w.text for w in words)
        if mine and original in text:
            text = text.replace(original, " ".join(_inserted(words, mine)), 1)
            left_over = [s for s in left_over if s not in mine]
    return _with_left_over(text, left_over)


def with_stamps(fragments: list[Fragment], stamps: list[Word], slack: float = 3.0) -> str:
    """A page's text layer, as pypdf reports it piece by piece, with the stamped words put into the lines
    they sit on (a piece whose baseline lies within the stamp's height); a stamp no line holds goes on a
    line of its own at the end."""
    texts = [f.text for f in fragments]
    left_over = []
    for stamp in stamps:
        line = [i for i, f in enumerate(fragments)
                if f.text.strip() and stamp.box.top <= f.baseline <= stamp.box.bottom + slack]
        before = [i for i in line if fragments[i].left <= stamp.box.left]
        if before:
            at = max(before, key=lambda i: fragments[i].left)
            texts[at] = f"{texts[at]} {stamp.text} "
        elif line:
            texts[line[0]] = f"{stamp.text} {texts[line[0]]}"
        else:
            left_over.append(stamp)
    return _with_left_over("".join(texts), left_over)


def _inserted(words: list[Word], stamps: list[Word]) -> list[str]:
    """A line's words with each stamped one after the last word that starts left of it."""
    out = [w.text for w in words]
    for stamp in sorted(stamps, key=lambda s: s.box.left, reverse=True):
        out.insert(sum(1 for w in words if w.box.left <= stamp.box.left), stamp.text)
    return out


def _with_left_over(text: str, stamps: list[Word]) -> str:
    return text + "".join(f"\n{s.text}" for s in stamps)


@dataclass(frozen=True)
class Fragment:
    """A piece of a text layer as pypdf reports it: its text and where its baseline starts, in points from
    the page's top left."""
    text: str
    left: float
    baseline: float


def fragment_recorder(page_top: float) -> tuple[list[Fragment], Callable]:
    """A pypdf `visitor_text` that records each piece of text with its position, and the list it fills."""
    fragments: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        fragments.append(Fragment(text, x, page_top - y))

    return fragments, visit
