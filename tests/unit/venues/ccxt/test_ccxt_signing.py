"""ccxt signs requests exactly as the exchanges document: their published examples are the
test vectors (Kraken's Spot REST authentication guide, Binance's SIGNED endpoint example)."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl

import ccxt.async_support as ccxt_async

KRAKEN_SECRET = (
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==")
KRAKEN_SIGNATURE = (
    "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==")
BINANCE_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
BINANCE_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
BINANCE_QUERY = ("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                 "&recvWindow=5000&timestamp=1499827319559")
BINANCE_SIGNATURE = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"


def test_ccxt_signs_krakens_documented_add_order_example_to_the_documented_signature() -> None:
    kraken = ccxt_async.kraken({"apiKey": "key", "secret": KRAKEN_SECRET})
    kraken.nonce = lambda: 1616492376594
    signed = kraken.sign("AddOrder", ["private"], "POST", {
        "ordertype": "limit", "pair": "XBTUSD", "price": "37500", "type": "buy",
        "volume": "1.25"})
    assert signed["body"] == ("nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500"
                              "&type=buy&volume=1.25")
    assert signed["headers"]["API-Sign"] == KRAKEN_SIGNATURE
    assert signed["headers"]["API-Key"] == "key"


def test_ccxt_hmac_gives_binances_documented_signature() -> None:
    binance = ccxt_async.binance({"apiKey": BINANCE_KEY, "secret": BINANCE_SECRET})
    got = binance.hmac(binance.encode(BINANCE_QUERY), binance.encode(BINANCE_SECRET),
                       hashlib.sha256)
    assert got == BINANCE_SIGNATURE


def test_ccxt_signs_a_binance_order_as_hmac_sha256_of_its_own_query() -> None:
    binance = ccxt_async.binance({"apiKey": BINANCE_KEY, "secret": BINANCE_SECRET})
    binance.nonce = lambda: 1499827319559
    binance.milliseconds = lambda: 1499827319559
    signed = binance.sign("order", ["private"], "POST", {
        "symbol": "LTCBTC", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
        "quantity": "1", "price": "0.1", "recvWindow": 5000})
    body = signed["body"] or signed["url"].split("?", 1)[1]
    query, _, signature = body.rpartition("&signature=")
    params = dict(parse_qsl(query))
    assert params["timestamp"] == "1499827319559" and params["symbol"] == "LTCBTC"
    assert signature == binance.hmac(binance.encode(query), binance.encode(BINANCE_SECRET),
                                     hashlib.sha256)
    assert signed["headers"]["X-MBX-APIKEY"] == BINANCE_KEY
    if query == BINANCE_QUERY:  # same parameter order as the docs: the documented signature
        assert signature == BINANCE_SIGNATURE
