"""English questions, offline: detected by their words, then mapped to Vietnamese through the glossary
(`search/lexicon/glossary.tsv`), longest phrase first, so that they run through the same Vietnamese
pipeline. Names (`Lang Son`), numbers and document codes are kept as they are."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from vietnamese.normalize import find_codes, has_diacritics, without_codes

ENGLISH_SHARE = 0.6  # of a question's words, to call it English
_AND = "và"
STOPWORDS = frozenset("""
a an the of to in on at for from with by about into over under as and or but not no is are was were be been
being am do does did has have had will would shall should can could may might must this that these those
there here it its it's they them their he she his her we our you your i me my what which who whom whose
when where why how whether if then than so such all any each every some most more many much other both
either neither only own same too very also just per via between among during before after while within
without against across through up down out off again further once plan's province's
""".split())
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
MAX_PHRASE = 6
_POSSESSIVE = re.compile(r"'s$")
_NUMERIC = re.compile(r"\d+(?:[-/]\d+)*")
# A syllable Vietnamese could spell without its diacritics: onset, one to three vowels, final consonant.
_VIETNAMESE_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}"
                                  r"(?:ng|nh|ch|[cmnpt])?")


@dataclass(frozen=True)
class Translation:
    text: str  # the Vietnamese question
    terms: tuple[tuple[str, str], ...]  # (English words, Vietnamese term) used
    untranslated: tuple[str, ...]  # English words the glossary does not know (left out)


def is_english(text: str, glossary: dict[tuple[str, ...], str]) -> bool:
    if has_diacritics(text):
        return False
    typed = [w for w in _WORD.findall(without_codes(text)) if not w.isdigit()]
    words = [w.lower() for w in typed]
    if not words:
        return False
    vocabulary = {w for phrase in glossary for w in phrase}
    if len(words) == 1:  # `teachers`, `STEM`; never `tin` or `ban`, which are Vietnamese typed bare
        return (words[0] in vocabulary or _singular(words[0]) in vocabulary) \
            and not _VIETNAMESE_SYLLABLE.fullmatch(words[0])
    in_glossary = [w in vocabulary or _singular(w) in vocabulary for w in words]
    known = sum(1 for w, t, listed in zip(words, typed, in_glossary)
                if listed or w in STOPWORDS or _not_vietnamese(t))
    if any(w in STOPWORDS for w in words):
        return known / len(words) >= ENGLISH_SHARE
    return all(in_glossary)  # a bare English phrase, as topics are typed: `digital transformation`


def _not_vietnamese(typed: str) -> bool:
    """A word typed in lower case that no Vietnamese syllable spells, diacritics aside (`salary`,
    `workers`); an abbreviation typed in capitals (`THCS`) is Vietnamese's too."""
    return len(typed) >= 3 and not typed.isupper() and "-" not in typed and \
        _VIETNAMESE_SYLLABLE.fullmatch(typed.lower()) is None


def translate(text: str, glossary: dict[tuple[str, ...], str],
              known_pair: Callable[[str, str], bool] = lambda first, second: False) -> Translation:
    """The Vietnamese question. Names are kept: capitalized words (`Lang Son`), and two words the glossary
    does not know that the indexed documents hold side by side (`ha long` typed in lower case)."""
    codes = find_codes(text)
    without_codes = text
    for code in codes:
        without_codes = without_codes.replace(code, " ")
    words = _WORD.findall(without_codes)
    lowered = [_POSSESSIVE.sub("", w.lower().replace("’", "'")) for w in words]
    listing = all(w == "and" or w not in STOPWORDS for w in lowered)  # a topic's terms, not a sentence
    out: list[str] = []
    terms: list[tuple[str, str]] = []
    untranslated: list[str] = []
    i = 0
    while i < len(words):
        match = _longest_match(lowered, i, glossary)
        if match:
            length, vietnamese = match
            terms.append((" ".join(words[i:i + length]), vietnamese))
            out.append(vietnamese)
            i += length
            continue
        word = words[i]
        if i + 1 < len(words) and _unknown(lowered, i, glossary) and _unknown(lowered, i + 1, glossary) \
                and known_pair(lowered[i], lowered[i + 1]):
            out += words[i:i + 2]
            i += 2
            continue
        if _NUMERIC.fullmatch(word) or (word[0].isupper() and lowered[i] not in STOPWORDS):
            out.append(word)  # numbers and names: Lang Son, Ha Long, 2025
        elif lowered[i] == "and" and listing and out and out[-1] != _AND and _longest_match(lowered, i + 1, glossary):
            out.append(_AND)  # `career guidance and student streaming`: two terms joined, as Vietnamese joins them
        elif lowered[i] not in STOPWORDS:
            untranslated.append(word)
        i += 1
    kept = [w for n, w in enumerate(out) if w == _AND or w not in out[:n]]
    return Translation(" ".join(kept + [c for c in codes if c not in kept]), tuple(terms), tuple(untranslated))


def _unknown(words: list[str], at: int, glossary: dict[tuple[str, ...], str]) -> bool:
    return words[at] not in STOPWORDS and _longest_match(words, at, glossary) is None


def _longest_match(words: list[str], start: int, glossary: dict[tuple[str, ...], str]) -> tuple[int, str] | None:
    for length in range(min(MAX_PHRASE, len(words) - start), 0, -1):
        phrase = tuple(words[start:start + length])
        for candidate in (phrase, phrase[:-1] + (_singular(phrase[-1]),)):
            if candidate in glossary:
                return length, glossary[candidate]
    return None


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
