"""Our client order ids in each exchange's format: deterministic, so a retry or a restart finds
the order it already sent (the idempotency key)."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

_NAMESPACE = uuid.UUID("6f1e2c8a-53c1-4a7e-9b7e-5d0c3c1f2a90")  # fixed: ids must not change


@dataclass(frozen=True, slots=True)
class ClientIdRule:
    """What an exchange accepts as a client order id, and what we send when ours does not fit."""

    pattern: str
    fallback: str  # "uuid" (36 chars), "hex" (32 chars) or "int" (45-bit integer)

    def fits(self, client_order_id: str) -> bool:
        """True when the exchange accepts the id as it is."""
        return re.fullmatch(self.pattern, client_order_id) is not None


# documented limits of each exchange's client order id field (see each exchange's API docs)
RULES: dict[str, ClientIdRule] = {
    "binance": ClientIdRule(r"[.A-Z:/a-z0-9_-]{1,36}", "hex"),
    "kraken": ClientIdRule(r"[A-Za-z0-9-]{1,18}", "uuid"),
    "okx": ClientIdRule(r"[A-Za-z0-9]{1,32}", "hex"),
    "bybit": ClientIdRule(r"[A-Za-z0-9_-]{1,36}", "hex"),
    "kucoin": ClientIdRule(r"[A-Za-z0-9_-]{1,40}", "hex"),
    "coinbase": ClientIdRule(r"[A-Za-z0-9_-]{1,64}", "uuid"),
    "bitfinex": ClientIdRule(r"[0-9]{1,13}", "int"),
    "gemini": ClientIdRule(r"[A-Za-z0-9_-]{1,100}", "hex"),
    "htx": ClientIdRule(r"[A-Za-z0-9_-]{1,64}", "hex"),
    "bitstamp": ClientIdRule(r"[A-Za-z0-9_-]{1,180}", "hex"),
}


def venue_client_id(exchange: str, client_order_id: str) -> str:
    """The id sent to the exchange for our ``client_order_id`` (the same every time)."""
    rule = RULES.get(exchange, ClientIdRule(r"[A-Za-z0-9_-]{1,32}", "hex"))
    if rule.fits(client_order_id):
        return client_order_id
    if rule.fallback == "uuid":
        return str(uuid.uuid5(_NAMESPACE, client_order_id))
    digest = hashlib.sha256(client_order_id.encode()).hexdigest()
    if rule.fallback == "int":
        return str(int(digest[:10], 16))  # 40 bits, at most 13 digits: bitfinex's integer cid
    return digest[:32]
