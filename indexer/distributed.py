"""Indexing on a Ray cluster: Ray tasks read the files that changed and Ray actors (one per GPU where the
cluster has GPUs) embed the passages; this process decides what changed, and writes and publishes the
generation exactly as a local build does (`indexer.build.build_index`, with the reader and encoder below).

A file travels to its task as bytes (with its sidecar), so the cluster's machines need no shared folder;
each needs edusearch installed as here (docs/scaling.md)."""

from __future__ import annotations

import tempfile
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.build import BuildReport, FileReport, Prepared, build_index, read_file
from indexer.metadata import sidecar_path
from indexer.sandbox import Limits
from runtime.settings import Settings

PART = 128  # passages per actor call: big enough to batch well, small enough to spread a window over actors


@dataclass(frozen=True)
class Cluster:
    """Where to run: `address` as `ray.init` takes it (None starts a local cluster on this machine) and how
    many embedding actors (None: one per GPU, or one per `cpus_per_actor` CPUs without GPUs)."""

    address: str | None = None
    actors: int | None = None
    cpus_per_actor: int = 2


def build_on_ray(documents: Path, settings: Settings, cluster: Cluster = Cluster(), **options) -> BuildReport:
    """`build_index` with reading and embedding on the cluster; `options` are build_index's."""
    import ray

    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=cluster.address, include_dashboard=False, logging_level="warning",
                 ignore_reinit_error=True)
    try:
        return build_index(documents, settings, embedder=RayEncoder(settings, cluster), reader=RayReader(),
                           **options)
    finally:
        if started_here:
            ray.shutdown()


class RayReader:
    """Each file read by a Ray task, from its bytes; results come back in the order asked."""

    def __init__(self) -> None:
        import ray

        self._task = ray.remote(_read_bytes)
        self._pending: list = []

    def submit(self, path: Path, doc: str, sha: str, limits: Limits) -> Future:
        sidecar = sidecar_path(path)
        extra = sidecar.read_bytes() if sidecar.is_file() and not sidecar.is_symlink() else None
        ref = self._task.remote(path.name, path.read_bytes(), extra, doc, sha, limits)
        self._pending.append(ref)
        return ref.future()

    def close(self) -> None:
        import ray

        for ref in self._pending:
            ray.cancel(ref)


def _read_bytes(name: str, content: bytes, sidecar: bytes | None, doc: str, sha: str,
                limits: Limits) -> tuple[FileReport, Prepared | None]:
    """`read_file` on a copy of the file (and its sidecar) in a temporary folder of the worker."""
    with tempfile.TemporaryDirectory(prefix="edusearch-read-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        if sidecar is not None:
            sidecar_path(path).write_bytes(sidecar)
        return read_file(path, doc, sha, limits)


class RayEncoder:
    """Embeds passages on a pool of actors, each holding the model once; a window of passages is cut into
    parts spread over the actors, and put back in order. The actors start at the first passages (files are
    all read by then, so reading has had the whole cluster)."""

    def __init__(self, settings: Settings, cluster: Cluster):
        self.settings, self.cluster = settings, cluster
        self.name = settings.index_model
        self.actors = 0
        self._pool = None
        self._dimension: int | None = None

    @property
    def dimension(self) -> int:
        self._start()
        return self._dimension

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self._start()
        parts = [texts[i:i + PART] for i in range(0, len(texts), PART)]
        vectors = list(self._pool.map(lambda a, part: a.embed.remote(part, batch_size), parts))
        return np.vstack(vectors) if vectors else np.zeros((0, self._dimension), dtype=np.float32)

    def _start(self) -> None:
        if self._pool is not None:
            return
        import ray
        from ray.util import ActorPool

        resources = ray.cluster_resources()
        gpus, cpus = int(resources.get("GPU", 0)), int(resources.get("CPU", 1))
        count = self.cluster.actors or gpus or max(1, cpus // self.cluster.cpus_per_actor)
        threads = max(1, min(self.cluster.cpus_per_actor, cpus // count))
        actor = ray.remote(**({"num_gpus": 1, "num_cpus": threads} if gpus else {"num_cpus": threads}))(_EncoderActor)
        settings = self.settings
        actors = [actor.remote(settings.model, settings.embed_backend, settings.trust_remote_code, threads)
                  for _ in range(count)]
        name, self._dimension = ray.get(actors[0].identity.remote())
        if name != self.name:
            raise ValueError(f"the cluster's workers load {name}, not {self.name}: install the same edusearch there")
        self._pool, self.actors = ActorPool(actors), count


class _EncoderActor:
    """The model on one worker, on its GPU where it has one (with a torch backend: `--backend torch`)."""

    def __init__(self, model: str, backend: str, trust_remote_code: bool, threads: int):
        import ray
        import torch

        from runtime.embed import Embedder

        torch.set_num_threads(threads)  # Ray sets a fractional share's OMP threads to 1
        device = "cuda" if ray.get_gpu_ids() else "cpu"  # the torch backends; the ONNX ones run on CPUs
        self._embedder = Embedder(model, backend, trust_remote_code, device=device, threads=threads)

    def identity(self) -> tuple[str, int]:
        return self._embedder.name, self._embedder.dimension

    def embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self._embedder.embed_passages(texts, batch_size)
