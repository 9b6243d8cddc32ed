"""Paper trading: the one engine on a data-driven clock, the simulator as broker, offline data."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from aitrader.core.account import Account
from aitrader.core.events import OrderFilled, StrategyErrored
from aitrader.core.ids import AccountId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import Bar
from aitrader.core.ports import OrderJournal, PreTradeCheck
from aitrader.engine.clock import SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.config import RiskConfig, StrategyLimits
from aitrader.risk.pre_trade import PreTradeRisk
from aitrader.risk.risk_engine import RiskEngine
from aitrader.strategies.base import Strategy
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel, SlippageModel

log = logging.getLogger("aitrader.system")


@dataclass
class PaperStatus:
    """What a running paper node reports."""

    bars: int
    fills: int
    equity: dict[str, Decimal]
    errors: list[str] = field(default_factory=list)


class PaperNode:
    """A running paper-trading engine: feed → engine, with status callbacks."""

    def __init__(self, engine: TradingEngine, feed: Iterable[Bar], clock: SimClock,
                 risk: PreTradeCheck | None = None) -> None:
        self.engine = engine
        self.risk = risk  # the pre-trade checks, for the kill switch of the service
        self._feed = feed
        self._clock = clock
        self._bars = 0
        self._errors: list[str] = []
        engine.bus.subscribe(StrategyErrored, self._on_strategy_error)

    def _on_strategy_error(self, event: StrategyErrored) -> None:
        msg = f"strategy {event.strategy_id} stopped: {event.error} (in {event.callback})"
        log.error(msg)
        self._errors.append(msg)

    @property
    def feed(self) -> Iterable[Bar]:
        """The market feed this node was built with (the service drives it itself)."""
        return self._feed

    def status(self) -> PaperStatus:
        """Bars processed, fills, equity per account."""
        pf = self.engine.portfolio
        return PaperStatus(
            bars=self._bars, fills=pf.fill_count,
            equity={str(a.id): pf.equity(a.id) for a in pf.accounts()},
            errors=list(self._errors),
        )

    def run(
        self,
        max_bars: int | None = None,
        on_status: Callable[[PaperStatus], None] | None = None,
        status_every: int = 60,
        between_bars: Callable[[], object] | None = None,
    ) -> PaperStatus:
        """Process the feed until it ends, ``max_bars`` is reached, or KeyboardInterrupt."""
        self.engine.start()
        try:
            for bar in self._feed:  # one bar at a time: status and max_bars between bars
                self.engine.on_bar(bar)
                self._bars += 1
                if between_bars is not None:
                    between_bars()
                if on_status is not None and self._bars % status_every == 0:
                    on_status(self.status())
                if max_bars is not None and self._bars >= max_bars:
                    break
        except KeyboardInterrupt:
            log.info("stopping on request")
        finally:
            self.engine.stop()
        return self.status()


def build_paper_node(
    accounts: Sequence[Account],
    instruments: Sequence[Instrument],
    strategies: Sequence[Strategy],
    feed: Iterable[Bar],
    start_ns: int,
    fees: FeeModel,
    slippage: SlippageModel | None = None,
    max_positions: int = 10,
    journal: OrderJournal | None = None,
    on_fill: Callable[[OrderFilled], None] | None = None,
    session: str = "",
    risk_config: RiskConfig | None = None,
    account_risk: Mapping[AccountId, RiskConfig] | None = None,
    strategy_limits: Mapping[StrategyId, StrategyLimits] | None = None,
) -> PaperNode:
    """Compose a paper node; every venue named by an instrument becomes a simulated exchange."""
    clock = SimClock(start_ns)
    portfolio = Portfolio()
    for account in accounts:
        portfolio.add_account(account)
    venues: dict[str, SimulatedExchange] = {}
    for venue_name in sorted({i.id.venue for i in instruments}):
        venue_insts = [i for i in instruments if i.id.venue == venue_name]
        venues[venue_name] = SimulatedExchange(
            venue_name, venue_insts, clock, portfolio, fees, slippage, session=session
        )
    risk: PreTradeCheck = PreTradeRisk(portfolio, max_positions=max_positions)
    if risk_config is not None:  # the full risk engine: limits, breakers, protection
        risk = RiskEngine(portfolio, clock, risk_config, account_risk, strategy_limits)
    engine = TradingEngine(clock, venues, portfolio, risk, journal=journal)
    if on_fill is not None:
        engine.bus.subscribe(OrderFilled, on_fill)
    for strategy in strategies:
        engine.add_strategy(strategy)
    return PaperNode(engine, feed, clock, risk)

