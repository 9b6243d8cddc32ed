"""Microstructure columns per bar from trades and top-of-book: batch and streaming twins."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def trade_flow_columns(close_ts_ns: I64, trade_ts_ns: I64, size: F64,
                       is_buy: npt.NDArray[np.bool_]) -> dict[str, F64]:
    """``buy_volume``/``sell_volume`` of the trades in each bar (ts_prev_close, ts_close]."""
    idx = np.searchsorted(close_ts_ns, trade_ts_ns, side="left")
    ok = idx < len(close_ts_ns)
    n = len(close_ts_ns)
    buy = np.bincount(idx[ok & is_buy], weights=size[ok & is_buy], minlength=n)[:n]
    sell = np.bincount(idx[ok & ~is_buy], weights=size[ok & ~is_buy], minlength=n)[:n]
    return {"buy_volume": buy.astype(np.float64), "sell_volume": sell.astype(np.float64)}


def book_top_columns(close_ts_ns: I64, book_ts_ns: I64, bid_px: F64, ask_px: F64,
                     bid_sz: F64, ask_sz: F64) -> dict[str, F64]:
    """The last top of book at or before each bar's close (NaN before the first)."""
    idx = np.searchsorted(book_ts_ns, close_ts_ns, side="right") - 1
    out: dict[str, F64] = {}
    for name, col in (("bid_px", bid_px), ("ask_px", ask_px), ("bid_sz", bid_sz),
                      ("ask_sz", ask_sz)):
        vals = np.full(len(idx), np.nan)
        vals[idx >= 0] = col[idx[idx >= 0]]
        out[name] = vals
    return out


class BarFlowAccumulator:
    """Live twin: feed trades and book tops as they come, read a bar's columns at its close."""

    __slots__ = ("ask_px", "ask_sz", "bid_px", "bid_sz", "buy", "sell")

    def __init__(self) -> None:
        self.buy = 0.0
        self.sell = 0.0
        self.bid_px = self.ask_px = self.bid_sz = self.ask_sz = math.nan

    def on_trade(self, size: float, is_buy: bool) -> None:
        """Count a trade in the current bar."""
        if is_buy:
            self.buy += size
        else:
            self.sell += size

    def on_top(self, bid_px: float, bid_sz: float, ask_px: float, ask_sz: float) -> None:
        """Remember the latest best bid/ask."""
        self.bid_px, self.bid_sz, self.ask_px, self.ask_sz = bid_px, bid_sz, ask_px, ask_sz

    def close_bar(self) -> dict[str, float]:
        """This bar's columns; the flow counters restart, the book top carries over."""
        row = {"bid_px": self.bid_px, "ask_px": self.ask_px, "bid_sz": self.bid_sz,
               "ask_sz": self.ask_sz, "buy_volume": self.buy, "sell_volume": self.sell}
        self.buy = self.sell = 0.0
        return row
