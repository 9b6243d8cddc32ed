"""Parameter search over a strategy's declared parameters: an exhaustive grid and Optuna's TPE,
both on every core (grid: the parallel kernel or a process pool; TPE: worker processes sharing
one journal-file study)."""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aitrader.research.evaluator import Evaluator
from aitrader.research.objective import Objective
from aitrader.research.objectives import RunScore
from aitrader.research.param_space import ParamRange, grid_points


@dataclass(frozen=True)
class Trial:
    """One evaluated parameter set (``score`` None: the strategy refused the parameters)."""

    params: dict[str, Any]
    score: RunScore | None
    value: float

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"params": self.params, "value": self.value,
                "score": None if self.score is None else asdict(self.score)}


@dataclass
class SearchResult:
    """Every trial of a search, best first by the objective."""

    method: str
    objective: Objective
    ranges: list[ParamRange]
    trials: list[Trial]
    elapsed_s: float
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def best(self) -> Trial:
        """The trial with the highest objective value."""
        if not self.trials:
            raise ValueError("the search evaluated no parameter set")
        return self.trials[0]

    def valid(self) -> list[Trial]:
        """Trials whose parameters the strategy accepted."""
        return [t for t in self.trials if t.score is not None]


def _value(score: RunScore | None, objective: Objective, dd_cap: float) -> float:
    return float("-inf") if score is None else score.value(objective, dd_cap)


def _ranked(trials: list[Trial]) -> list[Trial]:
    return sorted(trials, key=lambda t: t.value, reverse=True)


def _score_chunk(ev: Evaluator, chunk: list[dict[str, Any]]) -> list[RunScore | None]:
    return ev.score_many(chunk)


def grid_search(ev: Evaluator, ranges: list[ParamRange], fixed: dict[str, Any],
                objective: Objective, dd_cap: float = 0.2, workers: int = 2) -> SearchResult:
    """Every grid point; sma_cross runs in the parallel kernel, others in ``workers`` processes.
    """
    if not ranges:
        raise ValueError("a grid search needs at least one --range")
    started = time.perf_counter()
    points = list(grid_points(ranges, fixed))
    if ev.strategy == "sma_cross" or workers <= 1 or len(points) < 2 * workers:
        scores = ev.score_many(points)
    else:
        size = -(-len(points) // (workers * 4))
        chunks = [points[i:i + size] for i in range(0, len(points), size)]
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            scores = [s for part in pool.map(_score_chunk, [ev] * len(chunks), chunks)
                      for s in part]
    trials = [Trial(p, s, _value(s, objective, dd_cap)) for p, s in zip(points, scores,
                                                                        strict=True)]
    return SearchResult("grid", objective, ranges, _ranked(trials),
                        time.perf_counter() - started, dict(fixed))


def _suggest(trial: Any, r: ParamRange) -> Any:
    if r.kind == "bool":
        return trial.suggest_categorical(r.name, [False, True])
    if r.kind == "int":
        return trial.suggest_int(r.name, int(r.low), int(r.high), step=int(r.step or 1))
    return trial.suggest_float(r.name, r.low, r.high, step=r.step)


def _tpe_worker(ev: Evaluator, ranges: list[ParamRange], fixed: dict[str, Any],
                objective: Objective, dd_cap: float, journal: str, study: str, n_trials: int,
                seed: int) -> None:
    import optuna
    from optuna.storages.journal import JournalFileBackend

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.JournalStorage(JournalFileBackend(journal))
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(10, n_trials))
    st = optuna.load_study(study_name=study, storage=storage, sampler=sampler)

    def run(trial: Any) -> float:
        params = {**fixed, **{r.name: _suggest(trial, r) for r in ranges}}
        score = ev.score(params)
        if score is None:
            raise optuna.TrialPruned(f"strategy refused {params}")
        trial.set_user_attr("score", asdict(score))
        return score.value(objective, dd_cap)

    st.optimize(run, n_trials=n_trials)


def tpe_search(ev: Evaluator, ranges: list[ParamRange], fixed: dict[str, Any],
               objective: Objective, n_trials: int, dd_cap: float = 0.2, workers: int = 2,
               seed: int = 0) -> SearchResult:
    """Optuna TPE: ``workers`` processes share ``n_trials`` through one journal-file study."""
    import optuna
    from optuna.storages.journal import JournalFileBackend

    if not ranges:
        raise ValueError("a TPE search needs at least one --range")
    if n_trials < 1:
        raise ValueError(f"--trials must be >= 1, was {n_trials}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aitrader-optuna-") as tmp:
        journal = str(Path(tmp) / "study.log")
        storage = optuna.storages.JournalStorage(
            JournalFileBackend(journal))
        name = "search"
        optuna.create_study(study_name=name, storage=storage, direction="maximize")
        shares = [n_trials // workers + (1 if i < n_trials % workers else 0)
                  for i in range(max(1, workers))]
        shares = [s for s in shares if s > 0]
        args = (ev, ranges, fixed, objective, dd_cap, journal, name)
        if len(shares) == 1:
            _tpe_worker(*args, shares[0], seed)
        else:
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(len(shares), mp_context=ctx) as pool:
                futures = [pool.submit(_tpe_worker, *args, s, seed + i)
                           for i, s in enumerate(shares)]
                for f in futures:
                    f.result()
        done = optuna.load_study(study_name=name, storage=storage).trials
    trials = []
    for t in done:
        params = {**fixed, **t.params}
        raw = t.user_attrs.get("score")
        score = None if raw is None else RunScore(**raw)
        trials.append(Trial(params, score, _value(score, objective, dd_cap)))
    return SearchResult("tpe", objective, ranges, _ranked(trials),
                        time.perf_counter() - started, dict(fixed))
