"""``aitrader book-backtest`` replays a recorded feed and reports what the strategy did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aitrader.cli.main import app

runner = CliRunner()


@pytest.mark.realdata
@pytest.mark.slow
def test_the_spot_feed_replays_through_the_engine(shared_data: Path) -> None:
    d = shared_data / "orderbook/hftbacktest"
    res = runner.invoke(app, [
        "book-backtest", "--data", str(d / "binance_spot_btcusdt_20240808.gz"),
        "--data", str(d / "binance_spot_btcusdt_20240809.gz"), "--fee", "0.0002", "--json",
        "--param", "quantity=0.01"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    # one snapshot + 6,492 diffs; every trade and quote of the feed reached the engine
    assert (out["book_updates"], out["trades_in_feed"], out["events"]) == (6493, 19903, 99567)
    assert out["round_trips"] > 10 and out["fills"] >= out["orders"]
    assert out["open_position"] == "0.00000"  # the last entry was closed before the feed ended


def test_a_missing_feed_file_is_a_clear_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["book-backtest", "--data", str(tmp_path / "nope.gz")])
    assert res.exit_code == 2
    assert "nope.gz: no such file" in res.output
