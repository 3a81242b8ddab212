"""A small logistic-regression churn model trained by gradient descent (numpy only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churnkit.features import FEATURES


@dataclass
class ChurnModel:
    learning_rate: float = 0.1
    epochs: int = 300
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scale: np.ndarray = field(default_factory=lambda: np.ones(0))

    def _matrix(self, frame: pd.DataFrame, columns: Sequence[str] = FEATURES) -> np.ndarray:
        values = frame[list(columns)].to_numpy(dtype=float)
        return np.column_stack([np.ones(len(values)), (values - self.mean) / self.scale])

    def fit(self, frame: pd.DataFrame, progress: Iterable[int] | None = None) -> list[float]:
        """Train on ``frame`` (needs the FEATURES and ``churned``); returns the loss per epoch."""
        values = frame[list(FEATURES)].to_numpy(dtype=float)
        self.mean, self.scale = values.mean(axis=0), values.std(axis=0) + 1e-9
        x, y = self._matrix(frame), frame["churned"].to_numpy(dtype=float)
        self.weights = np.zeros(x.shape[1])
        losses = []
        for _ in progress if progress is not None else range(self.epochs):
            p = 1 / (1 + np.exp(-x @ self.weights))
            self.weights -= self.learning_rate * x.T @ (p - y) / len(y)
            losses.append(float(-np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))))
        return losses

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return 1 / (1 + np.exp(-self._matrix(frame) @ self.weights))

    def accuracy(self, frame: pd.DataFrame, threshold: float = 0.5) -> float:
        predicted = self.predict_proba(frame) >= threshold
        return float(np.mean(predicted == frame["churned"].to_numpy()))
