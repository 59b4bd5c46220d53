"""Diacritics put back from a corpus's own vocabulary. A document whose text has none (an old OCR layer that
OCR could not replace, a file typed without a Vietnamese keyboard) is indexed with the most likely accented
form of each syllable in its context, so that a question typed with diacritics finds it through the exact
field as well as through the folded one. The displayed text is never changed."""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vietnamese.normalize import fold_token, has_diacritics, index_syllables, normalize_tone

MIN_SYLLABLES = 30  # shorter texts are not judged
MAX_ACCENTED_SHARE = 0.05  # Vietnamese text has diacritics on most syllables; a text below this has none
CANDIDATES = 4  # accented forms weighed per syllable
MAX_PAIRS = 1_000_000  # syllable pairs kept in an index (the most frequent); rarer ones rarely decide
PAIR_PRIOR = 0.1  # how little a syllable pair seen in the text leaves to the syllables' own frequencies
# Plans state; questions ask. The words that ask are rare in the indexed text, so they are known beforehand.
QUESTION_PHRASES = (
    "bao nhiêu", "có bao nhiêu", "là bao nhiêu", "đạt bao nhiêu", "bao giờ", "khi nào", "từ khi nào",
    "như thế nào", "thế nào", "ra sao", "là gì", "những gì", "gì", "ở đâu", "tại sao", "vì sao", "ai là",
    "do ai", "của ai", "có phải", "có không", "mấy", "nào", "những nội dung nào", "cơ quan nào",
    "đơn vị nào", "giai đoạn nào", "năm nào", "tỉnh nào", "huyện nào", "kế hoạch nào", "văn bản nào",
)
_WORD = re.compile(r"[^\W\d_]+")


_PHRASE_FORMS = sorted(((tuple(fold_token(w) for w in p.split()), tuple(p.split())) for p in QUESTION_PHRASES
                        if len(p.split()) > 1), key=lambda pair: -len(pair[0]))


def _question_words(words: list[str]) -> dict[int, str]:
    """The accented form of each word, by position, that a question phrase of several words spells
    (`bao nhieu` -> `bao nhiêu`): the text around them has words that fold the same way far more often
    (`bảo hiểm`, `tối đa bảo đảm`)."""
    folded = [fold_token(w) for w in words]
    fixed: dict[int, str] = {}
    for start in range(len(words)):
        for phrase, forms in _PHRASE_FORMS:
            end = start + len(phrase)
            if tuple(folded[start:end]) == phrase and not any(p in fixed for p in range(start, end)):
                fixed.update(zip(range(start, end), forms))
                break
    return fixed


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
    def of_corpus(cls, texts: Iterable[str]) -> "Vocabulary":
        """The vocabulary of indexed passages that have their diacritics, and of the words questions ask with."""
        return cls.from_texts([*texts, *QUESTION_PHRASES])

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "Vocabulary":
        vocabulary, counts = cls(), Counter()
        for text in texts:
            tokens = index_syllables(text)
            counts.update(tokens)
            vocabulary.pairs.update(zip(tokens, tokens[1:]))
        for token, n in counts.items():  # folded once per distinct syllable
            vocabulary.syllables[fold_token(token)][token] += n
        return vocabulary

    def save(self, path: Path) -> None:
        """Written with the index generation, its most frequent pairs only (MAX_PAIRS)."""
        values = {"syllables": self.syllables,
                  "pairs": [[a, b, n] for (a, b), n in self.pairs.most_common(MAX_PAIRS)]}
        path.write_text(json.dumps(values, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        values = json.loads(path.read_text(encoding="utf-8"))
        syllables = defaultdict(Counter, {k: Counter(v) for k, v in values["syllables"].items()})
        return cls(syllables, Counter({(a, b): n for a, b, n in values["pairs"]}))

    def restore(self, text: str) -> str:
        """`ty le hoc sinh` -> `tỷ lệ học sinh`, words the vocabulary does not know left as they are; the
        case of each word's first letter and everything that is not a word are kept."""
        words = list(_WORD.finditer(text))
        lowered = [normalize_tone(m.group(0)).lower() for m in words]
        chosen = self._best_path(lowered, _question_words(lowered))
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

    def _candidates(self, word: str, fixed: str | None = None) -> list[str]:
        if has_diacritics(word):
            return [word]
        if fixed:
            return [fixed]
        known = self.syllables.get(fold_token(word))
        return [form for form, _ in known.most_common(CANDIDATES)] if known else [word]

    def _best_path(self, words: list[str], fixed: dict[int, str]) -> list[str]:
        """The sequence of candidates with the highest score: each word's own frequency, and how often it
        follows the previous choice (a Viterbi search over a few candidates per word); the words of a
        question phrase (`fixed`, by position) are written as the phrase writes them."""
        if not words:
            return []
        paths = {form: (self._weight(None, form), [form]) for form in self._candidates(words[0], fixed.get(0))}
        for position, word in enumerate(words[1:], start=1):
            step = {}
            for form in self._candidates(word, fixed.get(position)):
                score, path = max(((s + self._weight(p[-1], form), p) for s, p in paths.values()),
                                  key=lambda pair: pair[0])
                step[form] = (score, [*path, form])
            paths = step
        return max(paths.values(), key=lambda pair: pair[0])[1]

    @functools.cached_property
    def _folded_pairs(self) -> Counter:
        folded: Counter = Counter()
        for (first, second), n in self.pairs.items():
            folded[(fold_token(first), fold_token(second))] += n
        return folded

    def _share(self, form: str) -> float:
        """How often the syllable is written this way, among the ways it is written."""
        alone = self.syllables.get(fold_token(form), Counter())
        return (alone[form] + 0.5) / (sum(alone.values()) + 0.5)

    def _weight(self, previous: str | None, form: str) -> float:
        """Log-likelihood of writing `form` after `previous`: the share of this accented pair among the
        pairs that fold the same way, or, for a pair never seen, the syllables' own shares."""
        if previous is None:
            return math.log(self._share(form))
        seen = self._folded_pairs[(fold_token(previous), fold_token(form))]
        prior = PAIR_PRIOR * self._share(previous) * self._share(form)
        return math.log((self.pairs[(previous, form)] + prior) / (seen + PAIR_PRIOR))
