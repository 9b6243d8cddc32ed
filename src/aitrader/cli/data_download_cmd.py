"""``aitrader data download``: history from an exchange (ccxt) into the parquet bar store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from aitrader.core.errors import AitraderError, DataError

if TYPE_CHECKING:
    from aitrader.data.bar_arrays import BarArrays


def _ns(text: str, name: str) -> int:
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"--{name} must be an ISO date or date-time, was {text!r}")\
            from None
    return int((dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()) * 1_000_000_000


def _markets(path: Path | None) -> list[dict[str, Any]] | None:
    if path is None:
        return None
    raw = json.loads(path.read_text())
    if isinstance(raw, dict):
        return list(raw.values())
    if isinstance(raw, list):
        return raw
    raise DataError(f"{path}: markets must be a JSON object or list of ccxt markets")


def download(
    exchange: str = typer.Option("binance", help="ccxt exchange id"),
    symbol: str = typer.Option(..., help="unified symbol, e.g. BTC/USDT"),
    timeframe: str = typer.Option("1m", help="bar timeframe"),
    start: str = typer.Option(..., help="first bar, ISO date/time UTC"),
    end: str = typer.Option(..., help="end (exclusive), ISO date/time UTC"),
    venue: str = typer.Option("", help="venue name in the store (default: EXCHANGE upper-case)"),
    store: Path = typer.Option(Path("var/bars"), "--store", help="bar store folder"),
    page_bars: int = typer.Option(1000, help="bars per request"),
    rate_limit_ms: int = typer.Option(0, help="ms between requests (0: the exchange's own)"),
    api_url: str = typer.Option("", help="API base URL (a mirror or a local test server)"),
    markets: Path | None = typer.Option(None, help="ccxt markets JSON (skips the markets call)"),
) -> None:
    """Download bars (paged, rate-limited, resumable) and report gaps the exchange has."""
    import numpy as np

    from aitrader.core.ids import InstrumentId
    from aitrader.data.download_plan import HistoryDownloader
    from aitrader.data.timeframes import parse_timeframe
    from aitrader.data.validation import iso
    from aitrader.storage.bar_store import BarStore

    # ccxt is the `brokers`/`research` extra: imported when the command runs, not by the CLI
    from aitrader.venues.ccxt.history_source import CcxtHistorySource, make_exchange

    start_ns, end_ns = _ns(start, "start"), _ns(end, "end")
    name = venue or exchange.upper()
    bs = BarStore(store)
    try:
        tf_ns = parse_timeframe(timeframe)
        ex = make_exchange(exchange, api_url or None, _markets(markets),
                           rate_limit_ms or None)

        def stored() -> Any:
            try:
                return bs.read(name, symbol, timeframe).ts_ns
            except DataError:
                return np.empty(0, dtype=np.int64)

        def sink(bars: BarArrays) -> None:
            bs.append(name, symbol, timeframe, bars)

        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                typer.echo(f"  page {done}/{total}")

        report = HistoryDownloader(CcxtHistorySource(ex, page_bars), sink, stored, page_bars,
                                   on_page=progress).run(InstrumentId(symbol, name), timeframe,
                                                         start_ns, end_ns)
    except AitraderError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"downloaded {report.bars:,} bars in {report.pages} requests "
               f"({report.skipped_pages} pages already stored, {report.retries} retries) into "
               f"{bs.path_of(name, symbol, timeframe)}")
    expected = (end_ns - start_ns) // tf_ns
    typer.echo(f"{report.missing_bars} of {expected:,} bars missing at the exchange in "
               f"{len(report.gaps)} gaps")
    for gap in report.gaps[:20]:
        typer.echo(f"  gap after {iso(gap.after_ns)}: {gap.missing_bars} bars missing")
