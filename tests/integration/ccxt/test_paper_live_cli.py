"""``aitrader paper-live`` on kraken's replayed public feed (the local server)."""

from __future__ import annotations

from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.testkit.ccxt_replay import KrakenReplay
from aitrader.testkit.exchange_server import CcxtFixtures, ExchangeServer


def test_paper_live_runs_sma_cross_on_the_replayed_feed_and_reports_its_fill(
        server: ExchangeServer, fixtures: CcxtFixtures) -> None:
    replay = KrakenReplay(server, fixtures)
    replay.serve_markets()
    rows = replay.serve_ohlc(progressive=True)
    result = CliRunner().invoke(app, [
        "paper-live", "--exchange", "kraken", "--symbol", "BTC/USDT", "--timeframe", "1h",
        "-p", "fast=1", "-p", "slow=2", "-p", "quantity=0.01", "--max-bars", str(len(rows)),
        "--duration", "30", "--poll-s", "0.01", "--endpoint", server.base_url,
        "--rate-limit-ms", "1"])
    assert result.exit_code == 0, result.output
    # closes 43361.1 43485.0 43409.5 43386.6 43539.7: the fast SMA crosses up on the 5th bar,
    # and the market buy fills at the 6th bar's open
    assert f"bars {len(rows)}  fills 1" in result.output
    assert server.requests("/0/private/") == []


def test_paper_live_names_a_bad_exchange() -> None:
    result = CliRunner().invoke(app, ["paper-live", "--exchange", "mtgox"])
    assert result.exit_code == 2
    assert "was 'mtgox'" in result.output
