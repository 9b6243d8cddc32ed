"""A ccxt exchange's declared features (``exchange.features`` / ``exchange.has``) as the
VenueCapabilities the engine checks before it sends anything."""

from __future__ import annotations

from typing import Any

from aitrader.core.enums import OrderType, TimeInForce
from aitrader.core.ports import VenueCapabilities

_TIF = {"GTC": TimeInForce.GTC, "IOC": TimeInForce.IOC, "FOK": TimeInForce.FOK}


def capabilities_of(exchange: Any, market_type: str = "spot") -> VenueCapabilities:
    """What the exchange's unified API supports for ``market_type`` orders."""
    has = exchange.has or {}
    features = (exchange.features or {}).get(market_type) or {}
    if "linear" in features:  # derivatives: features split by settlement
        features = features.get("linear") or {}
    create = features.get("createOrder") or {}
    tif = create.get("timeInForce") or {}
    order_types = {OrderType.MARKET, OrderType.LIMIT}
    if create.get("triggerPrice"):
        order_types |= {OrderType.STOP, OrderType.STOP_LIMIT}
    streams = set()
    for kind, ws, rest in (("trades", "watchTrades", "fetchTrades"),
                           ("bars", "watchOHLCV", "fetchOHLCV"),
                           ("book", "watchOrderBook", "fetchOrderBook")):
        if has.get(ws) or has.get(rest):
            streams.add(kind)
    return VenueCapabilities(
        order_types=frozenset(order_types),
        time_in_force=frozenset(v for k, v in _TIF.items() if tif.get(k)) or
        frozenset({TimeInForce.GTC}),
        reduce_only=bool(create.get("reduceOnly")),
        post_only=bool(tif.get("PO") or create.get("postOnly")),
        oco=False,  # brackets and OCO are emulated by the engine on every venue
        modify=has.get("editOrder") is True,  # "emulated" = cancel + new order: a new id
        streams=frozenset(streams),
        positions=bool(has.get("fetchPositions")) and market_type != "spot",
    )
