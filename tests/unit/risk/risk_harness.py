"""Test harness: a real engine on a SimClock with the full risk engine in its order path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from aitrader.core.account import Account
from aitrader.core.commands import SubmitOrder
from aitrader.core.enums import AccountType, AssetClass, OrderSide, OrderType
from aitrader.core.ids import AccountId, InstrumentId, StrategyId
from aitrader.core.instrument import Instrument
from aitrader.core.market_data import Bar
from aitrader.core.order import Order
from aitrader.engine.clock import SimClock
from aitrader.engine.trading_engine import TradingEngine
from aitrader.portfolio.portfolio import Portfolio
from aitrader.risk.config import RiskConfig, StrategyLimits
from aitrader.risk.risk_engine import RiskEngine
from aitrader.testkit.engine_factory import MINUTE_NS, btc_usdt
from aitrader.venues.simulated.exchange import SimulatedExchange
from aitrader.venues.simulated.fill_models import FeeModel, NoSlippage

E = TypeVar("E")
ETH = InstrumentId("ETH/USDT", "SIM")
BTC = InstrumentId("BTC/USDT", "SIM")


def eth_usdt() -> Instrument:
    """ETH/USDT on SIM."""
    return Instrument(ETH, AssetClass.CRYPTO, "ETH", "USDT", Decimal("0.01"),
                      Decimal("0.0001"), min_notional=Decimal(5))


@dataclass
class RiskHarness:
    """Engine, simulator, portfolio, clock and the risk engine, for assertions."""

    engine: TradingEngine
    venue: SimulatedExchange
    portfolio: Portfolio
    clock: SimClock
    risk: RiskEngine
    account_id: AccountId

    def bar(self, o: float, h: float, lo: float, c: float,
            iid: InstrumentId = BTC, advance: bool = True) -> Bar:
        """Feed the next one-minute bar of ``iid``."""
        start = self.clock.now_ns()
        bar = Bar(iid, start, start + MINUTE_NS, o, h, lo, c, 1.0)
        if not advance:
            bar = Bar(iid, start - MINUTE_NS, start, o, h, lo, c, 1.0)
        self.engine.on_bar(bar)
        return bar

    def flat_bars(self, n: int, price: float = 100.0, iid: InstrumentId | None = None) -> None:
        """``n`` quiet bars around ``price``."""
        for i in range(n):
            p = price * (1 + 0.0005 * ((i % 5) - 2))
            self.bar(p, p * 1.001, p * 0.999, p, iid or BTC)

    def submit(self, side: OrderSide, qty: str, kind: OrderType = OrderType.MARKET,
               strategy: str = "s", iid: InstrumentId | None = None, **terms: Any) -> Order:
        """Submit an order through the strategy path (prepare + risk)."""
        sid = StrategyId(strategy)
        orders = self.engine.orders
        cmd = SubmitOrder(orders.next_order_id(sid), sid, self.account_id,
                          iid or BTC, side, kind, Decimal(qty),
                          **terms)
        return orders.submit(self.engine.prepare(cmd))

    def record(self, topic: type[E]) -> list[E]:
        """Collect every message of ``topic`` from now on."""
        seen: list[E] = []
        self.engine.bus.subscribe(topic, seen.append)
        return seen




def build_harness(cash: Decimal = Decimal(100_000),
                  account_type: AccountType = AccountType.CASH, leverage: Decimal = Decimal(1),
                  strategies: dict[str, StrategyLimits] | None = None, **cfg: Any) -> RiskHarness:
    """An engine with BTC/USDT and ETH/USDT on SIM, no fees, and ``RiskConfig(**cfg)``."""
    clock = SimClock(1_700_000_000 * 1_000_000_000 // MINUTE_NS * MINUTE_NS)
    portfolio = Portfolio()
    account_id = AccountId("test")
    portfolio.add_account(Account(account_id, "SIM", "USDT", {"USDT": cash}, account_type,
                                  leverage))
    venue = SimulatedExchange("SIM", [btc_usdt(), eth_usdt()], clock, portfolio,
                              FeeModel(Decimal(0), Decimal(0)), NoSlippage())
    risk = RiskEngine(portfolio, clock, RiskConfig(**cfg),
                      strategies={StrategyId(k): v for k, v in (strategies or {}).items()})
    engine = TradingEngine(clock, {"SIM": venue}, portfolio, risk)
    return RiskHarness(engine, venue, portfolio, clock, risk, account_id)

MakeHarness = Callable[..., RiskHarness]
