"""Orders in and out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aitrader.core.enums import OrderSide, OrderStatus, OrderType, TimeInForce

_IN = ConfigDict(extra="forbid")
_MAX = Decimal(10) ** 15


class OrderCreate(BaseModel):
    """A manual order. Prices and quantity must sit on the instrument's tick and lot."""

    model_config = _IN
    account_id: str = Field(..., min_length=1, max_length=64)
    instrument_id: str = Field(..., min_length=3, max_length=128, pattern=r"^[^@]+@[^@]+$",
                               examples=["BTC/USDT@SIM"], description="SYMBOL@VENUE")
    side: OrderSide
    order_type: OrderType = OrderType.MARKET
    quantity: Decimal = Field(..., gt=0, lt=_MAX, allow_inf_nan=False)
    price: Decimal | None = Field(None, gt=0, lt=_MAX, allow_inf_nan=False)
    trigger_price: Decimal | None = Field(None, gt=0, lt=_MAX, allow_inf_nan=False)
    trailing_offset: Decimal | None = Field(None, gt=0, lt=_MAX, allow_inf_nan=False)
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    post_only: bool = False
    stop_loss: Decimal | None = Field(None, gt=0, lt=_MAX, allow_inf_nan=False)
    take_profit: Decimal | None = Field(None, gt=0, lt=_MAX, allow_inf_nan=False)
    tag: str = Field("", max_length=64)


class OrderPublic(BaseModel):
    """An order's terms and state."""

    client_order_id: str
    strategy_id: str
    account_id: str
    instrument_id: str
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    price: Decimal | None = None
    trigger_price: Decimal | None = None
    time_in_force: TimeInForce
    status: OrderStatus
    filled_qty: Decimal
    avg_px: Decimal | None = None
    venue_order_id: str | None = None
    reason: str | None = Field(None, description="why it was denied, rejected or cancelled")
    ts_init: int
    ts_last: int


class OrderEventPublic(BaseModel):
    """One event in an order's history."""

    kind: str
    ts_event: int
    payload: dict[str, Any]


class OrderDetail(OrderPublic):
    """An order with its history."""

    events: list[OrderEventPublic] = Field(default_factory=list)


class OrderPage(BaseModel):
    """One page of orders, newest first."""

    items: list[OrderPublic]
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page, if any")


class OrderFilters(BaseModel):
    """The query of GET /api/orders: filters (all optional, combined with AND) and a page.
    One model, so FastAPI validates it in one pass (cheaper than nine separate parameters)."""

    status: list[OrderStatus] | None = None
    account_id: str | None = Field(None, max_length=64)
    strategy_id: str | None = Field(None, max_length=64)
    instrument_id: str | None = Field(None, max_length=128)
    side: OrderSide | None = None
    since_ns: int | None = Field(None, ge=0, le=2**63 - 1)
    until_ns: int | None = Field(None, ge=0, le=2**63 - 1)
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)
