"""Paper trading runs the same engine and strategy on an offline market and survives bugs."""

from __future__ import annotations

from decimal import Decimal
from itertools import islice

from aitrader.core.account import Account
from aitrader.core.ids import AccountId
from aitrader.core.market_data import Bar
from aitrader.data.simulated_feed import RandomWalkBars
from aitrader.runtime.paper import build_paper_node
from aitrader.strategies.base import Strategy
from aitrader.strategies.examples.sma_cross import SmaCross
from aitrader.testkit.engine_factory import BTC, MINUTE_NS, btc_usdt
from aitrader.venues.simulated.fill_models import FeeModel

START = 1_700_000_000 * 1_000_000_000 // MINUTE_NS * MINUTE_NS


class Crashes(Strategy):
    """Raises on its fifth bar."""

    name = "crashes"

    def on_start(self) -> None:
        self.seen = 0

    def on_bar(self, bar: Bar) -> None:
        self.seen += 1
        if self.seen == 5:
            raise ZeroDivisionError("boom")


def _node(strategies, bars=3_000):
    feed = islice(RandomWalkBars(BTC, 30_000.0, MINUTE_NS, START, seed=11), bars)
    account = Account(AccountId("paper"), "SIM", "USDT", {"USDT": Decimal(100_000)})
    return build_paper_node([account], [btc_usdt()], strategies, feed, START,
                            FeeModel(Decimal("0.0002"), Decimal("0.001")))


def test_paper_node_trades_the_sma_cross_and_accounts_for_every_fill() -> None:
    node = _node([SmaCross("sma", "paper", [BTC], {"fast": 5, "slow": 20, "quantity": "0.5"})])
    status = node.run()
    assert status.bars == 3_000
    assert status.fills > 50
    pf = node.engine.portfolio
    account = pf.account(AccountId("paper"))
    realized, fees = account.realized["USDT"], account.fees["USDT"]
    assert account.cash("USDT") == Decimal(100_000) + realized - fees
    assert status.equity["paper"] == pf.equity(AccountId("paper"))
    # market orders fill at the next open: only an order decided on the last bar is still open
    last_close = START + 3_000 * MINUTE_NS
    assert all(o.is_closed or o.ts_init == last_close for o in node.engine.orders.orders())


def test_a_strategy_that_raises_is_stopped_and_reported_while_others_keep_trading() -> None:
    node = _node([
        Crashes("bad", "paper", [BTC]),
        SmaCross("good", "paper", [BTC], {"fast": 5, "slow": 20, "quantity": "0.5"}),
    ], bars=500)
    status = node.run()
    assert status.bars == 500
    assert status.errors == ["strategy bad stopped: ZeroDivisionError: boom (in on_bar)"]
    assert status.fills > 0
    assert not node.engine.strategies.is_running("bad")  # type: ignore[arg-type]


def test_max_bars_stops_the_node_early_and_stops_strategies() -> None:
    node = _node([SmaCross("sma", "paper", [BTC], {"fast": 5, "slow": 20})])
    assert node.run(max_bars=100).bars == 100
    assert not node.engine.strategies.is_running("sma")  # type: ignore[arg-type]
