"""The store: documents, sections, passages with their vectors, and targets, read back as written."""

import numpy as np

from indexer.chunks import Chunk
from indexer.coverage import Coverage
from indexer.metadata import DocumentMeta
from indexer.store import Store, StoredDocument, StoredSection, StoreWriter

TEXT = "I. MỤC TIÊU\nPhấn đấu 95% trẻ mẫu giáo đến trường.\nII. KINH PHÍ\nSở Tài chính bố trí kinh phí."
SPLIT = TEXT.index("II.")


def _write(path, docs: list[str]) -> None:
    writer = StoreWriter(path)
    for doc in docs:
        meta = DocumentMeta(number=f"{doc[0]}/KH-UBND", province="Lạng Sơn", code_dates={"51-kl/tw": ["2019-05-30"]})
        sections = [StoredSection(doc, 0, "I. MỤC TIÊU", "I. MỤC TIÊU", 1, 0, SPLIT, 1, 1),
                    StoredSection(doc, 1, "II. KINH PHÍ", "II. KINH PHÍ", 1, SPLIT, len(TEXT), 2, 2)]
        chunks = [Chunk(f"{doc}-{n}", doc, n, s.path, s.ordinal, TEXT[s.start:s.end], s.start, s.end, n + 1, n + 1)
                  for n, s in enumerate(sections)]
        vectors = np.eye(2, 4, k=len(docs) - 1 if doc.startswith("b") else 0, dtype=np.float32)
        writer.add_document(StoredDocument(doc, "0" * 64, meta, TEXT, 2, ["một ghi chú"], Coverage(len(TEXT), len(TEXT))),
                            sections, chunks, vectors, [])
    writer.close()


def test_what_is_written_is_read_back(tmp_path):
    _write(tmp_path / "store.sqlite", ["a.txt", "b.txt"])
    store = Store(tmp_path / "store.sqlite")
    [first, second] = store.documents()
    assert (first.doc, first.meta.number, first.meta.code_dates, first.notes) == (
        "a.txt", "a/KH-UBND", {"51-kl/tw": ["2019-05-30"]}, ["một ghi chú"])
    assert store.documents(with_text=False)[0].text == "" and store.document("b.txt").text == TEXT
    assert store.document("c.txt") is None
    assert [s.heading for s in store.sections("a.txt")] == ["I. MỤC TIÊU", "II. KINH PHÍ"]
    assert store.section("b.txt", 1).page_start == 2 and store.section("b.txt", 9) is None
    assert (store.count("documents"), store.count("sections"), store.count("chunks")) == (2, 4, 4)


def test_passages_get_consecutive_vector_ids_in_the_order_written(tmp_path):
    _write(tmp_path / "store.sqlite", ["a.txt", "b.txt"])
    store = Store(tmp_path / "store.sqlite")
    assert store.chunk_docs() == ["a.txt", "a.txt", "b.txt", "b.txt"]
    found = store.chunks_by_vec_ids([3, 0])
    assert (found[0].id, found[3].id, found[3].text) == ("a.txt-0", "b.txt-1", TEXT[SPLIT:])
    assert store.all_vectors(4).shape == (4, 4)
    assert np.array_equal(store.chunks_of("a.txt")[1][1], np.eye(2, 4, dtype=np.float32)[1])
