"""Which plan implements which higher document, and every relation of the indexed plans to a code
(`references`: the plan that is it, those that implement, replace, amend or only mention it).

A graph over document codes, from what each indexed plan says in its title and opening
(`indexer.references`): an edge from a plan to each code it implements (`thực hiện`) or bases itself on
(`căn cứ`), and from a cited code to the code that the plan's opening says it implements in turn
(`Kế hoạch số 97-KH/TU ... về việc thực hiện Kết luận số 51-KL/TW`). A plan without a number is a node of
its own. Codes cited anywhere else in a plan are mentions in passing, listed apart.

A node is a code *and the date* a text gives beside it (`51-KL/TW ngày 30/5/2019`), since two documents can
share a code. A citation without a date joins the one dated document of its code when the texts know only
one; when they know several, it stays apart, and the lineage says it cannot tell which one is meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from indexer.metadata import DocumentMeta
from vietnamese.normalize import code_token, find_codes
from indexer.references import AMENDED, REPLACED, code_dates
from indexer.store import StoredDocument
from search.cite import display_date, document_label

IMPLEMENTS, BASIS = "thực hiện", "căn cứ"
MAX_DEPTH = 6
MAX_CHAINS = 4  # per plan


@dataclass(frozen=True)
class Step:
    code: str  # as printed, or the plan's label for an indexed plan without a number
    relation: str  # how the step before it relates to it: IMPLEMENTS or BASIS
    doc: str | None  # the indexed document that bears this code, if any
    date: str | None = None  # the date the texts give this document (ISO), when they give one

    @property
    def named(self) -> str:
        """`51-KL/TW ngày 30/5/2019`, or the code alone when no text dates it."""
        return f"{self.code} ngày {display_date(self.date)}" if self.date else self.code


@dataclass
class Chain:
    """A path up the graph: the plan, then each higher document it reaches, the last one included."""

    steps: list[Step]

    def text(self) -> str:
        return " → ".join(f"{s.relation} {s.named}" for s in self.steps)

    def via(self) -> str:
        """`trực tiếp`, or `qua 97-KH/TU` for the documents between the plan and the last one."""
        return "trực tiếp" if len(self.steps) == 1 else "qua " + " → ".join(s.named for s in self.steps[:-1])


@dataclass
class PlanLineage:
    doc: str
    label: str
    chains: list[Chain]  # each from the plan up to the asked code

    @property
    def direct(self) -> bool:
        return any(len(c.steps) == 1 for c in self.chains)

    @property
    def reaches(self) -> list[str | None]:
        """The dates of the documents with the asked code that its chains end at (None: not dated)."""
        return list(dict.fromkeys(c.steps[-1].date for c in self.chains))


@dataclass(frozen=True)
class Mention:
    doc: str
    label: str
    date: str | None  # the date the plan gives the code it mentions, when it gives one


@dataclass
class LineageResult:
    code: str
    bearer: str | None  # the indexed document whose number is the code
    implementing: list[PlanLineage] = field(default_factory=list)
    mentioning: list[Mention] = field(default_factory=list)  # cited only in passing
    dates: list[str] = field(default_factory=list)  # one per document the texts give this code, by its date

    @property
    def undecided(self) -> bool:
        """Several documents bear the code and some plan cites it without saying which."""
        cited = [d for p in self.implementing for d in p.reaches] + [m.date for m in self.mentioning]
        return len(self.dates) > 1 and None in cited

    def to_json(self) -> dict:
        return {
            "code": self.code, "bearer": self.bearer, "dates": self.dates, "undecided": self.undecided,
            "implementing": [{"doc": p.doc, "label": p.label, "direct": p.direct, "reaches": p.reaches,
                              "chains": [[{"code": s.code, "date": s.date, "relation": s.relation, "doc": s.doc}
                                          for s in c.steps] for c in p.chains]} for p in self.implementing],
            "mentioning": [{"doc": m.doc, "label": m.label, "date": m.date} for m in self.mentioning],
        }


class LineageGraph:
    def __init__(self, documents: dict[str, StoredDocument]):
        self.documents = documents
        self._shown: dict[str, str] = {}  # node -> code as printed
        own: dict[str, str] = {}  # indexed document -> its node, before undated nodes are joined
        edges: list[tuple[str, str, str]] = []  # (lower, higher, relation)
        for doc, stored in sorted(documents.items()):
            meta = stored.meta
            own[doc] = _node(meta.number, meta.date) if meta.number else f"doc:{doc}"
            self._shown[own[doc]] = meta.number or document_label(meta)
            for relation, codes in ((IMPLEMENTS, meta.implements), (BASIS, meta.bases)):
                edges += [(own[doc], self._code_node(code, meta), relation) for code in codes]
            edges += [(self._code_node(lower, meta), self._code_node(higher, meta), IMPLEMENTS)
                      for lower, higher in meta.upstream]
            for code in meta.mentions:
                self._code_node(code, meta)
        self._alias = _undated_to_dated(set(self._shown))
        self._own = {doc: self._resolve(node) for doc, node in own.items()}
        self._doc_of = {node: doc for doc, node in self._own.items()}
        self._up: dict[str, dict[str, str]] = {}  # node -> {higher node: relation}
        for lower, higher, relation in edges:
            if self._resolve(lower) != self._resolve(higher):
                self._up.setdefault(self._resolve(lower), {}).setdefault(self._resolve(higher), relation)

    def node_of(self, doc: str) -> str:
        return self._own[doc]

    def lineage(self, code: str, date: str | None = None) -> LineageResult:
        """The indexed plans that implement `code` (the document of that date, when given), directly or
        through intermediate documents, and those that only mention it."""
        token = code_token(code)
        targets = {n for n in self._shown if _split(n)[0] == token and self._resolve(n) == n
                   and (date is None or _split(n)[1] == date)}
        bearer = next((self._doc_of[n] for n in sorted(targets) if n in self._doc_of), None)
        result = LineageResult(code, bearer, dates=sorted(d for n in targets if (d := _split(n)[1])))
        by_doc: dict[str, list[Chain]] = {}
        for doc, node in sorted(self._own.items()):
            if node not in targets:
                chains = [w.chain for w in self._chains_up(node, stop_at=targets) if w.node in targets]
                if chains:
                    by_doc[doc] = chains
        for doc, chains in sorted(by_doc.items()):
            chains.sort(key=lambda c: -len(c.steps))  # through intermediate plans first
            result.implementing.append(PlanLineage(doc, self._label(doc), chains[:MAX_CHAINS]))
        for doc, stored in sorted(self.documents.items()):
            meta = stored.meta
            mentioned = [c for c in meta.mentions if code_token(c) == token]
            if doc not in by_doc and mentioned and self._resolve(_node(token, meta.cited_date(token))) in targets:
                result.mentioning.append(Mention(doc, self._label(doc), meta.cited_date(mentioned[0])))
        return result

    def ancestors(self, doc: str) -> list[Chain]:
        """Every path from a plan up to the documents it implements, longest first."""
        chains = [w.chain for w in self._chains_up(self.node_of(doc))]
        tops = [c for c in chains if not any(len(o.steps) > len(c.steps) and o.steps[:len(c.steps)] == c.steps
                                               for o in chains)]
        return sorted(tops, key=lambda c: -len(c.steps))

    def descendants(self, doc: str) -> list[PlanLineage]:
        """The indexed plans that implement this plan, directly or in turn."""
        number = self.documents[doc].meta.number
        return self.lineage(number, _split(self._own[doc])[1]).implementing if number else []

    def _code_node(self, code: str, citing: DocumentMeta) -> str:
        node = _node(code, citing.cited_date(code))
        self._shown.setdefault(node, code)
        return node

    def _resolve(self, node: str) -> str:
        return self._alias.get(node, node)

    def _chains_up(self, node: str, stop_at: set[str] = frozenset()) -> Iterator[_Walked]:
        """Every simple path upward from `node` (prefixes included), ending at a node of `stop_at`."""
        def walk(current: str, steps: list[Step], seen: set[str]) -> Iterator[_Walked]:
            if steps:
                yield _Walked(current, Chain(list(steps)))
            if len(steps) >= MAX_DEPTH or current in stop_at:
                return
            for higher, relation in sorted(self._up.get(current, {}).items()):
                if higher not in seen:
                    step = Step(self._shown.get(higher, higher), relation, self._doc_of.get(higher), _split(higher)[1])
                    yield from walk(higher, steps + [step], seen | {higher})
        yield from walk(node, [], {node})

    def _label(self, doc: str) -> str:
        return document_label(self.documents[doc].meta)


def asked_code(text: str) -> tuple[str, str | None]:
    """What a lineage question names: `51-KL/TW ngày 30/5/2019` -> (`51-KL/TW`, `2019-05-30`); a bare code
    -> (the code, None); text without a code -> (the text, None)."""
    codes = find_codes(text)
    if not codes:
        return text.strip(), None
    dates = code_dates(text).get(code_token(codes[0]), [])
    return codes[0], dates[0] if dates else None


@dataclass(frozen=True)
class _Walked:
    node: str  # where the chain ends
    chain: Chain


def _node(code: str, date: str | None) -> str:
    return f"{code_token(code)}@{date}" if date else code_token(code)


def _split(node: str) -> tuple[str, str | None]:
    token, _, date = node.partition("@")
    return token, date or None


def _undated_to_dated(nodes: set[str]) -> dict[str, str]:
    """An undated code joins the one dated document of that code, when the texts know exactly one."""
    dated: dict[str, list[str]] = {}
    for node in nodes:
        token, date = _split(node)
        if date:
            dated.setdefault(token, []).append(node)
    return {token: found[0] for token, found in dated.items() if len(found) == 1 and token in nodes}


# --- cross-references by code: the relation of each indexed plan to the codes a question names

IS = "chính là văn bản"
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


def references(graph: LineageGraph, codes: list[str]) -> list[CodeReference]:
    """For each code, the document that bears it as its number first, then those that implement or cite it,
    in path order."""
    documents = graph.documents
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
