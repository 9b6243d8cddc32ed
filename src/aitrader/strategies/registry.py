"""Which strategy types exist: the built-in ones plus any installed through entry points."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from aitrader.core.errors import StrategyError
from aitrader.strategies.base import Strategy
from aitrader.strategies.dom.strategy import DomImbalance
from aitrader.strategies.examples.sma_cross import SmaCross
from aitrader.strategies.momentum.breakout import Breakout
from aitrader.strategies.momentum.mean_reversion import MeanReversion
from aitrader.strategies.momentum.multi_timeframe import MultiTimeframe
from aitrader.strategies.momentum.trend_following import TrendFollowing
from aitrader.strategies.smc.strategy import SmcStrategy

ENTRY_POINT_GROUP = "aitrader.strategies"
BUILT_IN: tuple[type[Strategy], ...] = (
    SmaCross, TrendFollowing, MeanReversion, Breakout, MultiTimeframe, SmcStrategy, DomImbalance,
)


class StrategyRegistry:
    """Maps registry names to Strategy classes; built by :meth:`default`, never global."""

    def __init__(self, classes: list[type[Strategy]] | None = None) -> None:
        self._classes: dict[str, type[Strategy]] = {}
        for cls in classes or []:
            self.register(cls)

    @classmethod
    def default(cls) -> StrategyRegistry:
        """Built-in strategies plus the ``aitrader.strategies`` entry points."""
        reg = cls(list(BUILT_IN))
        for loaded in _plugin_classes():
            reg.register(loaded)
        return reg

    def register(self, cls: type[Strategy]) -> None:
        """Add a class; its ``name`` must be set and unique."""
        if not cls.name:
            raise StrategyError(f"{cls.__qualname__} has no registry name (set `name = ...`)")
        existing = self._classes.get(cls.name)
        if existing is not None and existing is not cls:
            raise StrategyError(f"strategy name {cls.name!r} is taken by {existing.__qualname__}")
        self._classes[cls.name] = cls

    def get(self, name: str) -> type[Strategy]:
        """The class registered as ``name``; StrategyError lists the known names otherwise."""
        try:
            return self._classes[name]
        except KeyError:
            known = ", ".join(sorted(self._classes)) or "none"
            raise StrategyError(f"unknown strategy {name!r} (known: {known})") from None

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._classes)


@cache
def _plugin_classes() -> tuple[type[Strategy], ...]:
    """The strategy classes of the installed ``aitrader.strategies`` entry points, loaded once
    per process (scanning the installed distributions costs ~15 ms, once per backtest before)."""
    found: list[type[Strategy]] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        loaded = ep.load()
        if isinstance(loaded, type) and issubclass(loaded, Strategy):
            found.append(loaded)
    return tuple(found)
