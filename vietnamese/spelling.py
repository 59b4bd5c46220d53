"""Words that OCR misread, put right in a document's header fields (its title, its issuer) from the word
pairs of clean Vietnamese administrative and legal text (`word_pairs.tsv`): `đây mạnh` -> `đẩy mạnh`, `phố
thông` -> `phổ thông`, `NHÂN DẪN` -> `NHÂN DÂN`, `KÉẺ HOẠCH` -> `KẾ HOẠCH`.

A word is replaced only when it makes no known pair with either neighbour and another spelling makes a set
phrase with one (a common pair, or one the document itself writes): the same syllable with another tone
over a vowel that also bears a hat or a horn (â ê ô ă ơ ư: the marks OCR confuses when they are stacked),
or, for a word that cannot be a Vietnamese syllable (`KÉẺ`), a syllable a letter away. The case of the word
is kept.

    python -m vietnamese.spelling FOLDER...   # rewrites word_pairs.tsv from the .txt files in the folders
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from vietnamese.normalize import (fold_token, has_diacritics, index_syllables, is_syllable, normalize_tone,
                                  without_tone)

PAIRS_FILE = Path(__file__).with_name("word_pairs.tsv")
MIN_KEPT = 2  # occurrences of a pair for word_pairs.tsv to list it
MIN_SUPPORT = 3  # occurrences that make a pair with a neighbour evidence for a spelling
MIN_SHARE = 0.05  # of both words' pairs, for a pair to be a set phrase
_TOKEN = re.compile(r"\w+")
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VOWELS = set("aeiouy")
_STACKING = set("âêôăơư")  # vowels whose tone mark OCR reads wrong most often


@functools.cache
def word_pairs() -> dict[tuple[str, str], int]:
    """Lower-case, tone-normalized syllable pairs of clean text, with how often each occurs."""
    pairs = {}
    for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            first, second, count = line.split("\t")
            pairs[(first, second)] = int(count)
    return pairs


@functools.cache
def _spellings() -> dict[str, tuple[str, ...]]:
    """Folded syllable -> the spellings of it that the pairs hold."""
    by_fold: dict[str, set[str]] = {}
    for pair in word_pairs():
        for word in pair:
            by_fold.setdefault(fold_token(word), set()).add(word)
    return {key: tuple(sorted(forms)) for key, forms in by_fold.items()}


def repair_words(text: str, document: str = "") -> str:
    """`KÉẺ HOẠCH Thực hiện Đề án đây mạnh …` -> `KẾ HOẠCH Thực hiện Đề án đẩy mạnh …`; `document`, the text
    the words come from, tells which pairs it writes elsewhere."""
    tokens = list(_TOKEN.finditer(text))
    words = [normalize_tone(t.group(0)).lower() for t in tokens]
    own = functools.cache(lambda: count_pairs([document]))  # counted only for a word the pairs do not know
    out, last = [], 0
    for i, token in enumerate(tokens):
        left = words[i - 1] if i else None
        right = words[i + 1] if i + 1 < len(words) else None
        words[i] = _best_spelling(words[i], left, right, own)
        out.append(text[last:token.start()])
        out.append(token.group(0) if words[i] == normalize_tone(token.group(0)).lower()
                   else _same_case(words[i], token.group(0)))
        last = token.end()
    out.append(text[last:])
    return "".join(out)


def _best_spelling(word: str, left: str | None, right: str | None, own: Callable[[], Counter]) -> str:
    pairs = word_pairs()
    if len(word) < 2 or not word.isalpha() or not _VOWELS & set(fold_token(word)) or \
            pairs.get((left, word)) or pairs.get((word, right)):
        return word  # a word of the pairs, or an abbreviation with no vowel (`ĐT` of `GD&ĐT`)
    best = max(_candidates(word), key=lambda form: _support(form, left, right, own), default=word)
    return best if _support(best, left, right, own) else word


def _support(word: str, left: str | None, right: str | None, own: Callable[[], Counter]) -> int:
    """How often the word makes a set phrase with its left or its right neighbour in clean text: a pair that
    is a fair share of either word's pairs (`đẩy mạnh`, not `do hành`), or one the document writes too."""
    pairs, (firsts, seconds) = word_pairs(), _totals()
    support = 0
    for first, second in ((left, word), (word, right)):
        n = pairs.get((first, second), 0)
        if n >= MIN_SUPPORT and (n >= MIN_SHARE * max(firsts[first], seconds[second]) or own()[(first, second)]):
            support += n
    return support


@functools.cache
def _totals() -> tuple[Counter, Counter]:
    """How often each syllable starts a pair and ends one."""
    firsts, seconds = Counter(), Counter()
    for (first, second), n in word_pairs().items():
        firsts[first] += n
        seconds[second] += n
    return firsts, seconds


def _candidates(word: str) -> list[str]:
    """Other spellings: the same syllable with another tone over its hat or horn (`đây` -> `đẩy`); for a word
    that is no syllable at all, any syllable with its letters or a letter away (`kéẻ` -> `kế`)."""
    spellings = _spellings()
    folded = fold_token(word)
    if has_diacritics(word) and not is_syllable(word):
        return [form for key in (folded, *_one_letter_away(folded)) for form in spellings.get(key, ())]
    base = without_tone(word)
    if not _STACKING & set(base):
        return []
    return [form for form in spellings.get(folded, ()) if form != word and without_tone(form) == base]


def _one_letter_away(folded: str) -> set[str]:
    splits = [(folded[:i], folded[i:]) for i in range(len(folded) + 1)]
    deleted = {a + b[1:] for a, b in splits if b}
    replaced = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserted = {a + c + b for a, b in splits for c in _LETTERS}
    return {fold_token(w) for w in deleted | replaced | inserted if w} - {folded}


def _same_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def count_pairs(texts: Iterable[str]) -> Counter:
    """Syllable pairs within each line of the texts."""
    pairs: Counter = Counter()
    for text in texts:
        for line in text.splitlines():
            syllables = index_syllables(line)
            pairs.update(zip(syllables, syllables[1:]))
    return pairs


def write_pairs(folders: list[Path], path: Path = PAIRS_FILE) -> int:
    """Rewrite the pair list from the .txt files in `folders`; returns how many pairs it lists."""
    pairs = count_pairs(f.read_text(encoding="utf-8") for folder in folders for f in sorted(folder.rglob("*.txt")))
    kept = sorted(((a, b, n) for (a, b), n in pairs.items()
                   if n >= MIN_KEPT and a.isalpha() and b.isalpha()), key=lambda p: (-p[2], p[0], p[1]))
    header = (f"# Syllable pairs of clean Vietnamese administrative and legal text, seen {MIN_KEPT} times or more: "
              f"first <TAB> second <TAB> count.\n# Made by `python -m vietnamese.spelling "
              f"{' '.join(str(f) for f in folders)}` (vietnamese/spelling.py).\n")
    path.write_text(header + "".join(f"{a}\t{b}\t{n}\n" for a, b, n in kept), encoding="utf-8")
    return len(kept)


if __name__ == "__main__":
    print(f"{write_pairs([Path(a) for a in sys.argv[1:]])} pairs written to {PAIRS_FILE}")
