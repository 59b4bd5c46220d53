"""Plain text (Markdown too): UTF-8 (with or without BOM), UTF-16, Windows-1258, and legacy TCVN3 / VNI font encodings."""

from __future__ import annotations

import codecs
from pathlib import Path

import viparse

from indexer.extract.markdown import from_markdown, looks_like_markdown
from indexer.extract.records import ExtractionError, Extracted, Page
from vietnamese.normalize import nfc

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a plan is well under 1 MB of text; more is a dump, not a plan


def extract(path: Path) -> Extracted:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise ExtractionError(f"text file too large ({size // (1024 * 1024)} MB; the limit is "
                              f"{MAX_TEXT_BYTES // (1024 * 1024)} MB)")
    text, encoding = decode_text(path.read_bytes())
    notes = [] if encoding == "utf-8" else [f"encoding: {encoding}"]
    if path.suffix.lower() == ".md" or looks_like_markdown(text):
        text, headings = from_markdown(text)
        return Extracted(pages=[Page(number=None, text=text, headings=headings)], notes=[*notes, "Markdown"])
    return Extracted(pages=[Page(number=None, text=text)], notes=notes)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file and return (NFC text, encoding name). Raises ExtractionError."""
    if data.startswith(codecs.BOM_UTF8):
        return nfc(data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")), "utf-8 (BOM)"
    utf16 = _utf16_variant(data)
    if utf16:
        try:
            return nfc(data.decode(utf16).lstrip("\ufeff")), "utf-16"
        except UnicodeDecodeError as error:
            raise ExtractionError(f"looks like UTF-16 but does not decode: {error.reason}") from None
    if _looks_binary(data):
        raise ExtractionError("binary content, not text (the file may be misnamed)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_8bit(data)
    legacy = viparse.detect_text_encoding(text)
    if legacy:
        return nfc(viparse.fix(text, encoding=legacy)), f"{legacy} (converted to Unicode)"
    return nfc(text), "utf-8"


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8: a legacy Vietnamese font encoding, or Windows-1258."""
    as_cp1252 = data.decode("cp1252", errors="replace")
    legacy = viparse.detect_text_encoding(as_cp1252)
    if legacy in ("tcvn3", "vni"):
        return nfc(viparse.fix(as_cp1252, encoding=legacy)), f"{legacy} (converted to Unicode)"
    try:
        return nfc(data.decode("cp1258")), "windows-1258"
    except UnicodeDecodeError:
        raise ExtractionError("unknown text encoding (not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI)") from None


def _utf16_variant(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0) / (len(sample) / 2)
        odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
        if odd_nuls > 0.3 and even_nuls < 0.05:
            return "utf-16-le"
        if even_nuls > 0.3 and odd_nuls < 0.05:
            return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05
