"""Cross-references by document code: which indexed plans are a given code, implement it (directly or
through intermediate documents, `search.lineage`), replace or amend it, or only mention it."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.normalize import code_token
from indexer.references import AMENDED, REPLACED
from indexer.store import StoredDocument
from search.cite import document_label
from search.lineage import LineageGraph, PlanLineage

IS = "là văn bản này"
MENTIONS = "nhắc đến"


@dataclass
class CodeReference:
    code: str  # as the question wrote it
    doc: str
    label: str  # the plan, in citation form
    relation: str  # IS, "thực hiện", "căn cứ", "thực hiện qua 97-KH/TU", REPLACED, AMENDED or MENTIONS


def references(documents: dict[str, StoredDocument], codes: list[str]) -> list[CodeReference]:
    """For each code, the document that bears it as its number first, then those that implement or cite it,
    in path order."""
    graph = LineageGraph(documents)
    out = []
    for code in codes:
        token = code_token(code)
        implementing = {p.doc: p for p in graph.lineage(code).implementing}
        bearing, related = [], []
        for doc in sorted(documents):
            meta = documents[doc].meta
            label = document_label(meta)
            if meta.number and code_token(meta.number) == token:
                bearing.append(CodeReference(code, doc, label, IS))
            elif doc in implementing:
                related.append(CodeReference(code, doc, label, _implementation(implementing[doc])))
            elif any(code_token(c) == token for c in meta.cited_codes):
                changes = [(REPLACED, meta.replaces), (AMENDED, meta.amends)]
                relation = next((r for r, codes_ in changes if any(code_token(c) == token for c in codes_)), MENTIONS)
                related.append(CodeReference(code, doc, label, relation))
        out.extend(bearing + related)
    return out


def _implementation(plan: PlanLineage) -> str:
    """`thực hiện` or `căn cứ` when the plan names the code itself, else `thực hiện qua 97-KH/TU`."""
    direct = next((c for c in plan.chains if len(c.steps) == 1), None)
    if direct:
        return direct.steps[0].relation
    chain = plan.chains[0]
    return f"{chain.steps[0].relation} qua {' → '.join(s.code for s in chain.steps[:-1])}"
