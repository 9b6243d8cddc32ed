"""The order path reads enum members as module constants, never through the enum class.

Python 3.11's ``EnumType`` defines ``__getattr__``, so ``OrderSide.BUY`` goes through a slow
attribute hook the interpreter cannot specialize (~70 ns each; an order round trip read ~140 of
them, about a third of its time). ``aitrader.core.enums`` exports the members as constants
(``BUY``, ``MARKET``, ``FILLED``...) for the modules every order or book update passes through.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "aitrader"
HOT = [
    "core/order.py", "core/position.py", "core/commands.py", "core/order_book.py",
    "engine/order_manager.py", "engine/trading_engine.py", "engine/contingent_orders.py",
    "venues/simulated/exchange.py", "venues/simulated/funds.py",
    "venues/simulated/fill_models.py", "venues/simulated/working_order.py",
    "venues/simulated/book_matching.py", "portfolio/portfolio.py", "portfolio/trade_log.py",
    "portfolio/attribution.py", "risk/pre_trade.py", "risk/order_checks.py",
    "risk/risk_engine.py", "risk/protective_levels.py", "strategies/base.py",
]
MEMBER_VIA_CLASS = re.compile(
    r"\b(OrderSide|OrderType|OrderStatus|TimeInForce|LiquiditySide|AccountType|BookSide)"
    r"\.[A-Z][A-Z_]*\b")


def test_hot_path_modules_read_enum_members_as_module_constants() -> None:
    found = [
        f"{name}:{i}: {line.strip()}"
        for name in HOT
        for i, line in enumerate((SRC / name).read_text().splitlines(), 1)
        if MEMBER_VIA_CLASS.search(line.split("#")[0]) and not line.startswith(("from", "import"))
    ]
    assert found == [], "use the constants of aitrader.core.enums:\n" + "\n".join(found)


def test_the_enum_constants_are_the_members_themselves() -> None:
    from aitrader.core import enums

    for enum_cls in (enums.OrderSide, enums.OrderType, enums.OrderStatus, enums.TimeInForce,
                     enums.LiquiditySide, enums.AccountType, enums.BookSide):
        for member in enum_cls:
            assert getattr(enums, member.name) is member
