"""The ONNX Runtime backends: float32 embeds as torch does, int8 nearly so, an index records which one built
it, and a damaged ONNX file is built again."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from indexer.build import build_index  # noqa: E402
from indexer.generations import IndexUnusable  # noqa: E402
from runtime.embed import Embedder, default_model_folder  # noqa: E402
from runtime.onnx_encoder import ONNX_FILES, OnnxEncoder, atomic_file, build_onnx  # noqa: E402
from runtime.settings import DEFAULT_MODEL, Settings, model_identity  # noqa: E402
from tests.conftest import REPO  # noqa: E402

PASSAGES = ["Kế hoạch số 43/KH-UBND ngày 23/02/2022 về phát triển giáo dục mầm non giai đoạn 2021-2025",
            "Sở Tài chính bố trí kinh phí thực hiện kế hoạch theo phân cấp ngân sách hiện hành.",
            "Phấn đấu đến năm 2025 có trên 90% nhà giáo đạt chuẩn trình độ đào tạo.", "ngắn"]
QUESTIONS = ["tỷ lệ học sinh đi học đúng độ tuổi", "chuyen doi so trong giao duc"]


@pytest.fixture(scope="module")
def onnx_embedders(embedder) -> dict[str, Embedder]:
    """Both ONNX backends; onnx-int8, the default, is the session's embedder."""
    assert embedder.name == model_identity(DEFAULT_MODEL, "onnx-int8")
    return {"onnx": Embedder(DEFAULT_MODEL, "onnx"), "onnx-int8": embedder}


def _cosines(embedder: Embedder, other: Embedder) -> np.ndarray:
    ours = np.vstack([embedder.embed_passages(PASSAGES, batch_size=3)] +
                     [embedder.embed_query(q)[None] for q in QUESTIONS])
    theirs = np.vstack([other.embed_passages(PASSAGES)] + [other.embed_query(q)[None] for q in QUESTIONS])
    return (ours * theirs).sum(axis=1)


def test_onnx_float32_embeds_as_torch_does(torch_embedder, onnx_embedders):
    onnx = onnx_embedders["onnx"]
    assert onnx.dimension == torch_embedder.dimension == 384
    assert _cosines(onnx, torch_embedder).min() > 1 - 1e-4


def test_onnx_int8_stays_close_to_torch(torch_embedder, onnx_embedders):
    assert _cosines(onnx_embedders["onnx-int8"], torch_embedder).min() > 0.98


def test_the_index_records_the_backend_and_refuses_another(tmp_path, onnx_embedders):
    assert onnx_embedders["onnx-int8"].name == model_identity(DEFAULT_MODEL, "onnx-int8") == \
        f"{DEFAULT_MODEL} [onnx-int8]"
    with pytest.raises(ValueError, match="unknown embedding backend"):
        model_identity(DEFAULT_MODEL, "onnx-fp16")
    from search.engine import SearchEngine

    settings = Settings(index_dir=tmp_path / "index", embed_backend="onnx-int8")
    build_index(REPO / "tests" / "search" / "data" / "articles", settings, show_progress=False,
                embedder=onnx_embedders["onnx-int8"])
    assert SearchEngine(settings, embedder=onnx_embedders["onnx-int8"]).index.manifest.model == \
        f"{DEFAULT_MODEL} [onnx-int8]"
    with pytest.raises(IndexUnusable, match=r"built with model 'multilingual-e5-small \[onnx-int8\]'"):
        SearchEngine(Settings(index_dir=settings.index_dir, embed_backend="torch"))


@pytest.fixture
def model_copy(tmp_path):
    """The default model's folder, linked file by file, with the float32 ONNX file already exported."""
    source = default_model_folder()
    build_onnx(source, "onnx")
    copy = tmp_path / "model"
    for path in source.rglob("*"):
        if path.is_file() and path.parent.name != "onnx":
            (copy / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (copy / path.relative_to(source)).symlink_to(path)
    (copy / "onnx").mkdir()
    (copy / "onnx" / "model.onnx").symlink_to(source / "onnx" / "model.onnx")
    return copy


def test_a_missing_or_half_written_onnx_file_is_built_again(model_copy):
    target = model_copy / "onnx" / ONNX_FILES["onnx-int8"]
    with pytest.raises(RuntimeError), atomic_file(target) as scratch:
        scratch.write_bytes(b"half")
        raise RuntimeError("killed mid-export")
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.onnx"]  # no file, no scratch left
    expected = OnnxEncoder(default_model_folder(), "onnx-int8").encode(PASSAGES)
    np.testing.assert_allclose(OnnxEncoder(model_copy, "onnx-int8").encode(PASSAGES), expected, atol=1e-6)
    whole = target.stat().st_size
    target.write_bytes(target.read_bytes()[:whole // 3])
    np.testing.assert_allclose(OnnxEncoder(model_copy, "onnx-int8").encode(PASSAGES), expected, atol=1e-6)
    assert target.stat().st_size == whole
