"""Live venues from the settings: brokers.yml entries of kind ``ccxt`` become CCXT venues, with
keys from the file or the environment (``<EXCHANGE>_API_KEY/_SECRET/_PASSPHRASE/_SANDBOX``) and
the live-trading gate of the account they serve."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import ValidationError

from aitrader.core.errors import ConfigError
from aitrader.core.ports import Clock, LiveTradingGate
from aitrader.runtime.config_models import BrokerConfig
from aitrader.runtime.settings import AppSettings
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.venue import CcxtVenue


def live_gate(settings: AppSettings, account_id: str) -> LiveTradingGate:
    """Open only for a ``live: true`` account, SIMULATION_MODE=false, DISABLE_REAL_TRADING unset."""
    if settings.live_trading_allowed(account_id):
        return LiveTradingGate.allow(f"account {account_id} is live and real trading is enabled")
    account = next((a for a in settings.trading.accounts if a.id == account_id), None)
    if account is None or not account.live:
        why = f"account {account_id or '(none)'} is not marked live in trading.yml"
    elif settings.env.simulation_mode:
        why = "SIMULATION_MODE is on"
    else:
        why = "DISABLE_REAL_TRADING is set"
    return LiveTradingGate.deny(why)


def ccxt_config(broker: BrokerConfig, settings: AppSettings,
                environ: Mapping[str, str] | None = None) -> CcxtVenueConfig:
    """The venue config of one ccxt broker entry, keys completed from the environment."""
    if broker.kind != "ccxt" or not broker.exchange:
        raise ConfigError(f"brokers.yml: {broker.name}: a ccxt broker needs kind: ccxt and an "
                          f"exchange, was kind={broker.kind!r} exchange={broker.exchange!r}")
    account_id = broker.account or ""
    try:
        config = CcxtVenueConfig(
            name=broker.name, exchange=broker.exchange, account_id=account_id,
            api_key=broker.api_key, secret=broker.secret, passphrase=broker.passphrase,
            sandbox=broker.sandbox, live=settings.live_trading_allowed(account_id),
            options=dict(broker.options))
        return config.with_env_credentials(os.environ if environ is None else environ)
    except (ValidationError, ValueError) as exc:
        raise ConfigError(f"brokers.yml: {broker.name}: {exc}") from exc


def build_ccxt_venues(settings: AppSettings, clock: Clock,
                      environ: Mapping[str, str] | None = None) -> dict[str, CcxtVenue]:
    """Every ccxt broker of brokers.yml as a (not yet connected) venue, keyed by name."""
    venues: dict[str, CcxtVenue] = {}
    for broker in settings.brokers.brokers:
        if broker.kind != "ccxt":
            continue
        config = ccxt_config(broker, settings, environ)
        venues[config.name] = CcxtVenue(config, clock, live_gate(settings, config.account_id))
    return venues
