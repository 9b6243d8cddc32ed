"""The compiled portfolio simulation: the event engine's fill rules on arrays (numba).

Rules (the same as ``venues/simulated`` with a market-order strategy and optional brackets):
a decision on bar ``i``'s close fills at bar ``i+1``'s open (slippage against the order, taker
fee); an entry is refused when ``qty x close x (1 + taker fee)`` exceeds the equity (the CASH
funds check); brackets become active on the bar after the entry fill and are matched along the
documented path open → nearer extreme → farther extreme → close (``bar_path.py``): the stop
fills at the open when gapped through, else at its trigger (taker, slipped); the take-profit
fills at the open when gapped through, else at its limit (maker unless it was marketable when
placed and fills at the open); of both touched in one bar the earlier point wins, the stop on a
tie (it was submitted first). A signal exit cancels the brackets first.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

F64 = npt.NDArray[np.float64]

# trade record columns
T_ENTRY, T_EXIT, T_POINT, T_KIND, T_DECISION, T_TAKER = 0, 1, 2, 3, 4, 5
T_COLS = 6
KIND_SIGNAL, KIND_STOP, KIND_TARGET = 0, 1, 2
# metric columns
M_TRADES, M_END, M_MAXDD, M_WIN, M_LOSS, M_WINS, M_FEES, M_DAYS, M_OPEN = 0, 1, 2, 3, 4, 5, 6, 7, 8
M_COLS = 9


@njit(cache=True, nogil=True)
def _slip(x: float, inv_tick: float, bps: float, is_buy: bool) -> float:
    base = np.rint(x * inv_tick)
    if bps == 0.0:
        return float(base / inv_tick)
    slipped = base * (1.0 + bps / 1e4) if is_buy else base * (1.0 - bps / 1e4)
    ticks = math.ceil(slipped - 1e-9) if is_buy else math.floor(slipped + 1e-9)
    return float(ticks / inv_tick)


@njit(cache=True, nogil=True)
def simulate(o: F64, h: F64, lo: F64, c: F64, entries: npt.NDArray[np.bool_],
             exits: npt.NDArray[np.bool_], sl: F64, tp: F64, qty: float, cash0: float,
             taker: float, maker: float, bps: float, inv_tick: float,
             day_last: npt.NDArray[np.bool_], trades_out: npt.NDArray[np.int64],
             equity_out: F64, daily_out: F64, metrics: F64) -> int:
    """Run one parameter set; returns the number of closed trades written to ``trades_out``.

    ``sl``/``tp`` hold tick-rounded levels per decision bar (NaN = none) or are empty;
    ``equity_out`` (per-bar equity at the close) may be empty; ``daily_out`` receives the
    equity at each ``day_last`` bar; ``metrics`` the M_* columns.
    """
    n = len(c)
    has_sl = len(sl) > 0
    has_tp = len(tp) > 0
    record = len(trades_out) > 0
    keep_equity = len(equity_out) > 0
    cash = cash0
    held = 0.0
    avg = 0.0
    pending = 0  # 1 buy at the next open, 2 sell at the next open
    decision = -1
    entry_i = -1
    entry_fee = 0.0
    sl_lvl = math.nan
    tp_lvl = math.nan
    tp_aggr = False
    active_from = n
    n_tr = 0
    n_days = 0
    peak = cash0
    max_dd = 0.0
    gross_win = 0.0
    gross_loss = 0.0
    wins = 0
    fees = 0.0
    for i in range(n):
        exit_px = math.nan
        point = 0
        kind = KIND_SIGNAL
        taker_exit = True
        if pending == 1:
            px = _slip(o[i], inv_tick, bps, True)
            entry_fee = qty * px * taker
            cash -= entry_fee
            fees += entry_fee
            held = qty
            avg = px
            entry_i = i
            sl_lvl = sl[decision] if has_sl else math.nan
            tp_lvl = tp[decision] if has_tp else math.nan
            tp_aggr = tp_lvl <= c[i - 1] if i > 0 else False
            active_from = i + 1
        elif pending == 2:
            exit_px = _slip(o[i], inv_tick, bps, False)
        elif held > 0.0 and i >= active_from:
            first_is_high = h[i] - o[i] <= o[i] - lo[i]
            p1 = h[i] if first_is_high else lo[i]
            p2 = lo[i] if first_is_high else h[i]
            s_at = -1
            s_px = 0.0
            if not math.isnan(sl_lvl):
                if o[i] <= sl_lvl:
                    s_at, s_px = 0, o[i]
                elif p1 <= sl_lvl:
                    s_at, s_px = 1, sl_lvl
                elif p2 <= sl_lvl:
                    s_at, s_px = 2, sl_lvl
                elif c[i] <= sl_lvl:
                    s_at, s_px = 3, sl_lvl
            t_at = -1
            t_px = 0.0
            if not math.isnan(tp_lvl):
                if o[i] >= tp_lvl:
                    t_at, t_px = 0, o[i]
                elif p1 >= tp_lvl:
                    t_at, t_px = 1, tp_lvl
                elif p2 >= tp_lvl:
                    t_at, t_px = 2, tp_lvl
                elif c[i] >= tp_lvl:
                    t_at, t_px = 3, tp_lvl
            if s_at >= 0 and (t_at < 0 or s_at <= t_at):
                exit_px = _slip(s_px, inv_tick, bps, False)
                point = s_at
                kind = KIND_STOP
            elif t_at >= 0:
                exit_px = np.rint(t_px * inv_tick) / inv_tick
                point = t_at
                kind = KIND_TARGET
                taker_exit = tp_aggr and t_at == 0
        pending = 0
        if not math.isnan(exit_px):
            exit_fee = qty * exit_px * (taker if taker_exit else maker)
            cash += (exit_px - avg) * held - exit_fee
            fees += exit_fee
            net = (exit_px - avg) * held - entry_fee - exit_fee
            if net > 0:
                gross_win += net
                wins += 1
            elif net < 0:
                gross_loss -= net
            if record and n_tr < len(trades_out):
                trades_out[n_tr, T_ENTRY] = entry_i
                trades_out[n_tr, T_EXIT] = i
                trades_out[n_tr, T_POINT] = point
                trades_out[n_tr, T_KIND] = kind
                trades_out[n_tr, T_DECISION] = decision
                trades_out[n_tr, T_TAKER] = 1 if taker_exit else 0
            n_tr += 1
            held = 0.0
            avg = 0.0
            active_from = n
        equity = cash + (c[i] - avg) * held
        if keep_equity:
            equity_out[i] = equity
        if equity > peak:
            peak = equity
        elif peak - equity > max_dd * peak and peak > 0:
            max_dd = (peak - equity) / peak
        if day_last[i] and n_days < len(daily_out):
            daily_out[n_days] = equity
            n_days += 1
        if held == 0.0:
            # the CASH funds check at submission: qty x last close x (1 + taker fee) <= equity
            if entries[i] and i + 1 < n and qty * c[i] * (1.0 + taker) <= cash:
                pending = 1
                decision = i
        elif exits[i]:
            pending = 2
    metrics[M_TRADES] = n_tr
    metrics[M_END] = cash + (c[n - 1] - avg) * held if n > 0 else cash0
    metrics[M_MAXDD] = max_dd
    metrics[M_WIN] = gross_win
    metrics[M_LOSS] = gross_loss
    metrics[M_WINS] = wins
    metrics[M_FEES] = fees
    metrics[M_DAYS] = n_days
    metrics[M_OPEN] = entry_i if held > 0.0 else -1
    return n_tr
