"""Vietnamese text normalization and the token analyzer shared by indexing and querying.

Two layers:
- *display* cleaning (`clean_display`): NFC, odd spaces collapsed, document codes re-joined. The text stays
  readable and keeps its original tone placement.
- *index* analysis (`analyze`): tone placement normalized to one style, lowercased, split into syllables,
  with bigrams, in an exact and a diacritic-folded variant, plus whole document codes as tokens.

Queries and passages go through the same functions, so both are always analyzed alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

NORMALIZATION_VERSION = 3  # 3: codes of a legislature's laws (43/2019/QH14)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = set("aăâeêioôơuưy")
_QUALITY = set("ăâêôơ")
_LETTERS = re.compile(r"[^\W\d_]+")

# Spaces that are not a plain space: NBSP, the Unicode space block, zero-width characters, BOM.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_RUNS_OF_SPACES = re.compile(r"[ \t]{2,}")

# Document codes: 51-KL/TW, 63-NQ/TU, 1895/QĐ-TTg, 32/2020/TT-BGDĐT, 43/KH-UBND, 21/KH-PGD&ĐT, and the laws
# and resolutions of a legislature, numbered by its term: 43/2019/QH14, 03/2021/UBTVQH15.
_CODE_PART = r"[A-ZĐ][A-ZĐa-zđ&]*(?:(?<=QH)\d{2})?"
CODE_PATTERN = re.compile(
    rf"\b\d{{1,5}}(?:/\d{{4}})?(?:-|/){_CODE_PART}(?:[-/]{_CODE_PART})*\b"
)
# "63- NQ/TU", "63 -NQ/TU", "43/ KH-UBND": a code broken by a stray space (PDF extraction).
_BROKEN_CODE = re.compile(rf"\b(\d{{1,5}}(?:/\d{{4}})?)\s*([-/])\s+({_CODE_PART}(?:[-/]{_CODE_PART})+)\b")
_BROKEN_CODE_LEFT = re.compile(rf"\b(\d{{1,5}}(?:/\d{{4}})?)\s+([-/])({_CODE_PART}(?:[-/]{_CODE_PART})+)\b")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def rejoin_codes(text: str) -> str:
    """`63- NQ/TU` -> `63-NQ/TU`; codes that are already whole are left alone."""
    text = _BROKEN_CODE.sub(r"\1\2\3", text)
    return _BROKEN_CODE_LEFT.sub(r"\1\2\3", text)


def clean_display(text: str) -> str:
    """NFC, odd spaces to plain spaces, runs of spaces collapsed, broken codes re-joined."""
    text = _ZERO_WIDTH.sub("", nfc(text))
    text = _ODD_SPACES.sub(" ", text)
    text = _RUNS_OF_SPACES.sub(" ", text)
    return rejoin_codes(text)


def _split_tone(syllable: str) -> tuple[str, list[str]]:
    decomposed = unicodedata.normalize("NFD", syllable)
    base = nfc("".join(c for c in decomposed if c not in _TONES))
    return base, [c for c in decomposed if c in _TONES]


def _tone_position(s: str) -> int | None:
    """Index in the lower-case toneless syllable `s` where the tone mark belongs (tone on the first
    vowel of oa/oe/uy: hòa, thủy), or None when `s` is not a Vietnamese syllable."""
    i = 0
    if s[:2] in ("qu", "gi") and len(s) > 2 and s[2] in _VOWELS:
        i = 2
    else:
        while i < len(s) and s[i] not in _VOWELS:
            i += 1
    j = i
    while j < len(s) and s[j] in _VOWELS:
        j += 1
    nucleus, final = s[i:j], s[j:]
    if not nucleus or any(c in _VOWELS for c in final):
        return None
    if "ơ" in nucleus:
        return i + nucleus.index("ơ")
    for k, c in enumerate(nucleus):
        if c in _QUALITY:
            return i + k
    if "ư" in nucleus:
        return i + nucleus.index("ư")
    if final or len(nucleus) == 1:
        return i + len(nucleus) - 1
    if len(nucleus) == 3:
        return i + 1
    return i


@functools.lru_cache(maxsize=65536)
def _normalize_syllable(syllable: str) -> str:
    base, tones = _split_tone(syllable)
    position = _tone_position(base.lower()) if len(tones) == 1 else None
    if position is None:
        return nfc(syllable)
    return base[:position] + nfc(base[position] + tones[0]) + base[position + 1:]


def without_tone(syllable: str) -> str:
    """The syllable without its tone mark, its other marks kept: `phổ` -> `phô`, `đẩy` -> `đây`."""
    return _split_tone(syllable)[0]


def is_syllable(word: str) -> bool:
    """Could the word be one Vietnamese syllable: one tone mark at most, its vowels together (`KÉẺ` cannot)?"""
    base, tones = _split_tone(word)
    return len(tones) <= 1 and _tone_position(base.lower()) is not None


def normalize_tone(text: str) -> str:
    """One tone-placement style: `hoà` -> `hòa`, `uỷ` -> `ủy`, typos such as `hòan` -> `hoàn`."""
    return _LETTERS.sub(lambda m: _normalize_syllable(m.group(0)), nfc(text))


def fold(text: str) -> str:
    """Lowercase and strip diacritics, `đ` -> `d`: `Giáo dục Đào tạo` -> `giao duc dao tao`."""
    decomposed = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def strip_diacritics(text: str) -> str:
    """Diacritics removed, case kept, as an old OCR layer or a keyboard without Vietnamese gives it:
    `Giáo dục Đào tạo` -> `Giao duc Dao tao`."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


# A syllable whose only vowel is a final i or y after a consonant is spelled both ways: kì/kỳ, lí/lý,
# tỉ/tỷ, mĩ/mỹ, sĩ/sỹ, hi/hy, quí/quý. Folded tokens use the `i` spelling, so the two match each other
# while the exact field still tells them apart (and ranks the exact spelling first).
_IY_VARIANT = re.compile(r"^(b|c|d|h|k|l|m|n|s|t|v|x|qu|ph|th|kh|tr|ch)y$")


def fold_token(token: str) -> str:
    """The folded index form of a syllable or `a_b` bigram: `fold`, then i/y spelling variants unified."""
    return "_".join(_IY_VARIANT.sub(r"\1i", part) for part in fold(token).split("_"))


def normalize_for_index(text: str) -> str:
    """The canonical lowercase form used for matching: display-cleaned, tone-normalized, lowercased."""
    return normalize_tone(clean_display(text)).lower()


_SYLLABLE = re.compile(r"\w+")


def syllables(normalized: str) -> list[str]:
    return _SYLLABLE.findall(normalized)


def with_bigrams(tokens: list[str]) -> list[str]:
    return tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:])]


def find_codes(text: str) -> list[str]:
    """Document codes in display text, in order of first appearance, without duplicates."""
    seen: dict[str, None] = {}
    for match in CODE_PATTERN.finditer(rejoin_codes(nfc(text))):
        if _plausible_code(match.group(0)):
            seen.setdefault(match.group(0), None)
    return list(seen)


def _plausible_code(code: str) -> bool:
    """Not a scrap of OCR or prose that has a code's shape: number 0 (`0/KH-UBND` for an unreadable number),
    or a part that is a capitalised word (`14-Tin`, `4-Khu`) rather than initials (`QĐ`, `TTg`)."""
    number, *parts = re.split(r"[-/]", code)
    if int(number) == 0:
        return False
    return all(sum(c.islower() for c in part) <= sum(c.isupper() for c in part) for part in parts)


def without_codes(text: str) -> str:
    """The text with its document codes blanked out: the year in `08/2022/QĐ-TTg` is not a year asked."""
    return CODE_PATTERN.sub(" ", rejoin_codes(nfc(text)))


def code_token(code: str) -> str:
    """A whole document code as a single index token, folded so `QĐ` and `QD` match."""
    return fold(normalize_tone(code)).replace(" ", "")


@dataclass(frozen=True)
class Analyzed:
    """Index tokens for one text: exact and folded syllables (each with bigrams) and document codes."""

    exact: list[str]
    folded: list[str]
    codes: list[str]


def index_syllables(text: str) -> list[str]:
    """The exact syllables the analyzer indexes (`%` read as `phần trăm`)."""
    return syllables(normalize_for_index(text).replace("%", " phần trăm "))


def analyze(text: str) -> Analyzed:
    exact = index_syllables(text)
    folded = [fold_token(t) for t in exact]
    return Analyzed(
        exact=with_bigrams(exact),
        folded=with_bigrams(folded),
        codes=[code_token(c) for c in find_codes(text)],
    )


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()
