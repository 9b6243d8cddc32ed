"""A small PyTorch MLP classifier with the scikit-learn interface, saved as TorchScript."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

F64 = npt.NDArray[np.float64]


class _Net(nn.Module):
    def __init__(self, n_in: int, hidden: int, n_out: int, mean: F64, std: F64) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.body = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(),
                                  nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, n_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = cast(torch.Tensor, self.mean)
        std = cast(torch.Tensor, self.std)
        return torch.softmax(self.body((x - mean) / std), dim=1)


class TorchMLPClassifier:
    """Two hidden layers, Adam, full-batch epochs on CPU; inputs standardised inside the net."""

    def __init__(self, hidden: int = 32, epochs: int = 60, lr: float = 0.01,
                 seed: int = 0) -> None:
        self.hidden, self.epochs, self.lr, self.seed = hidden, epochs, lr, seed
        self.net: _Net | None = None
        self.classes_: npt.NDArray[np.int64] = np.array([], dtype=np.int64)

    def fit(self, x: F64, y: Any) -> TorchMLPClassifier:
        """Train on rows ``x`` and labels ``y``."""
        torch.manual_seed(self.seed)
        torch.set_num_threads(1)
        self.classes_ = np.unique(np.asarray(y).astype(np.int64))
        target = torch.from_numpy(np.searchsorted(self.classes_, np.asarray(y).astype(np.int64)))
        mean, std = x.mean(axis=0), x.std(axis=0)
        std[std == 0] = 1.0
        self.n_features_in_ = x.shape[1]
        self.net = _Net(x.shape[1], self.hidden, len(self.classes_), mean, std)
        opt = torch.optim.Adam(self.net.parameters(), lr=self.lr)
        xt = torch.from_numpy(x.astype(np.float32))
        loss_fn = nn.NLLLoss()
        for _ in range(self.epochs):
            opt.zero_grad()
            loss = loss_fn(torch.log(self.net(xt) + 1e-9), target)
            loss.backward()
            opt.step()
        return self

    def predict_proba(self, x: F64) -> F64:
        """Class probabilities of each row."""
        if self.net is None:
            raise RuntimeError("TorchMLPClassifier is not fitted")
        with torch.no_grad():
            out = self.net(torch.from_numpy(np.asarray(x, dtype=np.float32)))
        proba = np.asarray(out.double().numpy(), dtype=np.float64)
        normalised: F64 = proba / proba.sum(axis=1, keepdims=True)  # float32 softmax
        return normalised

    def save_torchscript(self, path: Path) -> Path:
        """Write the fitted net as a TorchScript archive (softmax included)."""
        if self.net is None:
            raise RuntimeError("TorchMLPClassifier is not fitted")
        example = torch.zeros((1, self.n_features_in_), dtype=torch.float32)
        with warnings.catch_warnings():  # TorchScript is deprecated upstream but is our .pt format
            warnings.simplefilter("ignore", DeprecationWarning)
            script = torch.jit.trace(  # type: ignore[no-untyped-call]  # untyped in torch
                self.net.eval(), example)
            script.save(str(path))
        return path
