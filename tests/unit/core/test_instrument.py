"""Instruments: tick and lot rounding, grid checks, notional, and the rules on construction."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aitrader.core.enums import AssetClass
from aitrader.core.errors import InvalidOrder
from aitrader.core.ids import InstrumentId
from aitrader.core.instrument import Instrument
from aitrader.core.money import to_decimal

D = Decimal
IID = InstrumentId("BTC/USDT", "SIM")


def inst(tick: str = "0.01", lot: str = "0.00001", **kw: object) -> Instrument:
    return Instrument(IID, AssetClass.CRYPTO, "BTC", "USDT", D(tick), D(lot), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("raw", "expected"), [
    ("100.005", "100.00"), ("100.015", "100.02"), ("100.0151", "100.02"), ("99.994", "99.99"),
    (100, "100.00"), (0.1 + 0.2, "0.30"),
])
def test_make_price_rounds_half_even_to_a_power_of_ten_tick(raw: object, expected: str) -> None:
    price = inst().make_price(raw)  # type: ignore[arg-type]
    assert str(price) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("100.025", "100.00"), ("100.075", "100.10"), ("100.03", "100.05"), ("100.02", "100.00"),
])
def test_make_price_rounds_half_even_to_a_non_decimal_tick(raw: str, expected: str) -> None:
    assert str(inst(tick="0.05").make_price(raw)) == expected


@pytest.mark.parametrize(("raw", "expected"), [("123", 120), ("125", 120), ("135", 140)])
def test_make_price_rounds_to_a_tick_above_one(raw: str, expected: int) -> None:
    assert inst(tick="10").make_price(raw) == expected


@pytest.mark.parametrize(("lot", "raw", "expected"), [
    ("0.00001", "0.123456", "0.12345"), ("0.00001", "0.99999999", "0.99999"),
    ("0.5", "1.9", "1.5"), ("1", "7.99", "7"), ("0.001", 0.0029999, "0.002"),
])
def test_make_qty_rounds_down_to_whole_lots(lot: str, raw: object, expected: str) -> None:
    qty = inst(lot=lot).make_qty(raw)  # type: ignore[arg-type]
    assert qty == D(expected)


def test_make_qty_keeps_the_lot_precision() -> None:
    assert str(inst().make_qty(2)) == "2.00000"


def test_grid_checks_accept_multiples_and_refuse_the_rest() -> None:
    i = inst(tick="0.05", lot="0.001")
    assert i.is_on_tick(D("100.05")) and not i.is_on_tick(D("100.03"))
    assert i.is_on_lot(D("0.250")) and not i.is_on_lot(D("0.2505"))


def test_notional_includes_the_multiplier() -> None:
    assert inst(multiplier=D(50)).notional(D("2"), D("4000.25")) == D("400025.00")
    assert inst().notional(D("0.5"), D("100.10")) == D("50.050")


@pytest.mark.parametrize("field", ["tick_size", "lot_size", "multiplier"])
@pytest.mark.parametrize("bad", [D(0), D("-0.01"), 0.01])
def test_steps_must_be_positive_decimals(field: str, bad: object) -> None:
    kw: dict[str, object] = {"id": IID, "asset_class": AssetClass.CRYPTO, "base_currency": "BTC",
                             "quote_currency": "USDT", "tick_size": D("0.01"),
                             "lot_size": D("0.001"), field: bad}
    with pytest.raises(InvalidOrder, match=f"{field} of BTC/USDT@SIM must be a Decimal > 0"):
        Instrument(**kw)  # type: ignore[arg-type]


def test_negative_minimums_are_refused() -> None:
    with pytest.raises(InvalidOrder, match="must be >= 0"):
        inst(min_notional=D(-1))
    with pytest.raises(InvalidOrder, match="must be >= 0"):
        inst(min_quantity=D("-0.1"))


def test_instrument_ids_print_and_parse_as_symbol_at_venue() -> None:
    assert str(IID) == "BTC/USDT@SIM"
    assert InstrumentId.parse("BTC/USDT@SIM") == IID
    assert inst().symbol == "BTC/USDT"


@pytest.mark.parametrize("text", ["BTCUSDT", "@SIM", "BTC@"])
def test_malformed_instrument_ids_are_refused(text: str) -> None:
    with pytest.raises(InvalidOrder):
        InstrumentId.parse(text)


def test_an_at_sign_inside_a_symbol_is_refused() -> None:
    with pytest.raises(InvalidOrder, match="'@' is not allowed"):
        InstrumentId("BTC@X", "SIM")


# --- make_price's fast path for floats on the tick grid ---------------------------------------

TICKS = [Decimal("0.01"), Decimal("0.00001"), Decimal(1), Decimal("0.5"), Decimal("1E+1"),
         Decimal("0.10")]


def _exact(inst: Instrument, value: float) -> Decimal:
    """The definition: the float's shortest repr, rounded half-even to the tick."""
    if inst.tick_size.normalize().as_tuple().digits == (1,):
        return to_decimal(value).quantize(inst.tick_size.normalize(), ROUND_HALF_EVEN)
    ticks = (to_decimal(value) / inst.tick_size).to_integral_value(rounding=ROUND_HALF_EVEN)
    return (ticks * inst.tick_size).quantize(inst.tick_size.normalize())


def _inst(tick: Decimal) -> Instrument:
    return Instrument(InstrumentId("X/Y", "SIM"), AssetClass.CRYPTO, "X", "Y", tick,
                      Decimal("0.001"))


@given(st.sampled_from(TICKS), st.integers(1, 10**11) | st.integers(1, 2_000), st.sampled_from(
    [0.0, 1e-9, -1e-9, 1e-7, 0.5, 0.4999999, 0.5000001, 0.25, 0.123]))
@example(Decimal("0.01"), 101, 0.5)  # 1.015: its float is below the half tick, its repr on it
def test_make_price_of_a_float_near_the_grid_is_the_exact_rounding(tick, ticks, off) -> None:
    inst = _inst(tick)
    value = float((ticks + Decimal(repr(off))) * tick)
    got = inst.make_price(value)
    want = _exact(inst, value)
    assert got == want and str(got) == str(want), (value, got, want)


@given(st.sampled_from(TICKS), st.floats(min_value=1e-6, max_value=1e15, allow_nan=False))
def test_make_price_of_any_float_is_the_exact_rounding(tick, value) -> None:
    inst = _inst(tick)
    got = inst.make_price(value)
    want = _exact(inst, value)
    assert got == want and str(got) == str(want), (value, got, want)


def test_make_price_of_a_float_is_exact_whatever_the_callers_decimal_precision() -> None:
    from decimal import InvalidOperation, localcontext

    inst = _inst(Decimal("0.01"))
    with localcontext() as ctx:
        ctx.prec = 4  # a caller's context must not round a price silently
        assert inst.make_price(42123.45) == Decimal("42123.45")
        with pytest.raises(InvalidOperation):  # the exact path refuses rather than rounds
            inst.make_price(42123.455)


@pytest.mark.parametrize(("raw", "expected"), [
    (np.int64(3), "3.000"), (np.float32(0.25), "0.250"), (np.float64(0.1), "0.100"),
    (Fraction(3, 8), "0.375"),
])
def test_make_qty_takes_numpy_scalars_and_other_real_numbers(raw: object, expected: str) -> None:
    assert inst(lot="0.001").make_qty(raw) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, [1], object(), complex(1, 1)])
def test_a_quantity_that_is_not_a_number_is_a_type_error_naming_it(bad: object) -> None:
    with pytest.raises(TypeError, match="a number is required, was"):
        to_decimal(bad)  # type: ignore[arg-type]
