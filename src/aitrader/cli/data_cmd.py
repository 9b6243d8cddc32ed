"""``aitrader data``: inspect, import, resample and list stored bars."""

from __future__ import annotations

from pathlib import Path

import typer

from aitrader.cli.data_download_cmd import download
from aitrader.cli.extras import ExtrasGroup
from aitrader.core.errors import AitraderError

data_app = typer.Typer(help="Inspect, import, resample and list bar data.", no_args_is_help=True,
                       cls=ExtrasGroup)
_STORE = typer.Option(Path("var/bars"), "--store", help="bar store folder")


def _fail(exc: AitraderError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


@data_app.command("inspect")
def inspect(
    path: Path = typer.Argument(..., help="a bar file or folder"),
    repair: bool = typer.Option(False, help="fix what is safe to fix and report it"),
) -> None:
    """Validate a file and report rows, range, timeframe, gaps and repairs."""
    from aitrader.data.timeframes import format_timeframe
    from aitrader.data.validation import iso
    from aitrader.storage.bar_files import load_bars

    try:
        loaded = load_bars(path, repair=repair)
    except AitraderError as exc:
        raise _fail(exc) from None
    bars = loaded.bars
    typer.echo(f"{path}: {len(bars):,} bars of {format_timeframe(bars.timeframe_ns)}, "
               f"{iso(int(bars.ts_ns[0]))} → {iso(int(bars.ts_ns[-1]))}")
    typer.echo(f"  {loaded.report.summary()}")
    for gap in loaded.report.gaps[:20]:
        typer.echo(f"  gap after {iso(gap.after_ns)}: {gap.missing_bars} bars missing")
    if len(loaded.report.gaps) > 20:
        typer.echo(f"  … {len(loaded.report.gaps) - 20} more gaps")


@data_app.command("import")
def import_(
    path: Path = typer.Argument(..., help="a bar file or folder"),
    venue: str = typer.Option(..., help="venue name, e.g. BINANCE"),
    symbol: str = typer.Option(..., help="symbol, e.g. BTC/USDT"),
    timeframe: str = typer.Option("", help="timeframe (inferred when empty)"),
    repair: bool = typer.Option(False, help="fix what is safe to fix and report it"),
    store: Path = _STORE,
) -> None:
    """Validate a file and merge it into the parquet store (conflicting bars are refused)."""
    from aitrader.data.timeframes import format_timeframe
    from aitrader.storage.bar_files import load_bars
    from aitrader.storage.bar_store import BarStore

    try:
        loaded = load_bars(path, timeframe=timeframe or None, repair=repair)
        tf = format_timeframe(loaded.bars.timeframe_ns)
        where = BarStore(store).append(venue, symbol, tf, loaded.bars)
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(f"stored {len(loaded.bars):,} bars in {where} ({loaded.report.summary()})")


@data_app.command("resample")
def resample(
    venue: str = typer.Option(...), symbol: str = typer.Option(...),
    source: str = typer.Option("1m", "--from", help="stored timeframe to read"),
    target: str = typer.Option(..., "--to", help="timeframe to write, e.g. 1h"),
    store: Path = _STORE,
) -> None:
    """Resample a stored series to a higher timeframe and store it."""
    from aitrader.data.resample import resample as resample_bars
    from aitrader.data.timeframes import parse_timeframe
    from aitrader.storage.bar_store import BarStore

    try:
        bs = BarStore(store)
        out = resample_bars(bs.read(venue, symbol, source), parse_timeframe(target))
        where = bs.write(venue, symbol, target, out)
    except AitraderError as exc:
        raise _fail(exc) from None
    typer.echo(f"wrote {len(out):,} {target} bars to {where}")


@data_app.command("list")
def list_(store: Path = _STORE) -> None:
    """Stored series."""
    from aitrader.data.validation import iso
    from aitrader.storage.bar_store import BarStore

    bs = BarStore(store)
    for series in bs.list():
        bars = bs.read(series.venue, series.symbol, series.timeframe)
        span = f"{iso(int(bars.ts_ns[0]))} → {iso(int(bars.ts_ns[-1]))}" if len(bars) else "empty"
        typer.echo(f"{series.venue:10} {series.symbol:12} {series.timeframe:4} "
                   f"{len(bars):>10,}  {span}")


data_app.command("download")(download)
