"""Out-of-sample metrics of one fold: accuracy, log loss, F1 and the signal's return after fees."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def classification_metrics(y: F64, proba: F64, classes: Sequence[int]) -> dict[str, float]:
    """accuracy, log_loss (natural log, clipped at 1e-15) and F1 (binary: class 1; else macro)."""
    from sklearn.metrics import accuracy_score, f1_score, log_loss

    labels = list(classes)
    pred = np.asarray(labels)[np.argmax(proba, axis=1)]
    y_int = y.astype(np.int64)
    binary = labels == [0, 1]
    return {
        "accuracy": float(accuracy_score(y_int, pred)),
        "log_loss": float(log_loss(y_int, np.clip(proba, 1e-15, 1), labels=labels)),
        "f1": float(f1_score(y_int, pred, average="binary" if binary else "macro",
                             labels=labels, zero_division=0)),
    }


def signal_returns(p_up: F64, next_return: F64, fee_rate: float, allow_short: bool,
                   threshold: float = 0.5) -> F64:
    """Per-bar net returns of holding long (p_up > threshold), short or flat for one bar; fees
    are ``fee_rate`` per unit of position change, charged on the entering bar."""
    pos = np.where(p_up > threshold, 1.0, np.where(allow_short & (p_up < 1 - threshold), -1.0,
                                                   0.0))
    turnover = np.abs(np.diff(np.concatenate([[0.0], pos])))
    out: F64 = pos * next_return - fee_rate * turnover
    return out


def trading_metrics(returns: F64, periods_per_year: float) -> dict[str, float]:
    """net_return (compounded), sharpe (annualised), hit_rate of bars in the market."""
    growth = float(np.prod(1 + returns) - 1) if len(returns) else 0.0
    std = float(np.std(returns))
    sharpe = float(np.mean(returns) / std * np.sqrt(periods_per_year)) if std > 0 else 0.0
    active = returns[returns != 0]
    return {"net_return": growth, "sharpe": sharpe,
            "hit_rate": float(np.mean(active > 0)) if len(active) else 0.0,
            "bars_in_market": float(len(active))}
