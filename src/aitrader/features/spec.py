"""Declarative feature sets: what a model sees, written once in YAML/JSON and shipped with it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReturnsSpec(_Spec):
    """Log returns over several horizons: ``ret_<h>``."""

    kind: Literal["returns"] = "returns"
    horizons: list[Annotated[int, Field(ge=1, le=10_000)]] = Field(default_factory=lambda: [1, 5])


class VolatilitySpec(_Spec):
    """Realized volatility of one-bar log returns over several windows: ``vol_<w>``."""

    kind: Literal["volatility"] = "volatility"
    windows: list[Annotated[int, Field(ge=2, le=10_000)]] = Field(default_factory=lambda: [20])


class IndicatorSpec(_Spec):
    """A technical indicator from the indicator hook, one column per period: ``<name>_<p>``.

    Known names: ``sma_ratio`` (close / SMA - 1, from ``indicators.sma``), ``rsi``,
    ``volume_z`` (volume z-score). More register in ``features.indicator_hook``.
    """

    kind: Literal["indicator"] = "indicator"
    name: str
    periods: list[Annotated[int, Field(ge=2, le=10_000)]]


class BarShapeSpec(_Spec):
    """Shape of the bar itself: ``hl_range`` ((high-low)/close) and ``body`` (close/open - 1)."""

    kind: Literal["bar_shape"] = "bar_shape"


class CalendarSpec(_Spec):
    """Cyclical time of the bar's close: hour and weekday as sine/cosine pairs."""

    kind: Literal["calendar"] = "calendar"
    hour: bool = True
    weekday: bool = True


class MicrostructureSpec(_Spec):
    """From top-of-book and trade-flow columns (``bid_px ask_px bid_sz ask_sz buy_volume
    sell_volume`` at each bar's close): ``book_imbalance``, ``spread_bps``, ``microprice_dev``,
    ``trade_flow_imbalance`` (summed over ``flow_window`` bars)."""

    kind: Literal["microstructure"] = "microstructure"
    flow_window: int = Field(1, ge=1, le=10_000)


class ExternalSpec(_Spec):
    """Columns of an external time-indexed file (sentiment, alternative data): ``ext_<col>``.

    Each bar sees the latest row whose timestamp is <= the bar's close time minus ``lag_s``.
    """

    kind: Literal["external"] = "external"
    columns: list[str] = Field(min_length=1)
    lag_s: int = Field(0, ge=0)


class CustomSpec(_Spec):
    """A feature function registered with the FeatureSet by name (research, tests)."""

    kind: Literal["custom"] = "custom"
    name: str
    warmup: int = Field(1, ge=1)


FeatureSpec = Annotated[
    ReturnsSpec | VolatilitySpec | IndicatorSpec | BarShapeSpec | CalendarSpec
    | MicrostructureSpec | ExternalSpec | CustomSpec,
    Field(discriminator="kind"),
]


class FeatureSetSpec(_Spec):
    """An ordered list of feature groups; the column order is the model's input order."""

    name: str = "default"
    features: list[FeatureSpec] = Field(min_length=1)
