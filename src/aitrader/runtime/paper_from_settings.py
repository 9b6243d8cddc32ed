"""Compose the paper runtime from validated settings: the one place that picks its parts."""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterator

from aitrader.core.errors import ConfigError
from aitrader.core.ids import InstrumentId, StrategyId
from aitrader.core.market_data import Bar
from aitrader.core.ports import OrderJournal
from aitrader.data.simulated_feed import RandomWalkBars, paced
from aitrader.data.timeframes import parse_timeframe
from aitrader.runtime.paper import PaperNode, build_paper_node
from aitrader.runtime.settings import AppSettings
from aitrader.strategies.base import Strategy
from aitrader.strategies.registry import StrategyRegistry


def build_paper_from_settings(
    settings: AppSettings,
    registry: StrategyRegistry | None = None,
    journal: OrderJournal | None = None,
    seconds_per_bar: float | None = None,
    now_ns: int | None = None,
) -> PaperNode:
    """Accounts, instruments, the simulated venue(s), enabled strategies and the offline feed."""
    trading = settings.trading
    registry = registry or StrategyRegistry.default()
    instruments = [i.build() for i in trading.instruments]
    known = {i.id for i in instruments}
    accounts = {a.id for a in trading.accounts}
    strategies: list[Strategy] = []
    for n, spec in enumerate(settings.strategies.strategies):
        where = f"strategies.yml: strategies[{n}]"
        if not spec.enabled:
            continue
        if spec.account not in accounts:
            raise ConfigError(f"{where}.account: unknown account {spec.account!r} "
                              f"(trading.yml has: {', '.join(sorted(accounts))})")
        iids = []
        for text in spec.instruments:
            try:
                iid = InstrumentId.parse(text)
            except Exception as exc:  # InvalidOrder from the parser
                raise ConfigError(f"{where}.instruments: {exc}") from None
            if iid not in known:
                raise ConfigError(f"{where}.instruments: {text} is not in trading.yml instruments")
            iids.append(iid)
        try:
            strategies.append(registry.get(spec.type)(spec.id, spec.account, iids, spec.params))
        except Exception as exc:  # StrategyError: unknown type or bad params
            raise ConfigError(f"{where}: {exc}") from None
    if len(trading.venues) > 1:
        raise ConfigError("trading.yml: venues: the paper runtime runs one simulated venue for "
                          f"now, found {len(trading.venues)}")
    venue_cfg = trading.venues[0]
    md = trading.market_data
    tf_ns = parse_timeframe(md.timeframe)
    start = (time.time_ns() if now_ns is None else now_ns) // tf_ns * tf_ns
    feed = _replay(settings, instruments[0].id) if md.kind == "replay" else _random_walks(
        settings, [i.id for i in instruments], tf_ns, start)
    pace = md.seconds_per_bar if seconds_per_bar is None else seconds_per_bar
    return build_paper_node(
        [a.build() for a in trading.accounts], instruments, strategies,
        paced(feed, pace), start if md.kind != "replay" else 0,
        venue_cfg.fee_model(), venue_cfg.slippage.build(),
        max_positions=trading.risk.max_positions, journal=journal,
        risk_config=trading.risk, account_risk=trading.account_risk(),
        strategy_limits={StrategyId(s.id): s.risk for s in settings.strategies.strategies
                         if s.risk is not None},
        session=f"{time.time_ns():x}",  # venue/trade ids never repeat across restarts
    )


def _random_walks(settings: AppSettings, iids: list[InstrumentId], tf_ns: int, start: int
                  ) -> Iterator[Bar]:
    md = settings.trading.market_data
    walks = [RandomWalkBars(iid, md.start_price, tf_ns, start, seed=md.seed + n,
                            volatility_per_bar=md.volatility_per_bar) for n, iid in enumerate(iids)]
    # ties are broken by instrument order, so the merged stream is deterministic
    streams = [((b.ts_init, i, b) for b in w) for i, w in enumerate(walks)]
    return (bar for _, _, bar in heapq.merge(*streams))


def _replay(settings: AppSettings, iid: InstrumentId) -> Iterator[Bar]:
    from aitrader.storage.bar_files import load_bars  # pandas only when replaying a file

    md = settings.trading.market_data
    assert md.path is not None  # noqa: S101 - validated by MarketDataConfig
    loaded = load_bars(md.path, timeframe=md.timeframe)
    return loaded.bars.iter_bars(iid)
