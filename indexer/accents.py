"""Diacritics put back from a corpus's own vocabulary. A document whose text has none (an old OCR layer that
OCR could not replace, a file typed without a Vietnamese keyboard) is indexed with the most likely accented
form of each syllable in its context, so that a question typed with diacritics finds it through the exact
field as well as through the folded one. The displayed text is never changed."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from indexer.normalize import fold_token, has_diacritics, index_syllables, normalize_tone

MIN_SYLLABLES = 30  # shorter texts are not judged
MAX_ACCENTED_SHARE = 0.05  # Vietnamese text has diacritics on most syllables; a text below this has none
CANDIDATES = 4  # accented forms weighed per syllable
_WORD = re.compile(r"[^\W\d_]+")


def lacks_diacritics(text: str) -> bool:
    """Is this Vietnamese text written without diacritics?"""
    words = [w for w in _WORD.findall(text) if len(w) > 1]
    if len(words) < MIN_SYLLABLES:
        return False
    accented = sum(1 for w in words if has_diacritics(w))
    return accented / len(words) < MAX_ACCENTED_SHARE


@dataclass
class Vocabulary:
    """Counts of accented syllables and syllable pairs, by their folded form."""

    syllables: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    pairs: Counter = field(default_factory=Counter)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "Vocabulary":
        vocabulary = cls()
        for text in texts:
            tokens = index_syllables(text)
            for token in tokens:
                vocabulary.syllables[fold_token(token)][token] += 1
            vocabulary.pairs.update(zip(tokens, tokens[1:]))
        return vocabulary

    def restore(self, text: str) -> str:
        """`ty le hoc sinh` -> `tỷ lệ học sinh`, words the vocabulary does not know left as they are; the
        case of each word's first letter and everything that is not a word are kept."""
        words = list(_WORD.finditer(text))
        lowered = [normalize_tone(m.group(0)).lower() for m in words]
        chosen = self._best_path(lowered)
        out, last = [], 0
        for match, original, accented in zip(words, lowered, chosen):
            out.append(text[last:match.start()])
            word = match.group(0)
            if accented != original and not has_diacritics(word):
                word = accented[0].upper() + accented[1:] if word[0].isupper() else accented
            out.append(word)
            last = match.end()
        out.append(text[last:])
        return "".join(out)

    def _candidates(self, word: str) -> list[str]:
        if has_diacritics(word):
            return [word]
        known = self.syllables.get(fold_token(word))
        return [form for form, _ in known.most_common(CANDIDATES)] if known else [word]

    def _best_path(self, words: list[str]) -> list[str]:
        """The sequence of candidates with the highest score: each word's own frequency, and how often it
        follows the previous choice (a Viterbi search over a few candidates per word)."""
        if not words:
            return []
        paths = {form: (self._weight(None, form), [form]) for form in self._candidates(words[0])}
        for word in words[1:]:
            step = {}
            for form in self._candidates(word):
                score, path = max(((s + self._weight(p[-1], form), p) for s, p in paths.values()),
                                  key=lambda pair: pair[0])
                step[form] = (score, [*path, form])
            paths = step
        return max(paths.values(), key=lambda pair: pair[0])[1]

    def _weight(self, previous: str | None, form: str) -> float:
        alone = self.syllables.get(fold_token(form), Counter())
        own = (alone[form] + 0.5) / (sum(alone.values()) + 0.5)
        together = self.pairs[(previous, form)] if previous else 0
        return math.log(own) + 2.0 * math.log1p(together)
