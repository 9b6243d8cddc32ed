"""The imbalance strategy replayed on the real Binance USD-M BTCUSDT feed (2024-08-08 23:54 →
23:59:59 UTC) through the engine and the simulator's L2 matching."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aitrader.core.enums import OrderSide
from aitrader.core.errors import DataError, StrategyError
from aitrader.core.ids import InstrumentId, StrategyId
from aitrader.core.market_data import OrderBookDeltas, OrderBookSnapshot
from aitrader.core.order_book import OrderBook
from aitrader.runtime.book_backtest import (
    BookBacktestRequest,
    BookBacktestResult,
    run_book_backtest,
)
from aitrader.storage.book_files import BookFeed
from aitrader.strategies.dom.book_metrics import imbalance
from aitrader.strategies.dom.strategy import DomImbalance
from aitrader.strategies.registry import StrategyRegistry

BTC = InstrumentId("BTC/USDT", "BINANCE")
NS = 1_000_000_000


@pytest.fixture(scope="module")
def feed(futures_feed: BookFeed) -> BookFeed:
    return futures_feed


@pytest.fixture(scope="module")
def default_run(feed: BookFeed) -> BookBacktestResult:
    return _run(feed)


def _run(feed: BookFeed, **params: object) -> BookBacktestResult:
    return run_book_backtest(BookBacktestRequest(
        events=feed.events, strategy="dom_imbalance", params={"quantity": "0.01", **params},
        fee_rate=Decimal("0.0002"), lot_size=Decimal("0.001")))


def _strategy(result: BookBacktestResult) -> DomImbalance:
    s = result.engine.strategies.get(StrategyId("bt"))
    assert isinstance(s, DomImbalance)
    return s


def test_dom_imbalance_is_registered_with_bounded_parameters() -> None:
    assert StrategyRegistry.default().get("dom_imbalance") is DomImbalance
    with pytest.raises(StrategyError, match=r"exit_threshold must be < entry_threshold"):
        DomImbalance("s", "acc", [BTC], {"entry_threshold": 0.3, "exit_threshold": 0.5})
    with pytest.raises(StrategyError, match=r"levels: Input should be greater than or equal"):
        DomImbalance("s", "acc", [BTC], {"levels": 0})


def test_a_book_backtest_refuses_a_feed_without_a_book() -> None:
    with pytest.raises(DataError, match="at least one event"):
        run_book_backtest(BookBacktestRequest(events=[], strategy="dom_imbalance"))


@pytest.mark.realdata
@pytest.mark.slow
def test_entries_follow_three_lopsided_books_and_fill_on_the_replayed_asks(
        feed: BookFeed, default_run: BookBacktestResult) -> None:
    result = default_run
    # replay the book here and find the updates after which 5-level imbalance had been
    # >= 0.6 three times running, with the best ask then
    book = OrderBook(BTC)
    streak, signal_asks = 0, {}
    for ev in feed.events:
        if isinstance(ev, OrderBookSnapshot):
            book.apply_snapshot(ev)
        elif isinstance(ev, OrderBookDeltas):
            book.apply_deltas(ev)
        else:
            continue
        imb = imbalance(book.bids(5), book.asks(5), 5)
        streak = streak + 1 if imb >= 0.6 else 0
        if streak >= 3:
            signal_asks[ev.ts_init] = book.asks(1)[0]
    entries = [o for o in result.engine.orders.orders() if o.tag == "dom_imbalance"]
    exits = [o for o in result.engine.orders.orders() if o.reduce_only]
    assert len(entries) > 20
    for order in entries:
        assert order.side is OrderSide.BUY  # shorts are off by default
        best = signal_asks[order.ts_init]  # decided on a signal update
        if best.size >= 0.01:  # the best ask held the whole order: filled right there
            assert order.avg_px == Decimal(str(best.price))
    assert len(exits) == len(entries) - (1 if result.open_position else 0)
    assert len(result.trades) == len(exits)
    assert result.stats.trades == len(result.trades)
    # the strategy kept deciding to the end of the feed (a raising strategy would be stopped)
    assert entries[-1].ts_init > feed.events[-1].ts_init - 60 * NS


@pytest.mark.realdata
@pytest.mark.slow
def test_the_impact_filter_turns_away_orders_that_would_cost_too_much(
        feed: BookFeed, default_run: BookBacktestResult) -> None:
    small = _strategy(default_run)
    # 0.01 BTC: walk cost ~0.01 bp (half a 0.1 tick) + ~0.03 bp impact -- never too dear
    assert small.skipped_for_cost == 0
    assert small.skipped_unknown_cost > 0  # the first seconds, before sigma and V exist
    assert small.last_cost_bps is not None and 0 < small.last_cost_bps < 0.5
    big = _run(feed, quantity="25", max_cost_bps=1.0)
    strat = _strategy(big)
    # 25 BTC walks several levels and its sqrt impact is ~1.7 bp: most signals are refused
    assert strat.skipped_for_cost > 0
    assert strat.last_cost_bps is not None and strat.last_cost_bps > 1.0
    entries = [o for o in big.engine.orders.orders() if o.tag == "dom_imbalance"]
    assert len(entries) < 5


@pytest.mark.realdata
@pytest.mark.slow
def test_the_same_feed_gives_the_same_trades(feed: BookFeed,
                                            default_run: BookBacktestResult) -> None:
    a, b = default_run, _run(feed)
    assert [(t.entry_ts_ns, t.exit_ts_ns, t.net_pnl) for t in a.trades] == [
        (t.entry_ts_ns, t.exit_ts_ns, t.net_pnl) for t in b.trades]
    assert a.final_equity == b.final_equity


def test_a_lopsided_book_buys_at_the_ask_and_a_flipped_one_sells_at_the_bid() -> None:
    from aitrader.core.enums import BookSide
    from aitrader.core.market_data import BookDelta, BookLevel, QuoteTick, TradeTick

    iid = InstrumentId("BTC/USDT", "SIM")
    bid_px = [100.00 - 0.01 * i for i in range(5)]
    ask_px = [100.01 + 0.01 * i for i in range(5)]
    events: list = [OrderBookSnapshot(iid, 0, 0, tuple(BookLevel(p, 1.0) for p in bid_px),
                                      tuple(BookLevel(p, 1.0) for p in ask_px))]
    for k, mid in enumerate([100.005, 100.015, 100.005, 100.025, 100.005]):  # sigma ~1 bp
        ts = k * NS + NS // 2
        events.append(QuoteTick(iid, ts, ts, mid - 0.005, mid + 0.005, 1.0, 1.0))
        events.append(TradeTick(iid, ts + 1, ts + 1, 100.00, 0.5, OrderSide.SELL))

    def sizes(ts: int, bid: float, ask: float) -> OrderBookDeltas:
        return OrderBookDeltas(iid, ts, ts, tuple(
            [BookDelta(BookSide.BID, p, bid) for p in bid_px] +
            [BookDelta(BookSide.ASK, p, ask) for p in ask_px]))

    # three updates with 5 x 10 bid vs 5 x 1 ask (imbalance 45/55 = 0.82), then the flip
    events += [sizes(6 * NS + i * NS // 10, 10.0, 1.0) for i in range(3)]
    events.append(sizes(7 * NS, 0.5, 10.0))
    res = run_book_backtest(BookBacktestRequest(
        events=events, strategy="dom_imbalance", fee_rate=Decimal(0),
        params={"quantity": "0.01", "max_cost_bps": 2.0}))
    (trade,) = res.trades
    assert trade.entry_ts_ns == 6 * NS + 2 * NS // 10  # on the third lopsided update
    assert (trade.entry_price, trade.exit_price) == (Decimal("100.01"), Decimal("100.00"))
    assert trade.net_pnl == Decimal("-0.0001")  # 0.01 x the one-tick spread
    strat = _strategy(res)
    # 0.01 at 100.01 against mid 100.005 costs 0.5 bp; sigma ~1 bp and V = 0.5 per second
    # add 0.7 x 1 x sqrt(0.01 / 0.5) ~ 0.1 bp of expected impact
    assert strat.last_cost_bps == pytest.approx(0.6, abs=0.15)


@pytest.mark.realdata
@pytest.mark.slow
def test_cutting_the_feed_short_changes_no_trade_made_before_the_cut(
        feed: BookFeed, default_run: BookBacktestResult) -> None:
    """The lookahead guard for a book-driven strategy: replay only the first half of the feed;
    every trade that ended before the cut is the same as in the full replay."""
    cut = len(feed.events) // 2
    cut_ts = feed.events[cut - 1].ts_init
    short = run_book_backtest(BookBacktestRequest(
        events=feed.events[:cut], strategy="dom_imbalance", params={"quantity": "0.01"},
        fee_rate=Decimal("0.0002"), lot_size=Decimal("0.001")))
    before = [(t.entry_ts_ns, t.exit_ts_ns, t.net_pnl) for t in default_run.trades
              if t.exit_ts_ns < cut_ts]
    assert before, "no trade closed in the first half: nothing checked"
    assert [(t.entry_ts_ns, t.exit_ts_ns, t.net_pnl) for t in short.trades
            if t.exit_ts_ns < cut_ts] == before
