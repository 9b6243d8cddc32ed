"""aitrader: one event-driven engine for backtest, paper and live trading."""

from aitrader.compiled import guard as _guard_compiled_core

__version__ = "0.1.0"

_guard_compiled_core()  # before any engine module is imported (see aitrader.compiled)
