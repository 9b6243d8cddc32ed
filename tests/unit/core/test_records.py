"""Events and commands are Record values: fields in constructor order, equality, hashing,
repr, pickling, replace and read-only fields, compiled or not."""

from __future__ import annotations

import ast
import inspect
import pickle
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from aitrader import compiled
from aitrader.core import commands, events
from aitrader.core.enums import LiquiditySide, OrderSide, OrderType
from aitrader.core.ids import AccountId, ClientOrderId, InstrumentId, StrategyId, TradeId
from aitrader.core.record import Record

MODULES = (events, commands)
IID = InstrumentId.parse("BTC/USDT@SIM")


def _record_classes() -> list[type[Record]]:
    return [cls for module in MODULES for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Record) and cls is not Record and cls.__module__ == module.__name__]


def _init_params(cls: type[Record]) -> list[str]:
    """The constructor's parameters, read from the source (a compiled ``__init__`` hides them):
    the nearest class in the MRO that defines ``__init__``."""
    for klass in cls.__mro__:
        module = inspect.getmodule(klass)
        if module is None or module not in MODULES:
            continue
        tree = ast.parse(compiled.source_path(module.__name__).read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == klass.__name__:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        return [a.arg for a in item.args.args[1:]]
    raise AssertionError(f"{cls.__name__} has no __init__")


def test_every_record_lists_its_constructor_parameters_as_its_fields_in_order() -> None:
    classes = _record_classes()
    assert len(classes) >= 20
    mismatched = {cls.__name__: (cls.__match_args__, _init_params(cls)) for cls in classes
                  if list(cls.__match_args__) != _init_params(cls)}
    assert mismatched == {}


def _fill(**changes: Any) -> events.OrderFilled:
    terms: dict[str, Any] = {
        "client_order_id": ClientOrderId("c1"), "ts_event": 1_700_000_000_000_000_000,
        "venue_order_id": "v1", "trade_id": TradeId("t1"), "account_id": AccountId("a"),
        "strategy_id": StrategyId("s"), "instrument_id": IID, "side": OrderSide.BUY,
        "last_qty": Decimal("0.5"), "last_px": Decimal("100.01"), "commission": Decimal("0.05"),
        "commission_currency": "USDT", "liquidity_side": LiquiditySide.TAKER}
    terms.update(changes)
    return events.OrderFilled(**terms)


def test_a_record_equals_hashes_reprs_and_pickles_by_its_fields() -> None:
    fill = _fill()
    same = _fill()
    assert fill == same and hash(fill) == hash(same) and fill is not same
    assert fill != _fill(last_px=Decimal("100.02"))
    assert fill != events.OrderAccepted(fill.client_order_id, fill.ts_event, "v1")
    assert repr(fill).startswith("OrderFilled(client_order_id='c1', ts_event=1700000000000000000,")
    assert "last_px=Decimal('100.01')" in repr(fill)
    assert pickle.loads(pickle.dumps(fill)) == fill  # noqa: S301 (our own bytes)
    assert events.OrderFilled(*fill.fields().values()) == fill
    # a reason and a default: the intermediate base keeps both
    assert events.OrderCanceled("c1", 5) == events.OrderCanceled("c1", 5, "")
    assert events.OrderCanceled("c1", 5, "user") != events.OrderRejected("c1", 5, "user")


def test_match_patterns_take_the_fields_positionally() -> None:
    match _fill():
        case events.OrderFilled(cid, ts, _, _, _, _, iid, side, qty):
            assert (cid, ts, iid, side, qty) == ("c1", 1_700_000_000_000_000_000, IID,
                                                 OrderSide.BUY, Decimal("0.5"))
        case _:
            pytest.fail("OrderFilled did not match its own pattern")


def test_replace_changes_the_named_fields_and_refuses_unknown_ones() -> None:
    cmd = commands.SubmitOrder(ClientOrderId("c"), StrategyId("s"), AccountId("a"), IID,
                               OrderSide.BUY, OrderType.LIMIT, Decimal(1), Decimal(100))
    moved = cmd.replace(stop_loss=Decimal(95), take_profit=Decimal(110))
    assert (moved.stop_loss, moved.take_profit, moved.price) == (
        Decimal(95), Decimal(110), Decimal(100))
    assert cmd.stop_loss is None  # the original is untouched
    with pytest.raises(TypeError, match="SubmitOrder has no field stoploss"):
        cmd.replace(stoploss=Decimal(95))


def test_fields_give_the_journal_plain_data() -> None:
    data = msgspec.to_builtins(_fill().fields())
    assert data["last_px"] == "100.01" and data["side"] == "BUY"
    assert list(data) == list(events.OrderFilled.__match_args__)


def test_fields_cannot_be_assigned_compiled_or_not() -> None:
    """Compiled, a Final field has no setter; as plain Python, Record refuses a second
    assignment."""
    fill = _fill()
    with pytest.raises(AttributeError):
        fill.last_px = Decimal(1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        fill.venue_order_id = "v2"  # type: ignore[misc]
    assert (fill.last_px, fill.venue_order_id) == (Decimal("100.01"), "v1")
