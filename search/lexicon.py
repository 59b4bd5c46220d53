"""Domain knowledge for matching beyond the literal words, from data files users can extend: abbreviations
(`THCS` = `trung học cơ sở`), a thesaurus of near-synonyms (`kinh phí` ~ `ngân sách`), and an
English-Vietnamese glossary. The shipped files are in `search/lexicon/`; a file of the same name in the
folder of the `lexicon_dir` setting adds entries to them.

A question's phrases are matched on folded index tokens, so `THCS`, `thcs`, `trung hoc co so` and
`trung học cơ sở` all match. Each match yields `Expansion`s: the other forms of its group, searched at a
lower weight than the question's own words, so the form the user typed still ranks first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vietnamese.normalize import fold_token, index_syllables, with_bigrams

SHIPPED = Path(__file__).resolve().parent / "lexicon"
ABBREVIATIONS, THESAURUS, GLOSSARY = "abbreviations", "thesaurus", "glossary"
# Expanding a full form into its abbreviation only for abbreviations of 3+ letters: `kế hoạch` -> `KH`
# would match every plan number (43/KH-UBND).
MIN_REVERSE_ABBREVIATION = 3


def index_tokens(text: str) -> tuple[str, ...]:
    """Folded index syllables, as the BM25 `folded` field holds them."""
    return tuple(fold_token(t) for t in index_syllables(text))


@dataclass(frozen=True)
class Expansion:
    source: str  # the words of the question it stands for
    text: str  # the other form, as the data file writes it
    tokens: tuple[str, ...]  # its folded index syllables
    weight: float  # relative to the question's own words (1.0)
    kind: str  # ABBREVIATIONS, THESAURUS or "feedback"
    source_tokens: tuple[str, ...] = ()

    def terms(self) -> list[str]:
        """What to search for: its bigrams (the phrase), or the word when it is one syllable."""
        return with_bigrams(list(self.tokens))[len(self.tokens):] if len(self.tokens) > 1 else list(self.tokens)

    def neighbour_pairs(self, question: list[str]) -> list[tuple[str, str]]:
        """(the question's word pair, the same pair with this form) at each edge of the words it stands for
        in the question's folded tokens: `trong GD&ĐT` -> (`trong_gd`, `trong_gddt`)."""
        own, other = list(self.source_tokens), list(self.tokens)
        out = []
        for i in range(len(question) - len(own) + 1):
            if question[i:i + len(own)] != own:
                continue
            if i > 0:
                out.append((f"{question[i - 1]}_{own[0]}", f"{question[i - 1]}_{other[0]}"))
            if i + len(own) < len(question):
                following = question[i + len(own)]
                out.append((f"{own[-1]}_{following}", f"{other[-1]}_{following}"))
        return out


@dataclass
class _Group:
    kind: str
    phrases: list[tuple[str, tuple[str, ...]]]  # (as written, folded tokens)
    short: set[tuple[str, ...]] = field(default_factory=set)  # for ABBREVIATIONS: the abbreviations' tokens


@dataclass
class Lexicon:
    groups: list[_Group] = field(default_factory=list)
    glossary: dict[tuple[str, ...], str] = field(default_factory=dict)  # English words -> Vietnamese

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> "Lexicon":
        lexicon = cls()
        for folder in (SHIPPED, extra_dir):
            if folder is None:
                continue
            lexicon._read_abbreviations(folder / f"{ABBREVIATIONS}.tsv")
            lexicon._read_thesaurus(folder / f"{THESAURUS}.tsv")
            lexicon._read_glossary(folder / f"{GLOSSARY}.tsv")
        return lexicon

    def expansions(self, text: str, kinds: set[str], weights: dict[str, float]) -> list[Expansion]:
        tokens = index_tokens(text)
        present = set(tokens)
        out: dict[tuple[str, ...], Expansion] = {}
        for group in self.groups:
            if group.kind not in kinds:
                continue
            for written, phrase in group.phrases:
                if not _occurs(phrase, tokens):
                    continue
                for other_written, other in group.phrases:
                    if other == phrase or other in out or set(other) <= present:
                        continue
                    if other in group.short and phrase not in group.short \
                            and len("".join(other)) < MIN_REVERSE_ABBREVIATION:
                        continue
                    out[other] = Expansion(written, other_written, other, weights[group.kind], group.kind, phrase)
        return list(out.values())

    def _read_abbreviations(self, path: Path) -> None:
        """Abbreviations of the same full form make one group: GD&ĐT, GDĐT and GD-ĐT match each other."""
        by_full = {g.phrases[0][1]: g for g in self.groups if g.kind == ABBREVIATIONS}
        for number, fields in _rows(path, 2):
            abbreviation, full = fields
            short, long = index_tokens(abbreviation), index_tokens(full)
            if not short or not long:
                raise ValueError(f"{path}:{number}: an abbreviation and its full form, separated by a tab")
            group = by_full.get(long)
            if group is None:
                group = by_full[long] = _Group(ABBREVIATIONS, [(full, long)])
                self.groups.append(group)
            if short not in group.short:
                group.phrases.append((abbreviation, short))
                group.short.add(short)

    def _read_thesaurus(self, path: Path) -> None:
        for number, fields in _rows(path, 1):
            terms = [t.strip() for t in fields[0].split("|") if t.strip()]
            if len(terms) < 2:
                raise ValueError(f"{path}:{number}: a group needs two or more terms separated by ' | '")
            self.groups.append(_Group(THESAURUS, [(t, index_tokens(t)) for t in terms]))

    def _read_glossary(self, path: Path) -> None:
        for number, fields in _rows(path, 2):
            english, vietnamese = fields
            words = tuple(english.lower().split())
            if not words or not vietnamese.strip():
                raise ValueError(f"{path}:{number}: an English phrase and its Vietnamese term, separated by a tab")
            self.glossary[words] = vietnamese.strip()


def _rows(path: Path, columns: int):
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) != columns:
            raise ValueError(f"{path}:{number}: expected {columns} tab-separated field(s), found {len(fields)}")
        yield number, fields


def _occurs(phrase: tuple[str, ...], tokens: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1))
