"""The comparison table: the quantitative targets of every indexed plan side by side, filtered by
indicator words (abbreviations and diacritics optional: `THPT` finds `trung học phổ thông`), education
level, a year the target's period covers, and province; each row cited to its sentence."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.facets import covers
from indexer.references import REPLACED
from indexer.targets import Target
from search.cite import citation, document_label
from search.live_index import OpenIndex
from search.lexicon import ABBREVIATIONS, Lexicon, index_tokens
from search.spreadsheet import csv_text


@dataclass(frozen=True)
class TargetFilters:
    indicator: str | None = None  # words the indicator must contain
    level: str | None = None  # one of indexer.targets.LEVELS
    period: int | None = None  # a year the target's period covers
    province: str | None = None
    current: bool = False  # leave out plans that another indexed document replaces


@dataclass
class TargetRow:
    target: Target
    plan: str  # the plan, in citation form
    province: str | None
    locality: str | None  # below the province: "thành phố Hạ Long"
    issuer: str | None
    citation: str  # plan, section and page of the sentence
    replaced_by: list[str]  # labels of the indexed documents that replace the plan

    def to_json(self) -> dict:
        t = self.target
        return {"doc": t.doc, "plan": self.plan, "province": self.province, "locality": self.locality,
                "issuer": self.issuer,
                "indicator": t.indicator, "levels": t.levels, "comparator": t.comparator, "value": t.value,
                "unit": t.unit, "period": t.period, "year_from": t.year_from, "year_to": t.year_to,
                "sentence": t.sentence, "section": t.section, "section_ordinal": t.section_ordinal,
                "start": t.start, "end": t.end, "citation": self.citation, "replaced_by": self.replaced_by}


def target_rows(index: OpenIndex, lexicon: Lexicon, filters: TargetFilters = TargetFilters()) -> list[TargetRow]:
    """The targets that pass the filters, plan by plan in path order, each plan's in document order."""
    wanted = _IndicatorMatcher(filters.indicator, lexicon) if filters.indicator else None
    documents = index.documents
    rows = []
    for target in index.store.targets():
        meta = documents[target.doc].meta
        replaced_by = [document_label(documents[c.by].meta) for c in index.changes.get(target.doc, [])
                       if c.relation == REPLACED]
        if (filters.province and meta.province != filters.province) or (filters.current and replaced_by) \
                or (filters.level and filters.level not in target.levels) \
                or (filters.period and not covers(target.year_from, target.year_to, filters.period)) \
                or (wanted and not wanted.matches(target)):
            continue
        rows.append(TargetRow(target, document_label(meta), meta.province, meta.locality,
                              meta.issuer_short or meta.issuer,
                              citation(meta, target.section, target.page, target.page), replaced_by))
    return rows


class _IndicatorMatcher:
    """Every word of the filter is in the target's indicator or levels, or one of its abbreviations'
    other forms is (`THPT` ~ `trung học phổ thông`)."""

    def __init__(self, text: str, lexicon: Lexicon):
        self.tokens = index_tokens(text)
        self.alternatives = lexicon.expansions(text, {ABBREVIATIONS}, {ABBREVIATIONS: 1.0})

    def matches(self, target: Target) -> bool:
        have = index_tokens(f"{target.indicator} {' '.join(target.levels)}")
        present = set(have)
        covered = {t for t in self.tokens if t in present}
        for alternative in self.alternatives:
            if _contains(have, alternative.tokens):
                covered.update(alternative.source_tokens)
        return bool(self.tokens) and covered >= set(self.tokens)


def _contains(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1))


CSV_COLUMNS = ["Văn bản", "Tỉnh/thành", "Huyện/thành phố/xã", "Cơ quan ban hành", "Chỉ tiêu", "Cấp học", "So sánh", "Giá trị",
               "Đơn vị", "Giai đoạn", "Câu trích", "Trích dẫn", "Bị thay thế bởi", "Tệp"]


def targets_csv(rows: list[TargetRow]) -> str:
    """The comparison table as CSV text (`search.spreadsheet`)."""
    return csv_text(CSV_COLUMNS, ([r.plan, r.province or "", r.locality or "", r.issuer or "", r.target.indicator,
                                   ", ".join(r.target.levels), r.target.comparator, r.target.value_text,
                                   r.target.unit, r.target.period or "", r.target.sentence, r.citation,
                                   "; ".join(r.replaced_by), r.target.doc] for r in rows))
