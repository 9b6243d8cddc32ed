"""``aitrader smc-annotate``: draw swings, BOS/CHoCH, order blocks, gaps, zones and sweeps."""

from __future__ import annotations

from pathlib import Path

import typer

from aitrader.core.errors import AitraderError, DataError

MAX_BARS = 3000


def smc_annotate(
    data: Path = typer.Option(..., "--data", "-d", help="CSV/parquet/feather file or directory"),
    start: str = typer.Option("", help="first bar, ISO date/time UTC"),
    end: str = typer.Option("", help="end (exclusive), ISO date/time UTC"),
    out: Path = typer.Option(Path("smc_chart.html"), help="chart file: .html or .png"),
    timeframe: str = typer.Option("", help="timeframe of the file (inferred when empty)"),
    resample_to: str = typer.Option("", "--resample", help="resample first, e.g. 15m or 1h"),
    lookback: int = typer.Option(5, help="swing lookback in bars"),
    zone_leg_atr: float = typer.Option(1.5, help="supply/demand leg-out body in ATRs"),
    fvg_min: float = typer.Option(0.0, help="ignore gaps smaller than this fraction of price"),
) -> None:
    """Annotate a candle chart with the SMC structures found on closed bars."""
    from aitrader.cli.smc_chart import write_chart
    from aitrader.data.resample import resample
    from aitrader.data.timeframes import parse_timeframe
    from aitrader.runtime.backtest_files import load_backtest_bars
    from aitrader.strategies.smc.analyzer import SmcSettings, analyze

    if out.suffix.lower() not in (".html", ".png"):
        raise typer.BadParameter(f"--out must end in .html or .png, was {out.name!r}")
    try:
        bars = load_backtest_bars(data, timeframe or None, start or None, end or None)
        if resample_to:
            bars = resample(bars, parse_timeframe(resample_to))
        if len(bars) > MAX_BARS:
            raise DataError(f"a chart holds at most {MAX_BARS} bars, the range has "
                            f"{len(bars)}; narrow --start/--end or --resample")
        settings = SmcSettings(swing_lookback=lookback, zone_leg_atr_mult=zone_leg_atr,
                               fvg_min_size_frac=fvg_min)
        res = analyze(bars.open, bars.high, bars.low, bars.close, settings)
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    title = (f"{data.name}  {start or 'start'} → {end or 'end'}  ({len(bars)} bars, "
             f"swing lookback {lookback})")
    write_chart(bars, res, out, title)
    typer.echo(
        f"{len(res.swings)} swings, {len(res.breaks)} BOS/CHoCH, {len(res.order_blocks)} order "
        f"blocks, {len(res.gaps)} FVGs, {len(res.zones)} supply/demand zones, "
        f"{len(res.sweeps)} sweeps → {out}")
