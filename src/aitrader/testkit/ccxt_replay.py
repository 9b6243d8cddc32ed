"""Scripts an :class:`ExchangeServer` with one exchange's recorded payloads (kraken so far).

Every body is a payload recorded by ccxt (``shared/fixtures/ccxt``) or one that Kraken's API
documentation shows (quoted in ccxt's ``kraken.py`` next to the call); tests patch *values* of
these payloads (an order id, a status, a filled quantity), never their shape.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aitrader.testkit.exchange_server import (
    CcxtFixtures,
    ExchangeServer,
    RecordedRequest,
    Reply,
    Responder,
)

# Kraken's documented bodies that ccxt's recordings lack (Kraken REST docs; ccxt kraken.py)
KRAKEN_BALANCE_EX = {"error": [], "result": {
    "ZUSD": {"balance": 25435.21, "hold_trade": 8249.76},
    "XXBT": {"balance": 1.2435, "hold_trade": 0.8423},
}}
KRAKEN_CANCEL_OK = {"error": [], "result": {"count": "1"}}
KRAKEN_AMEND_OK = {"error": [], "result": {"amend_id": "TJSMEH-AA67V-YUSQ6O"}}
OPEN_LIMIT = "fetch spot limit order"  # LTC/USDT buy 0.1 @ 50, open, nothing filled
CLOSED_MARKET = "closed market order"  # LTC/USDT buy 0.1, filled @ 71.05741, fee 0.018475


def kraken_error(message: str) -> dict[str, Any]:
    """Kraken's error envelope with one of its documented error strings."""
    return {"error": [message]}


class KrakenReplay:
    """Kraken's REST API as recorded: markets, orders, balances, OHLC and trades."""

    exchange = "kraken"

    def __init__(self, server: ExchangeServer, fixtures: CcxtFixtures) -> None:
        self.server = server
        self.fixtures = fixtures
        self.orders: dict[str, dict[str, Any]] = {}  # txid -> QueryOrders entry

    # --- public ---------------------------------------------------------------------------------
    def serve_markets(self) -> None:
        """AssetPairs and Assets rebuilt from the recorded markets' and currencies' raw info."""
        markets = self.fixtures.markets(self.exchange)
        pairs = {m["id"]: m["info"] for m in markets.values()}
        currencies = self.fixtures.currencies(self.exchange)
        assets = {c["id"]: c["info"] for c in currencies.values()}
        self.server.on("/0/public/AssetPairs", Reply({"error": [], "result": pairs}))
        self.server.on("/0/public/Assets", Reply({"error": [], "result": assets}))

    def serve_ohlc(self, progressive: bool = False) -> list[list[Any]]:
        """The recorded hourly XBTUSDT OHLC body; ``progressive``: the n-th request sees only
        the first n candles, as if they closed one by one. Returns the recorded rows."""
        body = self.fixtures.http_response(self.exchange, "fetchOHLCV")
        key = next(k for k, v in body["result"].items() if isinstance(v, list))
        rows: list[list[Any]] = body["result"][key]
        if not progressive:
            self.server.on("/0/public/OHLC", Reply(body))
            return rows
        served = [0]

        def reveal(_request: RecordedRequest) -> Reply:
            served[0] += 1
            shown = copy.deepcopy(body)
            shown["result"][key] = rows[:served[0]]
            return Reply(shown)

        self.server.on("/0/public/OHLC", reveal)
        return rows

    def serve_book(self) -> None:
        """Depth: Kraken's documented example book (ccxt kraken.py), under XBTUSDT."""
        self.server.on("/0/public/Depth", Reply({"error": [], "result": {"XBTUSDT": {
            "asks": [["0.023480", "4.000", 1586321307], ["0.023490", "50.095", 1586321306],
                     ["0.023500", "28.535", 1586321302]],
            "bids": [["0.023470", "59.580", 1586321307], ["0.023460", "20.000", 1586321301],
                     ["0.023440", "67.832", 1586321306]],
        }}}))

    def serve_trades(self) -> dict[str, Any]:
        """The recorded public XBTUSDT trade."""
        body = self.fixtures.http_response(self.exchange, "fetchTrades")
        self.server.on("/0/public/Trades", Reply(body))
        return dict(body)

    # --- private --------------------------------------------------------------------------------
    def order_entry(self, description: str, **values: Any) -> dict[str, Any]:
        """The QueryOrders entry of a recorded order, with some values replaced."""
        body = self.fixtures.http_response(self.exchange, "fetchOrder", description)
        entry = copy.deepcopy(next(iter(body["result"].values())))
        for key, value in values.items():
            entry[key] = value
        return dict(entry)

    def put_order(self, txid: str, entry: Mapping[str, Any]) -> None:
        """The exchange now holds ``entry`` under ``txid`` (QueryOrders/OpenOrders answer it)."""
        self.orders[txid] = dict(entry)

    def fill(self, txid: str, filled: str, price: str, fee: str, status: str = "open") -> None:
        """The order traded up to ``filled`` at average ``price`` (kraken's vol_exec, price)."""
        entry = self.orders[txid]
        entry["vol_exec"] = filled
        entry["price"] = price
        entry["cost"] = str(Decimal(filled) * Decimal(price))
        entry["fee"] = fee
        entry["status"] = status

    def serve_orders(self) -> None:
        """QueryOrders by txid, OpenOrders and ClosedOrders from :attr:`orders`."""
        self.server.on("/0/private/QueryOrders", self._query_orders)
        self.server.on("/0/private/OpenOrders", lambda _r: Reply({"error": [], "result": {
            "open": {k: v for k, v in self.orders.items() if v["status"] == "open"}}}))
        self.server.on("/0/private/ClosedOrders", lambda _r: Reply({"error": [], "result": {
            "closed": {k: v for k, v in self.orders.items() if v["status"] != "open"},
            "count": sum(1 for v in self.orders.values() if v["status"] != "open")}}))

    def _query_orders(self, request: RecordedRequest) -> Reply:
        wanted = request.form.get("txid", "").split(",")
        found = {t: self.orders[t] for t in wanted if t in self.orders}
        if not found:
            return Reply(kraken_error("EOrder:Unknown order"))
        return Reply({"error": [], "result": found})

    def add_order_reply(self, txid: str) -> Reply:
        """The recorded AddOrder answer, carrying ``txid``."""
        body = self.fixtures.http_response(self.exchange, "createOrder")
        body["result"]["txid"] = [txid]
        return Reply(body)

    def accept_orders(self, txids: list[str], template: str = OPEN_LIMIT,
                      fill_at: str | None = None) -> Responder:
        """AddOrder places the next order under the next txid (with the client id it was sent
        with, in ``cl_ord_id``) and answers like the recording; ``fill_at``: the order trades
        in full at that price at once (no fee)."""
        pending = list(txids)

        def add(request: RecordedRequest) -> Reply:
            txid = pending.pop(0) if len(pending) > 1 else pending[0]
            form = request.form
            entry = self.order_entry(template, cl_ord_id=form.get("cl_ord_id"),
                                     vol=form.get("volume", "0"))
            entry["descr"] = {**entry["descr"], "type": form.get("type", "buy"),
                              "ordertype": form.get("ordertype", "limit"),
                              "price": form.get("price", "0"),
                              "pair": form.get("pair", entry["descr"]["pair"])}
            self.put_order(txid, entry)
            if fill_at is not None:
                self.fill(txid, entry["vol"], fill_at, "0", status="closed")
            return self.add_order_reply(txid)

        self.server.on("/0/private/AddOrder", add)
        return add

    def serve_cancel(self) -> None:
        """CancelOrder answers Kraken's documented success and marks the order canceled."""

        def cancel(request: RecordedRequest) -> Reply:
            txid = request.form.get("txid", "")
            entry = self.orders.get(txid)
            if entry is None or entry["status"] != "open":
                return Reply(kraken_error("EOrder:Unknown order"))
            entry["status"] = "canceled"
            return Reply(KRAKEN_CANCEL_OK)

        self.server.on("/0/private/CancelOrder", cancel)

    def serve_amend(self) -> None:
        """AmendOrder answers Kraken's documented success and changes the order's terms."""

        def amend(request: RecordedRequest) -> Reply:
            entry = self.orders.get(request.form.get("txid", ""))
            if entry is None or entry["status"] != "open":
                return Reply(kraken_error("EOrder:Unknown order"))
            if "order_qty" in request.form:
                entry["vol"] = request.form["order_qty"]
            if "limit_price" in request.form:
                entry["descr"] = {**entry["descr"], "price": request.form["limit_price"]}
            return Reply(KRAKEN_AMEND_OK)

        self.server.on("/0/private/AmendOrder", amend)

    def serve_balance(self) -> None:
        """BalanceEx answers Kraken's documented example."""
        self.server.on("/0/private/BalanceEx", Reply(KRAKEN_BALANCE_EX))

    def serve_all(self) -> None:
        """Markets, balances, orders and cancels."""
        self.serve_markets()
        self.serve_balance()
        self.serve_orders()
        self.serve_cancel()
        self.serve_amend()
