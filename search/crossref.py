"""Cross-references by document code: which indexed plans are a given code, or cite it."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.normalize import code_token
from indexer.store import StoredDocument
from search.cite import document_label

IS = "là văn bản này"
CITES = "dẫn chiếu"


@dataclass
class CodeReference:
    code: str  # as the question wrote it
    doc: str
    label: str  # the plan, in citation form
    relation: str  # IS or CITES


def references(documents: dict[str, StoredDocument], codes: list[str]) -> list[CodeReference]:
    """For each code, the document that bears it as its number first, then those that cite it, in path order."""
    out = []
    for code in codes:
        token = code_token(code)
        bearing, citing = [], []
        for doc in sorted(documents):
            meta = documents[doc].meta
            if meta.number and code_token(meta.number) == token:
                bearing.append(CodeReference(code, doc, document_label(meta, doc), IS))
            elif any(code_token(c) == token for c in meta.cited_codes):
                citing.append(CodeReference(code, doc, document_label(meta, doc), CITES))
        out.extend(bearing + citing)
    return out
