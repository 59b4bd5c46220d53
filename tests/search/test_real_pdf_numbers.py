"""A question that names a real plan by its number finds it: Kế hoạch 150/KH-UBND, whose handwritten digits
OCR cannot read, has its number from the file's name, checked against the code its header prints."""

import shutil

import pytest

from indexer.build import build_index
from indexer.extract.ocr import unavailable_reason
from runtime.settings import Settings
from search.engine import SearchEngine
from tests.conftest import SHARED

PDFS = SHARED / "samples-pdf"
pytestmark = [
    pytest.mark.skipif(not PDFS.is_dir(), reason="shared/samples-pdf is not beside the repository"),
    pytest.mark.skipif(unavailable_reason() is not None, reason=f"OCR unavailable: {unavailable_reason()}"),
    pytest.mark.slow,  # OCR or a whole index build: out of the quick loop
]


@pytest.fixture(scope="module")
def pdf_engine(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("samples-pdf")
    for pdf in PDFS.glob("*.pdf"):
        shutil.copy(pdf, folder / pdf.name)
    settings = Settings(index_dir=tmp_path_factory.mktemp("samples-pdf-index"))
    build_index(folder, settings, show_progress=False, embedder=embedder)
    return SearchEngine(settings, embedder=embedder)


@pytest.mark.parametrize("question", ["kế hoạch 150/KH-UBND", "ke hoach 150/KH-UBND"])
def test_a_plan_named_by_its_number_comes_first(pdf_engine, question):
    first = pdf_engine.search(question, k=3)[0]
    assert (first.doc, first.number) == ("ke-hoach-150-KH-UBND-tin-hoc-hiep-hoa.pdf", "150/KH-UBND")
