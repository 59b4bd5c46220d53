"""Chunks: windows of a section's text, never across sections, with stable ids."""

from indexer.chunks import MAX_SYLLABLES, chunk_document, chunk_id
from indexer.sections import Block, Section


def _section(ordinal: int, path: list[str], paragraphs: list[str], page: int = 1) -> Section:
    blocks, position = [], ordinal * 100_000
    for text in paragraphs:
        blocks.append(Block(text, position, position + len(text), page, page))
        position += len(text) + 1
    return Section(ordinal, path[-1], path, len(path), blocks, blocks[0].start, blocks[-1].end)


def test_a_chunk_stays_inside_its_section_and_carries_its_heading_path_and_pages():
    sections = [_section(0, ["I. MỤC TIÊU"], ["Phấn đấu 95% trẻ mẫu giáo đến trường."]),
                _section(1, ["II. NHIỆM VỤ", "1. Sở Tài chính"], ["Bố trí kinh phí.", "Hướng dẫn sử dụng."], page=3)]
    chunks = chunk_document("a.txt", sections)
    assert [(c.section, c.section_ordinal, c.page_start) for c in chunks] == [
        ("I. MỤC TIÊU", 0, 1), ("II. NHIỆM VỤ › 1. Sở Tài chính", 1, 3)]
    assert chunks[1].text == "Bố trí kinh phí.\nHướng dẫn sử dụng."  # paragraphs on their own lines
    assert (chunks[1].start, chunks[1].end) == (sections[1].start, sections[1].end)


def test_a_long_section_is_cut_into_overlapping_windows_of_bounded_length():
    sentences = [f"Câu thứ {n} nói về việc phát triển đội ngũ giáo viên trong nhà trường." for n in range(80)]
    chunks = chunk_document("a.txt", [_section(0, ["III. GIẢI PHÁP"], [" ".join(sentences)])])
    assert len(chunks) > 3
    assert all(len(c.text.split()) <= MAX_SYLLABLES for c in chunks)
    assert all(set(a.text.split(". ")) & set(b.text.split(". ")) for a, b in zip(chunks, chunks[1:]))  # overlap
    assert sentences[0] in chunks[0].text and sentences[-1] in chunks[-1].text


def test_a_chunk_id_depends_only_on_its_document_section_and_text():
    first = chunk_id("a.txt", "I. MỤC TIÊU", "Bố trí kinh phí.", [])
    assert first == chunk_id("a.txt", "I. MỤC TIÊU", "Bố trí kinh phí.", [])
    assert first != chunk_id("b.txt", "I. MỤC TIÊU", "Bố trí kinh phí.", [])
    [chunk] = chunk_document("a.txt", [_section(0, ["I. MỤC TIÊU"], ["Bố trí kinh phí."])])
    assert chunk_id("a.txt", "I. MỤC TIÊU", "Bố trí kinh phí.", [chunk]) == f"{chunk.id}-1"  # repeated passage
