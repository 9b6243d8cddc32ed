"""The SMC strategy: enter on a retrace into the zone a structure break left, stop beyond it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from aitrader.core.enums import OrderSide, OrderType
from aitrader.core.market_data import Bar
from aitrader.core.order import Order
from aitrader.strategies.base import Strategy, StrategyParams
from aitrader.strategies.smc.analyzer import BarStructures, SmcAnalyzer, SmcSettings
from aitrader.strategies.smc.structures import (
    Direction,
    FairValueGap,
    OrderBlock,
    SupplyDemandZone,
)

ZoneSource = Literal["order_block", "supply_demand", "fair_value_gap"]
Zone = OrderBlock | SupplyDemandZone | FairValueGap


class SmcParams(StrategyParams):
    """Parameters of the SMC strategy (structure definitions and trade management)."""

    swing_lookback: int = Field(5, ge=1, le=200, description="bars each side of a swing")
    zone_source: ZoneSource = Field(
        "order_block", description="which zones give entries: order blocks, supply/demand "
        "zones or fair value gaps")
    require_discount: bool = Field(
        True, description="buy only below the dealing range's equilibrium (sell above)")
    trade_with_trend: bool = Field(
        True, description="take a zone only in the direction of the latest structure break")
    reward_risk: float = Field(2.0, ge=0.2, le=20, description="take-profit distance / risk")
    stop_buffer_atr: float = Field(0.1, ge=0, le=10, description="stop beyond the zone, x ATR")
    entry_timeout_bars: int = Field(30, ge=1, le=100_000,
                                    description="cancel an unfilled entry after this many bars")
    quantity: Decimal = Field(Decimal("0.01"), gt=0, description="base quantity per entry")
    allow_short: bool = Field(False, description="also sell supply-side zones (needs margin)")
    fvg_min_size_frac: float = Field(0.0, ge=0, le=0.1, description="ignore smaller gaps")
    zone_leg_atr_mult: float = Field(1.5, gt=0, le=20, description="leg-out body, x ATR")
    atr_period: int = Field(14, ge=1, le=1000, description="ATR period (stop buffer, zones)")


class SmcStrategy(Strategy):
    """Decides on each bar's close from structures that bar confirmed; never reads ahead.

    When a bar reveals a new zone of the chosen kind (bullish for a long), the strategy rests
    a limit order at the zone's near edge (the top of a bullish zone) if the close is above
    it, with a stop-loss ``stop_buffer_atr`` x ATR beyond the far edge and a take-profit at
    ``reward_risk`` x the risk. Filters: the trend (last break direction) must agree, and the
    entry must sit in discount (premium for shorts) of the dealing range. An unfilled entry is
    cancelled after ``entry_timeout_bars``, when its zone is invalidated, or when structure
    breaks the other way. One position or pending entry at a time.
    """

    name = "smc"
    Params = SmcParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p: SmcParams = self.params
        self._p = p
        self.analyzer = SmcAnalyzer(SmcSettings(
            swing_lookback=p.swing_lookback, fvg_min_size_frac=p.fvg_min_size_frac,
            zone_leg_atr_mult=p.zone_leg_atr_mult, atr_period=p.atr_period,
        ))
        self._entry: Order | None = None
        self._entry_bar = 0
        self._entry_zone: Zone | None = None

    def on_bar(self, bar: Bar) -> None:
        """Update the structures, manage the pending entry, look for a new one."""
        out = self.analyzer.update(bar.open, bar.high, bar.low, bar.close)
        if self._entry is not None:
            self._manage_entry(out)
        if self._entry is not None or self.position() != 0 or self.ctx.open_orders(self.id):
            return
        for direction, top, bottom, zone in self._new_zones(out):
            if self._try_enter(bar, out, direction, top, bottom, zone):
                return

    def _new_zones(self, out: BarStructures) -> list[tuple[Direction, float, float, Zone]]:
        src = self._p.zone_source
        zones: list[Zone] = list(out.order_blocks if src == "order_block" else
                                 out.zones if src == "supply_demand" else out.gaps)
        return [(z.direction, z.top, z.bottom, z) for z in zones]

    def _try_enter(self, bar: Bar, out: BarStructures, direction: Direction, top: float,
                   bottom: float, zone: Zone) -> bool:
        p = self._p
        long = direction is Direction.BULLISH
        if not long and not p.allow_short:
            return False
        trend = self.analyzer.structure.trend
        if p.trade_with_trend and trend is not direction:
            return False
        entry = top if long else bottom
        if (bar.close <= entry) if long else (bar.close >= entry):
            return False  # the zone must be below price (above for a short): a retrace entry
        rng = out.dealing_range
        if p.require_discount and (rng is None or (
                not rng.is_discount(entry) if long else not rng.is_premium(entry))):
            return False
        atr = self.analyzer.zones.atr or 0.0
        buffer = p.stop_buffer_atr * atr
        stop = bottom - buffer if long else top + buffer
        risk = abs(entry - stop)
        if risk <= 0 or (long and stop <= 0):
            return False
        target = entry + p.reward_risk * risk if long else entry - p.reward_risk * risk
        inst = self.ctx.instrument(self.instruments[0])
        if inst.make_price(stop) == inst.make_price(entry):
            return False  # the zone is thinner than a tick
        submit = self.buy if long else self.sell
        self._entry = submit(p.quantity, order_type=OrderType.LIMIT, price=entry,
                             stop_loss=stop, take_profit=target, tag=f"smc_{p.zone_source}")
        self._entry_bar = out.index
        self._entry_zone = zone
        return True

    def _manage_entry(self, out: BarStructures) -> None:
        entry = self._entry
        if entry is None:
            return
        if not entry.is_open:
            self._entry = None  # filled (the bracket manages the exit), rejected or cancelled
            return
        if entry.filled_qty > 0:
            return  # partly filled: keep working
        want = Direction.BULLISH if entry.side is OrderSide.BUY else Direction.BEARISH
        zone = self._entry_zone
        gone = zone is not None and (
            zone.filled_index is not None if isinstance(zone, FairValueGap)
            else zone.invalidated_index is not None)
        against = any(b.direction is not want for b in out.breaks)
        if gone or against or out.index - self._entry_bar >= self._p.entry_timeout_bars:
            self.cancel(entry.client_order_id)
            self._entry = None

    def get_state(self) -> dict[str, Any]:
        """The trend survives a restart (structures are re-warmed from history)."""
        trend = self.analyzer.structure.trend
        return {"trend": None if trend is None else int(trend)}
