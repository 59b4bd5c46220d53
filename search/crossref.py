"""Cross-references by document code: which indexed plans are a given code, implement it (directly or
through intermediate documents, `search.lineage`), replace or amend it, or only mention it. Each reference
carries the date of the document it reaches, so that two documents sharing a code stay apart."""

from __future__ import annotations

from dataclasses import dataclass

from vietnamese.normalize import code_token
from indexer.references import AMENDED, REPLACED
from indexer.store import StoredDocument
from search.cite import display_date, document_label
from search.lineage import LineageGraph, PlanLineage

IS = "là văn bản này"
MENTIONS = "nhắc đến"


@dataclass
class CodeReference:
    code: str  # as the question wrote it
    doc: str
    label: str  # the plan, in citation form
    relation: str  # IS, "thực hiện", "căn cứ", "thực hiện qua 97-KH/TU", REPLACED, AMENDED or MENTIONS
    date: str | None = None  # the date of the document with that code it reaches, when a text gives one

    @property
    def target(self) -> str:
        """The document it reaches: `51-KL/TW ngày 30/5/2019`, or the code alone."""
        return f"{self.code} ngày {display_date(self.date)}" if self.date else self.code


def references(documents: dict[str, StoredDocument], codes: list[str]) -> list[CodeReference]:
    """For each code, the document that bears it as its number first, then those that implement or cite it,
    in path order."""
    graph = LineageGraph(documents)
    out = []
    for code in codes:
        token = code_token(code)
        lineage = graph.lineage(code)
        implementing = {p.doc: p for p in lineage.implementing}
        bearing, related = [], []
        for doc in sorted(documents):
            meta = documents[doc].meta
            label = document_label(meta)
            if meta.number and code_token(meta.number) == token:
                bearing.append(CodeReference(code, doc, label, IS, meta.date))
            elif doc in implementing:
                plan = implementing[doc]
                related.append(CodeReference(code, doc, label, _implementation(plan), _one(plan.reaches)))
            elif any(code_token(c) == token for c in meta.cited_codes):
                changes = [(REPLACED, meta.replaces), (AMENDED, meta.amends)]
                relation = next((r for r, codes_ in changes if any(code_token(c) == token for c in codes_)), MENTIONS)
                related.append(CodeReference(code, doc, label, relation, meta.cited_date(code)))
        out.extend(bearing + related)
    return out


def _one(dates: list[str | None]) -> str | None:
    return dates[0] if len(dates) == 1 else None


def _implementation(plan: PlanLineage) -> str:
    """`thực hiện` or `căn cứ` when the plan names the code itself, else `thực hiện qua 97-KH/TU`."""
    direct = next((c for c in plan.chains if len(c.steps) == 1), None)
    if direct:
        return direct.steps[0].relation
    chain = plan.chains[0]
    return f"{chain.steps[0].relation} {chain.via()}"
