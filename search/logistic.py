"""A small logistic model: named features, standardized, weights fitted by Newton's method with an L2
penalty. Used where a decision combines several measured signals (`search.evidence`), so that the weights
come from labelled data (`bench/fit_answers.py`) rather than from hand-set constants."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

NEWTON_STEPS = 50
L2 = 1.0  # penalty on the standardized weights, in units of one example's log-likelihood


@dataclass(frozen=True)
class LogisticModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]  # per standardized feature
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def log_odds(self, rows: np.ndarray) -> np.ndarray:
        """The linear score of each row of raw feature values (columns in `features` order)."""
        if len(rows) == 0:
            return np.zeros(0)
        z = (np.asarray(rows, dtype=np.float64) - np.array(self.mean)) / np.array(self.scale)
        return z @ np.array(self.weights) + self.bias

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(label 1) for each row of raw feature values."""
        return 1.0 / (1.0 + np.exp(-self.log_odds(rows)))

    def rows(self, features: list[dict[str, float]]) -> np.ndarray:
        """Feature records (name -> value; a missing name is 0) as the matrix `probabilities` takes."""
        return np.array([[f.get(name, 0.0) for name in self.features] for f in features], dtype=np.float64)

    def to_json(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "LogisticModel":
        return cls(tuple(data["features"]), tuple(map(float, data["weights"])), float(data["bias"]),
                   tuple(map(float, data["mean"])), tuple(map(float, data["scale"])))


def fit(rows: np.ndarray, labels: np.ndarray, features: tuple[str, ...], l2: float = L2,
        sample_weights: np.ndarray | None = None) -> LogisticModel:
    """The maximum a-posteriori weights of a logistic model on standardized features."""
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w_sample = np.ones(len(y)) if sample_weights is None else np.asarray(sample_weights, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not penalized
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (w_sample * (p - y)) + penalty * beta
        hessian = (z * (w_sample * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return LogisticModel(tuple(features), tuple(float(b) for b in beta[:-1]), float(beta[-1]),
                         tuple(float(m) for m in mean), tuple(float(s) for s in scale))


RANKER_STEPS = 400


def fit_ranker(rows: np.ndarray, groups: np.ndarray, labels: np.ndarray, features: tuple[str, ...],
               l2: float = L2, group_weights: np.ndarray | None = None) -> LogisticModel:
    """Weights of a conditional logit: within each group (a question's candidates), the softmax of the
    linear scores puts as much probability as it can on the right candidates. Groups without a right
    candidate teach nothing here. The bias is 0: only differences within a group count."""
    x = np.asarray(rows, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    groups = np.asarray(groups)
    y = np.asarray(labels, dtype=np.float64)
    order = [np.flatnonzero(groups == g) for g in np.unique(groups)]
    order = [idx for idx in order if y[idx].any()]
    weights = np.ones(len(order)) if group_weights is None else np.asarray(group_weights, dtype=np.float64)
    w = np.zeros(z.shape[1])
    loss = _ranker_loss(w, z, y, order, weights, l2)
    for _ in range(RANKER_STEPS):
        gradient, hessian = l2 * w, l2 * np.eye(len(w))
        for weight, idx in zip(weights, order):
            zg, yg = z[idx], y[idx]
            p = _softmax(zg @ w)
            q = _softmax(np.where(yg > 0, zg @ w, -np.inf))  # the softmax over the right ones only
            gradient += weight * (zg.T @ (p - q))
            hessian += weight * ((zg * p[:, None]).T @ zg - np.outer(zg.T @ p, zg.T @ p))
        # The covariance under p bounds the curvature (with several right candidates the exact Hessian is not
        # positive): a descent direction, its length halved until the loss falls.
        step = np.linalg.solve(hessian + 1e-6 * np.eye(len(w)), gradient)
        for _ in range(30):
            trial = _ranker_loss(w - step, z, y, order, weights, l2)
            if trial <= loss:
                break
            step /= 2
        w, loss = w - step, min(trial, loss)
        if np.abs(step).max() < 1e-7:
            break
    return LogisticModel(tuple(features), tuple(float(v) for v in w), 0.0, tuple(float(m) for m in mean),
                         tuple(float(s) for s in scale))


def _softmax(scores: np.ndarray) -> np.ndarray:
    p = np.exp(scores - scores.max())
    return p / p.sum()


def _ranker_loss(w: np.ndarray, z: np.ndarray, y: np.ndarray, order: list[np.ndarray], weights: np.ndarray,
                 l2: float) -> float:
    """The penalized negative log-probability that a group's pick is one of its right candidates."""
    total = 0.5 * l2 * float(w @ w)
    for weight, idx in zip(weights, order):
        s = z[idx] @ w
        right = s[y[idx] > 0]
        total += weight * (np.logaddexp.reduce(s) - np.logaddexp.reduce(right))
    return total
