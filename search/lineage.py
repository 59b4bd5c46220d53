"""Which plan implements which higher document.

A graph over document codes, from what each indexed plan says in its title and opening
(`indexer.references`): an edge from a plan to each code it implements (`thực hiện`) or bases itself on
(`căn cứ`), and from a cited code to the code that the plan's opening says it implements in turn
(`Kế hoạch số 97-KH/TU ... về việc thực hiện Kết luận số 51-KL/TW`). A plan without a number is a node of
its own. Codes cited anywhere else in a plan are mentions in passing, listed apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from indexer.normalize import code_token
from indexer.store import StoredDocument
from search.cite import document_label

IMPLEMENTS, BASIS = "thực hiện", "căn cứ"
MAX_DEPTH = 6
MAX_CHAINS = 4  # per plan


@dataclass(frozen=True)
class Step:
    code: str  # as printed, or the plan's label for an indexed plan without a number
    relation: str  # how the step before it relates to it: IMPLEMENTS or BASIS
    doc: str | None  # the indexed document that bears this code, if any


@dataclass
class Chain:
    """A path up the graph: the plan, then each higher document it reaches, the last one included."""

    steps: list[Step]

    def text(self) -> str:
        return " → ".join(f"{s.relation} {s.code}" for s in self.steps)


@dataclass
class PlanLineage:
    doc: str
    label: str
    chains: list[Chain]  # each from the plan up to the asked code

    @property
    def direct(self) -> bool:
        return any(len(c.steps) == 1 for c in self.chains)


@dataclass
class LineageResult:
    code: str
    bearer: str | None  # the indexed document whose number is the code
    implementing: list[PlanLineage] = field(default_factory=list)
    mentioning: list[tuple[str, str]] = field(default_factory=list)  # (doc, label): cited only in passing

    def to_json(self) -> dict:
        return {
            "code": self.code, "bearer": self.bearer,
            "implementing": [{"doc": p.doc, "label": p.label, "direct": p.direct,
                              "chains": [[{"code": s.code, "relation": s.relation, "doc": s.doc} for s in c.steps]
                                         for c in p.chains]} for p in self.implementing],
            "mentioning": [{"doc": doc, "label": label} for doc, label in self.mentioning],
        }


class LineageGraph:
    def __init__(self, documents: dict[str, StoredDocument]):
        self._documents = documents
        self._doc_of: dict[str, str] = {}  # node -> indexed document
        self._shown: dict[str, str] = {}  # node -> code as printed
        self._up: dict[str, dict[str, str]] = {}  # node -> {higher node: relation}
        for doc, stored in sorted(documents.items()):
            meta = stored.meta
            node = self.node_of(doc)
            self._doc_of[node] = doc
            self._shown[node] = meta.number or document_label(meta)
            for relation, codes in ((IMPLEMENTS, meta.implements), (BASIS, meta.bases)):
                for code in codes:
                    self._link(node, self._code_node(code), relation)
            for lower, higher in meta.upstream:
                self._link(self._code_node(lower), self._code_node(higher), IMPLEMENTS)

    def node_of(self, doc: str) -> str:
        number = self._documents[doc].meta.number
        return code_token(number) if number else f"doc:{doc}"

    def lineage(self, code: str) -> LineageResult:
        """The indexed plans that implement `code`, directly or through intermediate documents, and those
        that only mention it."""
        target = code_token(code)
        result = LineageResult(code, self._doc_of.get(target))
        by_doc: dict[str, list[Chain]] = {}
        for node, _ in self._doc_of.items():
            if node == target:
                continue
            for chain in self._chains_up(node, stop_at=target):
                if chain.steps and code_token(chain.steps[-1].code) == target:
                    by_doc.setdefault(self._doc_of[node], []).append(chain)
        for doc, chains in sorted(by_doc.items()):
            chains.sort(key=lambda c: -len(c.steps))  # through intermediate plans first
            result.implementing.append(PlanLineage(doc, self._label(doc), chains[:MAX_CHAINS]))
        for doc, stored in sorted(self._documents.items()):
            if doc not in by_doc and any(code_token(c) == target for c in stored.meta.mentions):
                result.mentioning.append((doc, self._label(doc)))
        return result

    def ancestors(self, doc: str) -> list[Chain]:
        """Every path from a plan up to the documents it implements, longest first."""
        chains = [c for c in self._chains_up(self.node_of(doc)) if c.steps]
        tops = [c for c in chains if not any(len(o.steps) > len(c.steps) and o.steps[:len(c.steps)] == c.steps
                                               for o in chains)]
        return sorted(tops, key=lambda c: -len(c.steps))

    def descendants(self, doc: str) -> list[PlanLineage]:
        """The indexed plans that implement this plan, directly or in turn."""
        number = self._documents[doc].meta.number
        return self.lineage(number).implementing if number else []

    def _link(self, lower: str, higher: str, relation: str) -> None:
        if lower != higher:
            self._up.setdefault(lower, {}).setdefault(higher, relation)

    def _code_node(self, code: str) -> str:
        node = code_token(code)
        self._shown.setdefault(node, code)
        return node

    def _chains_up(self, node: str, stop_at: str | None = None) -> Iterator[Chain]:
        """Every simple path upward from `node` (prefixes included), ending at `stop_at` when given."""
        def walk(current: str, steps: list[Step], seen: set[str]) -> Iterator[Chain]:
            yield Chain(list(steps))
            if len(steps) >= MAX_DEPTH or current == stop_at:
                return
            for higher, relation in sorted(self._up.get(current, {}).items()):
                if higher not in seen:
                    step = Step(self._shown.get(higher, higher), relation, self._doc_of.get(higher))
                    yield from walk(higher, steps + [step], seen | {higher})
        yield from walk(node, [], {node})

    def _label(self, doc: str) -> str:
        return document_label(self._documents[doc].meta)
