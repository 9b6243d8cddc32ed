"""Builds the ccxt (pro, async) exchange client for a venue config: keys, sandbox, rate limit,
and an optional endpoint override that points every REST and websocket URL at one server."""

from __future__ import annotations

from typing import Any

import ccxt
import ccxt.pro

from aitrader.core.errors import ConfigError
from aitrader.venues.ccxt.config import CcxtVenueConfig
from aitrader.venues.ccxt.log_redaction import redacted_logger


def build_exchange(config: CcxtVenueConfig) -> Any:
    """A configured ``ccxt.pro.<exchange>`` instance (no network I/O happens here)."""
    cls = getattr(ccxt.pro, config.exchange, None)
    if cls is None:
        raise ConfigError(f"ccxt has no websocket-capable exchange {config.exchange!r}")
    params: dict[str, Any] = {
        "enableRateLimit": True,  # ccxt spaces requests by the exchange's documented limit
        "timeout": int(config.timeout_s * 1000),
        "options": {"warnOnFetchOpenOrdersWithoutSymbol": False, **config.options},
    }
    if config.rate_limit_ms is not None:
        params["rateLimit"] = config.rate_limit_ms
    if config.api_key is not None:
        params["apiKey"] = config.api_key.get_secret_value()
    if config.secret is not None:
        params["secret"] = config.secret.get_secret_value()
    if config.passphrase is not None:
        params["password"] = config.passphrase.get_secret_value()
    secrets = [v.get_secret_value() for v in (config.api_key, config.secret, config.passphrase)
               if v is not None]
    params["logger"] = redacted_logger(config.name, secrets)
    exchange = cls(params)
    if config.sandbox:
        try:
            if not exchange.urls.get("test"):
                raise ccxt.NotSupported(f"{config.exchange} has no test urls")
            exchange.set_sandbox_mode(True)
        except ccxt.NotSupported as exc:
            raise ConfigError(
                f"venue {config.name}: {config.exchange} has no sandbox/testnet in ccxt; "
                "set sandbox: false (real orders then also need the account marked live)"
            ) from exc
    if config.endpoint_override:
        exchange.urls["api"] = rewrite_urls(exchange.urls["api"], config.endpoint_override)
    return exchange


def rewrite_urls(node: Any, base: str) -> Any:
    """Every ``scheme://host/path`` under ``node`` becomes ``<base>/host/path`` (ws for wss)."""
    http = base.rstrip("/")
    ws = "ws://" + http.split("://", 1)[1] if "://" in http else http
    if isinstance(node, str):
        for scheme, target in (("https://", http), ("http://", http), ("wss://", ws),
                               ("ws://", ws)):
            if node.startswith(scheme):
                return f"{target}/{node[len(scheme):]}"
        return node
    if isinstance(node, dict):
        return {k: rewrite_urls(v, base) for k, v in node.items()}
    if isinstance(node, list):
        return [rewrite_urls(v, base) for v in node]
    return node
