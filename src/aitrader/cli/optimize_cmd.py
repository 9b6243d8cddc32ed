"""``aitrader optimize``: grid or Optuna TPE search over a strategy's declared parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from aitrader.cli.backtest_cmd import _decimal, _parse_params
from aitrader.core.errors import AitraderError
from aitrader.research.objective import Objective

if TYPE_CHECKING:
    from aitrader.research.optimization_report import WalkForwardSpec
    from aitrader.research.search import SearchResult


def optimize(
    strategy: str = typer.Argument(..., help="registered strategy name (with a vectorized form)"),
    data: Path = typer.Option(..., "--data", "-d", help="CSV/parquet/feather file or directory"),
    symbol: str = typer.Option("BTC/USDT", help="symbol, BASE/QUOTE"),
    timeframe: str = typer.Option("", help="bar timeframe; inferred when empty"),
    start: str = typer.Option("", help="first bar, ISO date/time UTC"),
    end: str = typer.Option("", help="end (exclusive), ISO date/time UTC"),
    method: str = typer.Option("tpe", help="tpe (Optuna) or grid"),
    trials: int = typer.Option(100, "--trials", "-n", help="TPE trials"),
    objective: Objective = typer.Option(Objective.SHARPE, help="what to maximise"),
    dd_cap: float = typer.Option(0.2, help="max drawdown allowed by return_dd_cap"),
    param_range: list[str] = typer.Option([], "--range", "-r",
                                          help="searched parameter name=low:high[:step]"),
    param: list[str] = typer.Option([], "--param", "-p", help="fixed parameter name=value"),
    fee: str = typer.Option("0.001", help="taker fee as a fraction of notional"),
    slippage: str = typer.Option("0", help="slippage in basis points"),
    cash: str = typer.Option("100000", help="starting cash in the quote currency"),
    workers: int = typer.Option(2, help="processes (TPE) / cores (grid)"),
    seed: int = typer.Option(0, help="TPE seed"),
    out: Path = typer.Option(Path("runs/optimize"), help="folder for trials.json and report"),
    report: bool = typer.Option(True, help="write report.html and report.json"),
    walk_forward: str = typer.Option("", help="also validate walk-forward: TRAIN_BARS:TEST_BARS"),
    anchored: bool = typer.Option(False, help="walk-forward training windows grow from the start"),
) -> None:
    """Search parameters on the vectorized path; prints the best sets, writes trials.json."""
    from aitrader.research.evaluator import Evaluator
    from aitrader.research.optimization_report import report_search
    from aitrader.research.param_space import declared_bounds, parse_ranges
    from aitrader.research.search import grid_search, tpe_search
    from aitrader.runtime.backtest_files import load_backtest_bars
    from aitrader.strategies.registry import StrategyRegistry

    if method not in ("tpe", "grid"):
        raise typer.BadParameter(f"--method must be tpe or grid, was {method!r}")
    try:
        cls = StrategyRegistry.default().get(strategy)
        if not param_range:
            bounds = ", ".join(f"{n}={r.low:g}:{r.high:g}"
                               for n, r in declared_bounds(cls.Params).items())
            raise ValueError(f"give the searched parameters with --range name=low:high[:step] "
                             f"(declared bounds: {bounds})")
        ranges = parse_ranges(cls.Params, param_range)
        ev = Evaluator(load_backtest_bars(data, timeframe or None, start or None, end or None),
                       strategy, symbol, fee_rate=_decimal("--fee", fee),
                       slippage_bps=_decimal("--slippage", slippage),
                       starting_cash=_decimal("--cash", cash))
        fixed = _parse_params(param)
        if method == "grid":
            result = grid_search(ev, ranges, fixed, objective, dd_cap, workers)
        else:
            result = tpe_search(ev, ranges, fixed, objective, trials, dd_cap, workers, seed)
    except (AitraderError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    _print(result)
    walk = _walk_spec(walk_forward, anchored)
    out.mkdir(parents=True, exist_ok=True)
    (out / "trials.json").write_text(json.dumps(
        {"method": result.method, "objective": result.objective.value,
         "elapsed_s": result.elapsed_s, "trials": [t.as_dict() for t in result.trials]},
        indent=1, default=str))
    typer.echo(f"wrote {out / 'trials.json'}")
    if report and result.valid():
        try:
            html_path, _ = report_search(ev, result, out, walk, dd_cap, workers)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"wrote {html_path} and {html_path.with_suffix('.json')}")


def _walk_spec(text: str, anchored: bool) -> WalkForwardSpec | None:
    from aitrader.research.optimization_report import WalkForwardSpec

    if not text:
        return None
    train, sep, test = text.partition(":")
    if not sep or not train.isdigit() or not test.isdigit():
        raise typer.BadParameter(f"--walk-forward must look like TRAIN_BARS:TEST_BARS, was "
                                 f"{text!r}")
    return WalkForwardSpec(int(train), int(test), anchored)


def _print(result: SearchResult) -> None:
    valid = result.valid()
    typer.echo(f"{result.method}: {len(result.trials)} trials ({len(valid)} valid) in "
               f"{result.elapsed_s:.1f}s, objective {result.objective.value}")
    for t in valid[:10]:
        s = t.score
        assert s is not None  # noqa: S101 - valid() keeps scored trials only
        shown = {k: v for k, v in t.params.items() if k not in result.fixed}
        typer.echo(f"  {t.value:10.4f}  {shown}  trades {s.trades}  return "
                   f"{s.total_return:.2%}  maxdd {s.max_drawdown:.2%}")
