"""A sentence-transformers folder run on ONNX Runtime: the transformer exported once to `<folder>/onnx/`
(float32 `model.onnx`, and `model_int8.onnx` with its weight matrices dynamically quantized to int8), then
tokenized, mean-pooled and L2-normalized here as the folder's sentence-transformers modules do.

Files are written to a temporary name and renamed, so a killed export leaves no half file; a file that
ONNX Runtime cannot load is built again."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model_int8.onnx"}
OPSET = 17


class OnnxUnavailable(RuntimeError):
    """The folder cannot run on ONNX Runtime; the message says why."""


def onnx_path(folder: Path, backend: str) -> Path:
    """Where the backend's file for `folder` lives: `<folder>/onnx/`, or under the data folder when the
    model folder is not writable."""
    if os.access(folder, os.W_OK):
        return folder / "onnx" / ONNX_FILES[backend]
    from runtime.settings import data_home

    name = f"{folder.name}-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]}"
    return data_home() / "models" / "onnx" / name / ONNX_FILES[backend]


def build_onnx(folder: Path, backend: str, rebuild: bool = False, trust_remote_code: bool = False) -> Path:
    """The backend's ONNX file for the model folder, exported (and quantized) now unless already there."""
    target = onnx_path(folder, backend)
    if target.is_file() and not rebuild:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if backend == "onnx":
        _export(folder, target, trust_remote_code)
    else:
        _quantize(build_onnx(folder, "onnx", trust_remote_code=trust_remote_code), target)
    return target


def _export(folder: Path, target: Path, trust_remote_code: bool) -> None:
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the weights' loading bar, as Embedder's environment does

    class Hidden(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = AutoModel.from_pretrained(folder, local_files_only=True, attn_implementation="eager",
                                                   trust_remote_code=trust_remote_code)

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    with atomic_file(target) as scratch, torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter announces its deprecation
        torch.onnx.export(Hidden().eval(), (ids, torch.ones_like(ids)), str(scratch), dynamo=False,
                          input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                          opset_version=OPSET, do_constant_folding=True)


def _quantize(source: Path, target: Path) -> None:
    """int8 weights, one scale per output channel, for the MatMuls with a constant weight only (not the
    attention products, nor the embedding tables)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs advice to pre-process the model first
    try:
        with atomic_file(target) as scratch:
            quantize_dynamic(source, scratch, op_types_to_quantize=["MatMul"], per_channel=True,
                             weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)


class atomic_file:
    """A scratch path beside `target`, renamed onto it when the block succeeds and removed otherwise."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> Path:
        handle, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        os.close(handle)
        self.scratch = Path(name)
        return self.scratch

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            umask = os.umask(0)
            os.umask(umask)
            self.scratch.chmod(0o666 & ~umask)  # mkstemp makes it private; the file is as shareable as the model
            os.replace(self.scratch, self.target)
        else:
            self.scratch.unlink(missing_ok=True)


class OnnxEncoder:
    """The folder's transformer on ONNX Runtime, with the folder's tokenizer, sequence limit and pooling."""

    def __init__(self, folder: Path, backend: str, trust_remote_code: bool = False, threads: int | None = None):
        from transformers import AutoConfig, AutoTokenizer

        folder = Path(folder)
        _require_mean_pooling(folder)
        config = AutoConfig.from_pretrained(folder, local_files_only=True, trust_remote_code=trust_remote_code)
        self.dimension = int(config.hidden_size)
        self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True,
                                                       trust_remote_code=trust_remote_code)
        self.max_length = _max_seq_length(folder, self.tokenizer.model_max_length)
        self.session = load_session(folder, backend, trust_remote_code, threads)
        self.inputs = {i.name for i in self.session.get_inputs()}
        self._tokenizing = threading.Lock()  # a fast tokenizer called with padding is not safe across threads

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors, one per text, in order; texts are batched longest first as
        `SentenceTransformer.encode` does."""
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            chosen = order[start:start + batch_size]
            out[chosen] = self._batch([texts[i] for i in chosen])
        return out

    def _batch(self, texts: list[str]) -> np.ndarray:
        with self._tokenizing:
            tokens = self.tokenizer(texts, padding=True, truncation="longest_first", max_length=self.max_length,
                                    return_tensors="np")
        feed = {name: tokens[name].astype(np.int64) for name in self.inputs}
        hidden = self.session.run(None, feed)[0]
        mask = tokens["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def load_session(folder: Path, backend: str, trust_remote_code: bool = False, threads: int | None = None):
    """An ONNX Runtime session for the backend's file, built first if missing, running on `threads` threads
    (default: every CPU). A file that cannot be loaded (a damaged one) is built again; if that fails too, the
    float32 file it is quantized from is as well."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    failure = None
    for rebuilt in [(), (backend,)] + ([("onnx", backend)] if backend != "onnx" else []):
        try:
            for stale in rebuilt:
                build_onnx(folder, stale, rebuild=True, trust_remote_code=trust_remote_code)
            path = build_onnx(folder, backend, trust_remote_code=trust_remote_code)
            return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except ImportError:
            raise
        except Exception as error:  # noqa: BLE001 - onnx and onnxruntime raise their own types for a bad file
            failure = error
    raise OnnxUnavailable(f"cannot build {onnx_path(folder, backend)}: {type(failure).__name__}: {failure}")


def _require_mean_pooling(folder: Path) -> None:
    """Mean pooling, as the folder's Pooling module says (a plain transformers folder: sentence-transformers'
    default, mean)."""
    modules = folder / "modules.json"
    listed = json.loads(modules.read_text()) if modules.is_file() else []
    for module in listed:
        if module.get("type", "").endswith("Pooling"):
            config = json.loads((folder / module.get("path", "") / "config.json").read_text())
            modes = sorted(k for k, v in config.items() if k.startswith("pooling_mode") and v)
            if modes != ["pooling_mode_mean_tokens"]:
                raise OnnxUnavailable(f"{folder}: the ONNX backends pool by mean only, "
                                      f"this model by {', '.join(modes)}")


def _max_seq_length(folder: Path, tokenizer_limit: int) -> int:
    config = folder / "sentence_bert_config.json"
    limit = json.loads(config.read_text()).get("max_seq_length") if config.is_file() else None
    return int(limit or min(tokenizer_limit, 512))
