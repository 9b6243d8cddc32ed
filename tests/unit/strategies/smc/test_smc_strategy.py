"""The SMC strategy in the engine: entries rest at order blocks found on closed bars, stops sit
beyond them, and the same bars always give the same trades."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aitrader.cli.main import app
from aitrader.core.enums import OrderType
from aitrader.core.errors import StrategyError
from aitrader.core.ids import InstrumentId
from aitrader.data.bar_arrays import BarArrays
from aitrader.data.resample import resample
from aitrader.data.timeframes import parse_timeframe
from aitrader.runtime.backtest import BacktestRequest, BacktestResult, run_backtest
from aitrader.storage.bar_files import load_bars
from aitrader.strategies.registry import StrategyRegistry
from aitrader.strategies.smc.analyzer import SmcSettings, analyze
from aitrader.strategies.smc.strategy import SmcStrategy
from aitrader.strategies.smc.structures import Direction

BTC = InstrumentId("BTC/USDT", "SIM")
PARAMS = {"swing_lookback": 5, "quantity": "0.1", "entry_timeout_bars": 24}


@pytest.fixture(scope="module")
def hourly(shared_data: Path) -> BarArrays:
    """BTCUSDT Jan-Mar 2024 as 1h bars, resampled from the real 1m file."""
    path = shared_data / "crypto/binance_spot_1m/BTCUSDT/BTCUSDT_1m_2024.parquet"
    minutes = load_bars(path).bars
    q1 = minutes.between(1704067200 * 10**9, 1711929600 * 10**9)  # 2024-01-01 .. 04-01
    return resample(q1, parse_timeframe("1h"))


def _run(bars: BarArrays, **params: object) -> BacktestResult:
    return run_backtest(BacktestRequest(bars=bars, symbol="BTC/USDT", strategy="smc",
                                        params={**PARAMS, **params}))


def test_smc_is_registered_with_bounded_parameters() -> None:
    assert StrategyRegistry.default().get("smc") is SmcStrategy
    schema = SmcStrategy.param_schema()["properties"]
    assert schema["swing_lookback"]["minimum"] == 1
    assert schema["reward_risk"]["maximum"] == 20
    with pytest.raises(StrategyError, match=r"swing_lookback: Input should be greater than or"):
        SmcStrategy("s", "acc", [BTC], {"swing_lookback": 0})
    with pytest.raises(StrategyError, match=r"zone_source: Input should be 'order_block'"):
        SmcStrategy("s", "acc", [BTC], {"zone_source": "vibes"})


@pytest.mark.realdata
def test_every_entry_rests_at_the_top_of_an_order_block_known_when_it_was_placed(
        hourly: BarArrays) -> None:
    result = _run(hourly)
    res = analyze(hourly.open, hourly.high, hourly.low, hourly.close, SmcSettings(5))
    blocks_by_bar = {ob.break_index: ob for ob in res.order_blocks
                     if ob.direction is Direction.BULLISH}
    entries = [o for o in result.engine.orders.orders() if o.tag == "smc_order_block"]
    tf = hourly.timeframe_ns
    for order in entries:
        # the order was placed at the close of the bar that broke structure
        bar = int((order.ts_init - tf - hourly.ts_ns[0]) // tf)
        ob = blocks_by_bar[bar]
        assert order.order_type is OrderType.LIMIT
        assert order.price == Decimal(str(ob.top)).quantize(order.price)
        assert order.stop_loss is not None and order.take_profit is not None
        assert float(order.stop_loss) < ob.bottom  # beyond the block by the ATR buffer
        risk = order.price - order.stop_loss
        assert abs(order.take_profit - (order.price + 2 * risk)) <= Decimal("0.02")
        # filters: with the bullish trend, in discount, below the close
        assert hourly.close[bar] > ob.top
        rng = res.ranges[bar]
        assert rng is not None and ob.top < rng.equilibrium
    # most entries are never reached and cancelled (timeout, invalidated block, opposite break)
    filled = [o for o in entries if o.filled_qty > 0]
    assert (len(entries), len(filled), result.stats.trades) == (25, 10, 10)


@pytest.mark.realdata
def test_the_same_bars_give_the_same_trades(hourly: BarArrays) -> None:
    a, b = _run(hourly), _run(hourly)
    assert [(t.entry_ts_ns, t.exit_ts_ns, t.net_pnl) for t in a.trades] == [
        (t.entry_ts_ns, t.exit_ts_ns, t.net_pnl) for t in b.trades]
    assert a.final_equity == b.final_equity


@pytest.mark.realdata
def test_orders_placed_before_a_cut_do_not_change_when_later_bars_are_removed(
        hourly: BarArrays) -> None:
    full = _run(hourly)
    cut = len(hourly) * 2 // 3
    part = _run(hourly.slice(0, cut))
    end_ns = int(hourly.ts_ns[cut - 1]) + hourly.timeframe_ns

    def placed(r: BacktestResult) -> list[tuple[int, str, object, object]]:
        return [(o.ts_init, o.side.value, o.price, o.stop_loss)
                for o in r.engine.orders.orders() if o.ts_init <= end_ns]

    assert placed(part) == placed(full)


@pytest.mark.realdata
def test_supply_demand_and_gap_entries_also_run(hourly: BarArrays) -> None:
    for source in ("supply_demand", "fair_value_gap"):
        r = _run(hourly, zone_source=source)
        tags = {o.tag for o in r.engine.orders.orders() if o.parent_order_id is None}
        assert tags == {f"smc_{source}"}
        assert r.orders > 0


def _bars(rows: list[tuple[float, float, float, float]]) -> BarArrays:
    import numpy as np

    cols = np.array(rows, dtype=np.float64).T
    minute = 60 * 10**9
    ts = (1704067200 * 10**9 + minute * np.arange(len(rows))).astype(np.int64)
    return BarArrays(ts, cols[0], cols[1], cols[2], cols[3], np.ones(len(rows)), minute)


def test_a_retrace_into_the_order_block_fills_and_the_target_closes_the_trade(
        tmp_path: Path) -> None:
    # closes 10 11 12 11 10 9 10 11 13, wicks 0.5: swing high 12.5 (bar 2), swing low 8.5
    # (bar 5); bar 8 closes 13 above 12.5: the first break, a bullish BOS. Its order block is
    # bar 5 (the down candle at the lowest low after the swing): 8.5 .. 10.5. The dealing
    # range is 8.5 .. 13.5 (bar 8's high), equilibrium 11: the block top 10.5 is in discount.
    # No ATR yet (9 bars < 14): stop at the block bottom 8.5, risk 2, target 10.5 + 2 x 2.
    closes = [10, 11, 12, 11, 10, 9, 10, 11, 13]
    rows = [(prev, max(prev, c) + 0.5, min(prev, c) - 0.5, c)
            for prev, c in zip([10, *closes[:-1]], closes, strict=True)]
    rows += [(13, 13.2, 12, 12.2),    # 9: no touch yet
             (12.2, 12.3, 10.4, 11),  # 10: trades down to 10.4: the limit at 10.5 fills
             (11, 12.6, 10.9, 12.5),  # 11: the bracket rests from here
             (12.5, 15, 12.4, 14.8),  # 12: through 14.5: take-profit
             (14.8, 15, 14.5, 14.9)]
    res = run_backtest(BacktestRequest(
        bars=_bars(rows), symbol="BTC/USDT", strategy="smc", fee_rate=Decimal(0),
        params={"swing_lookback": 2, "quantity": "1", "stop_buffer_atr": 1.0}))
    # the same bars through `aitrader backtest` from a CSV file
    csv = tmp_path / "bars.csv"
    csv.write_text("timestamp,open,high,low,close,volume\n" + "".join(
        f"{1_704_067_200_000 + i * 60_000},{o},{h},{lo},{c},1\n"
        for i, (o, h, lo, c) in enumerate(rows)))
    out = CliRunner().invoke(app, [
        "backtest", "--strategy", "smc", "--data", str(csv), "--fee", "0", "--json",
        "--out", str(tmp_path / "run"), "--param", "swing_lookback=2", "--param", "quantity=1"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert (summary["trades"], Decimal(summary["final_equity"])) == (1, Decimal(100_004))
    entry = next(o for o in res.engine.orders.orders() if o.tag == "smc_order_block")
    assert (entry.price, entry.stop_loss, entry.take_profit) == (
        Decimal("10.5"), Decimal("8.5"), Decimal("14.5"))
    (trade,) = res.trades
    assert (trade.entry_price, trade.exit_price, trade.net_pnl) == (
        Decimal("10.5"), Decimal("14.5"), Decimal("4.0"))
    bar_ns = 60 * 10**9
    # filled inside bar 10, stamped with the bar's close (its fill was not at the open)
    assert trade.entry_ts_ns == 1704067200 * 10**9 + 11 * bar_ns
    assert res.open_position == 0
